package audit

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// Spill directories are named hallu-audit-* and hold a file named lock,
// locked (flock(2)) by the process that spills into them for as long as it
// runs, with its pid for people to read. A process killed while spilling
// (SIGKILL, the OOM killer, a power cut) cannot remove its directory, but
// the kernel releases its lock: a later run that can take the lock knows
// the owner is gone and removes the directory.
const (
	spillPattern = "hallu-audit-*"
	lockName     = "lock"
)

// makeSpillDir makes a spill directory in parent ("" for the system's
// default) and locks it; the returned file holds the lock until closed.
// The lock file is created under another name and locked before it is
// renamed to lockName, so that no other process ever sees an unlocked lock
// file in a live directory.
func makeSpillDir(parent string) (dir string, lock *os.File, err error) {
	dir, err = os.MkdirTemp(parent, spillPattern)
	if err != nil {
		return "", nil, err
	}
	fail := func(err error) (string, *os.File, error) {
		if lock != nil {
			lock.Close()
		}
		os.RemoveAll(dir)
		return "", nil, err
	}
	tmp := filepath.Join(dir, lockName+".new")
	if lock, err = os.Create(tmp); err != nil {
		return fail(err)
	}
	if _, err := lock.WriteString(strconv.Itoa(os.Getpid()) + "\n"); err != nil {
		return fail(err)
	}
	// Without flock the directory is still usable; it is only never taken
	// for stale.
	tryLock(lock)
	if err := os.Rename(tmp, filepath.Join(dir, lockName)); err != nil {
		return fail(err)
	}
	return dir, lock, nil
}

// removeStaleSpills removes the spill directories in parent whose lock no
// process holds, and returns how many it removed. A directory without a
// lock file is left alone: it is another program's, or one made by a
// version of hallu that did not lock, or one being made this instant.
func removeStaleSpills(parent string) (int, error) {
	if parent == "" {
		parent = os.TempDir()
	}
	dirs, err := filepath.Glob(filepath.Join(parent, spillPattern))
	if err != nil {
		return 0, err
	}
	removed := 0
	for _, d := range dirs {
		f, err := os.Open(filepath.Join(d, lockName))
		if err != nil {
			continue // no lock file, or not ours to read
		}
		if ok, _ := tryLock(f); ok {
			// The owner is gone; holding its lock, remove the directory.
			if err := os.RemoveAll(d); err != nil {
				f.Close()
				return removed, fmt.Errorf("remove stale spill directory: %w", err)
			}
			removed++
		}
		f.Close()
	}
	return removed, nil
}
