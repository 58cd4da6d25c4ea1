package evallog

import (
	"bufio"
	"io"

	"github.com/go-json-experiment/json"
	"github.com/hallu-dev/hallu/score"
)

// ReadRun reads hallu's own run file, the JSONL that `hallu run` writes:
// one score.Sample per line in its JSON form (keys id, question, golds,
// response, outcome, confidence, model, target, reason). Samples without
// an outcome are ungraded. fn's Sample is reused between calls.
func ReadRun(r io.Reader, name string, fn func(*score.Sample) error) (Stats, error) {
	return Read(r, name, Options{Format: Run}, fn)
}

// A RunWriter writes hallu's run file: one score.Sample per line. It is
// not safe for concurrent use.
type RunWriter struct {
	w *bufio.Writer
}

// NewRunWriter returns a RunWriter buffering writes to w; call Flush at
// the end.
func NewRunWriter(w io.Writer) *RunWriter { return &RunWriter{w: bufio.NewWriter(w)} }

// Write appends s as one line.
func (rw *RunWriter) Write(s *score.Sample) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = rw.w.Write(b)
	return err
}

// Flush writes any buffered lines to the underlying writer.
func (rw *RunWriter) Flush() error { return rw.w.Flush() }
