package input

import (
	"io"

	"github.com/hallu-dev/hallu/internal/provenance"
)

// Read opens path, calls read with it and reads it to the end, so that the
// sha256 of the returned Input covers the whole file, whatever read left.
func Read(path string, read func(io.Reader) error) (provenance.Input, error) {
	f, err := Open(path)
	if err != nil {
		return provenance.Input{}, err
	}
	defer f.Close()
	if err := read(f); err != nil {
		return provenance.Input{}, err
	}
	if _, err := io.Copy(io.Discard, f); err != nil {
		return provenance.Input{}, err
	}
	return f.Input(), nil
}
