package evallog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/hallu-dev/hallu/internal/input"
)

// Limits bounds what a reader holds in memory at once, so that memory stays
// bounded whatever the input. A zero field takes its default from package
// input (DefaultMaxLine, DefaultMaxDocument, DefaultMaxSamples).
type Limits struct {
	// MaxLine is the longest line of a line-oriented log (JSONL, and a CSV
	// record, which may span lines inside quotes), in bytes.
	MaxLine int64
	// MaxDocument is the largest input read whole, in bytes: an Inspect
	// .json log, an lm-eval array or results file, an Inspect .eval ZIP, and
	// each of its members once decompressed.
	MaxDocument int64
	// MaxSamples is the most samples Read passes on from one log.
	MaxSamples int64
}

// A LimitError is a log that exceeds one of its Limits; its Option names
// the field of Limits that raises the limit ("MaxLine", "MaxDocument" or
// "MaxSamples").
type LimitError = input.LimitError

func (l Limits) line() int64    { return cmp0(l.MaxLine, input.DefaultMaxLine) }
func (l Limits) doc() int64     { return cmp0(l.MaxDocument, input.DefaultMaxDocument) }
func (l Limits) samples() int64 { return cmp0(l.MaxSamples, input.DefaultMaxSamples) }

func cmp0(v, def int64) int64 {
	if v > 0 {
		return v
	}
	return def
}

// lineError is the error of a line longer than the limit.
func (l Limits) lineError() error {
	return &LimitError{What: "line", Limit: l.line(), Option: "MaxLine"}
}

// newScanner returns a line scanner over r whose buffer grows to the line
// limit and no further.
func (l Limits) newScanner(r io.Reader) *lineScanner {
	src := &failReader{r: r}
	sc := &lineScanner{Scanner: bufio.NewScanner(src), src: src}
	// The limit is the larger of the buffer's capacity and max: a limit
	// below 64 KiB needs a smaller first buffer.
	sc.Buffer(make([]byte, 0, min(64<<10, l.line()+1)), int(min(l.line()+1, 1<<62)))
	return sc
}

// lineScanner is a bufio.Scanner that stops at a read error instead of
// passing on the part of a line read before it: the last line of a
// truncated file is an error of the file, not a malformed record.
type lineScanner struct {
	*bufio.Scanner
	src *failReader
}

func (s *lineScanner) Scan() bool { return s.Scanner.Scan() && s.src.err == nil }

// failReader remembers the first error of r other than io.EOF.
type failReader struct {
	r   io.Reader
	err error
}

func (f *failReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err != nil && err != io.EOF && f.err == nil {
		f.err = err
	}
	return n, err
}

// scanError names the file and line of a scanner's error, and says what a
// line too long means.
func (l Limits) scanError(name string, line int, err error) error {
	if errors.Is(err, bufio.ErrTooLong) {
		err = l.lineError()
	}
	return fmt.Errorf("%s: line %d: %w", name, line, err)
}

// readAll reads r whole, what naming it in the error if it is larger than
// the document limit.
func (l Limits) readAll(r io.Reader, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, l.doc()+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > l.doc() {
		return nil, &LimitError{What: what, Limit: l.doc(), Option: "MaxDocument"}
	}
	return b, nil
}

// eachLine calls fn with every non-blank line of r (trimmed) and its 1-based
// line number, stopping at fn's first error.
func (l Limits) eachLine(r io.Reader, name string, fn func(line int, raw []byte) error) error {
	sc := l.newScanner(r)
	line := 0
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		if err := fn(line, raw); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return l.scanError(name, line+1, err)
	}
	return nil
}

// recordLimiter bounds the bytes encoding/csv may read for one record,
// which it would otherwise gather whole however long (a quote that is never
// closed makes the rest of the file one field). After each record the
// caller sets start to the reader's InputOffset; the bytes read past it
// (the record, and at most the csv.Reader's read-ahead) may not exceed max.
type recordLimiter struct {
	r          io.Reader
	read       int64
	start, max int64
	err        error
}

func (rl *recordLimiter) Read(p []byte) (int, error) {
	if rl.read-rl.start > rl.max {
		return 0, rl.err
	}
	n, err := rl.r.Read(p)
	rl.read += int64(n)
	return n, err
}
