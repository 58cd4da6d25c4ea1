// Package atomicfile writes files that are either complete or absent: an
// error or an interrupt never leaves a partial file behind.
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Write writes a file atomically: write renders into a temporary file in
// the same directory, which replaces path only once it is complete and
// synced. An error or an interrupt never leaves a partial file at path.
//
// Errors name path, never the temporary file, whose name means nothing to
// the user.
func Write(path string, write func(f *os.File) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, withoutPath(err, ""))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, withoutPath(err, tmp.Name()))
	}
	err = tmp.Sync()
	if err == nil {
		err = tmp.Close()
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, withoutPath(err, tmp.Name()))
	}
	return nil
}

// withoutPath drops the temporary file's name from an *os.PathError or
// *os.LinkError, keeping what went wrong; tmp "" means any name under the
// temporary file's pattern (CreateTemp names it in its error).
func withoutPath(err error, tmp string) error {
	var pe *os.PathError
	if errors.As(err, &pe) && (tmp == "" || pe.Path == tmp) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) && le.Old == tmp {
		return le.Err
	}
	return err
}
