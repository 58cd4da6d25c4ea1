package main

import (
	"io"

	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/internal/provenance"
)

// readInput opens path, calls read with it, reads it to the end (so its
// sha256 covers the whole file) and appends it to inputs.
func readInput(path string, inputs *[]provenance.Input, read func(io.Reader) error) error {
	in, err := input.Read(path, read)
	if err != nil {
		return err
	}
	*inputs = append(*inputs, in)
	return nil
}
