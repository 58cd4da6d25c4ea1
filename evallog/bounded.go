package evallog

import (
	"encoding/csv"
	"io"
)

// EachLine calls fn with every non-blank line of r (trimmed) and its
// 1-based line number, stopping at fn's first error. A line longer than
// MaxLine is an error naming name and the line, wrapping an
// *input.LimitError; a read error ends the reading without passing on the
// part of a line read before it.
func (l Limits) EachLine(r io.Reader, name string, fn func(line int, raw []byte) error) error {
	return l.eachLine(r, name, fn)
}

// ReadAll reads r whole; an r larger than MaxDocument is an
// *input.LimitError naming it what.
func (l Limits) ReadAll(r io.Reader, what string) ([]byte, error) { return l.readAll(r, what) }

// A CSVReader is a csv.Reader whose records may not exceed MaxLine:
// encoding/csv would otherwise gather a record whole however long it is (a
// quote that is never closed makes the rest of the file one field).
type CSVReader struct {
	*csv.Reader
	lim *recordLimiter
}

// NewCSVReader returns a CSVReader of r.
func (l Limits) NewCSVReader(r io.Reader) *CSVReader {
	lim := &recordLimiter{r: r, max: l.line(), err: l.lineError()}
	return &CSVReader{Reader: csv.NewReader(lim), lim: lim}
}

// Read reads the next record. A record longer than the limit is an error
// wrapping an *input.LimitError (not a *csv.ParseError: no line is known).
func (c *CSVReader) Read() ([]string, error) {
	rec, err := c.Reader.Read()
	c.lim.start = c.Reader.InputOffset()
	return rec, err
}
