package audit

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hallu-dev/hallu/internal/input"
)

// RecordError reports a malformed record: the input, the line the record
// starts on, and the field at fault ("" when the record as a whole is).
type RecordError struct {
	File  string
	Line  int64
	Field string
	Err   error
}

func (e *RecordError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s:%d: field %s: %v", e.File, e.Line, e.Field, e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }

// Errors of malformed records, wrapped in a RecordError.
var (
	ErrMissingField = errors.New("missing")
	ErrRagged       = errors.New("wrong number of columns")
	ErrInvalidUTF8  = errors.New("invalid UTF-8")
	ErrBadCount     = errors.New("count is not a non-negative integer")
	ErrBadQuote     = errors.New("malformed quoting")
	ErrTooLong      = errors.New("record longer than the limit")
)

// A LimitError is a record longer than the limit. Its Option names the
// field of Config that raises the limit: "MaxRecord", or "MemBytes" where
// the memory budget lowers it. It is ErrTooLong (errors.Is).
type LimitError = input.LimitError

// fieldError is a parse error in one named field; the scanner adds the
// file and line.
type fieldError struct {
	field string
	err   error
}

func (e *fieldError) Error() string { return "field " + e.field + ": " + e.err.Error() }
func (e *fieldError) Unwrap() error { return e.err }

// column is where a configured column is found in a file's records.
type column struct {
	spec  string // as configured, for messages
	index int    // 0-based, for TSV and CSV
	name  string // field name, for JSONL
	file  bool   // FileColumn
}

// layout is the resolved columns of one input file.
type layout struct {
	prompt               []column
	answer, group, count *column
	ncols                int    // columns every TSV/CSV record must have
	maxIndex             int    // highest TSV/CSV column index needed
	fileValue            []byte // value of FileColumn
	keySpan              bool   // TSV: prompt columns are consecutive, so the key is a slice of the line
	fast                 bool   // TSV: keySpan, and only an answer column besides, read verbatim
}

// needsHeader reports whether any configured column is a name.
func (c *Config) needsHeader() bool {
	for _, s := range c.columnSpecs() {
		if s == FileColumn {
			continue
		}
		if _, err := strconv.Atoi(s); err != nil {
			return true
		}
	}
	return false
}

func (c *Config) columnSpecs() []string {
	specs := append([]string(nil), c.Prompt...)
	for _, s := range []string{c.Answer, c.Group, c.Count} {
		if s != "" {
			specs = append(specs, s)
		}
	}
	return specs
}

// resolve builds the layout of a file from the configured columns. header
// holds the file's column names (TSV/CSV with a header line), nil
// otherwise; ncols is the number of columns of its first record.
func (c *Config) resolve(format Format, name string, header []string, ncols int) (*layout, error) {
	l := &layout{ncols: ncols, maxIndex: -1, fileValue: []byte(FileValue(name))}
	one := func(spec string) (column, error) {
		col := column{spec: spec}
		switch {
		case spec == FileColumn:
			col.file = true
		case format == JSONL:
			col.name = spec
		default:
			for i, h := range header {
				if h == spec {
					col.index = i
					l.maxIndex = max(l.maxIndex, i)
					return col, nil
				}
			}
			n, err := strconv.Atoi(spec)
			if err != nil || n < 1 {
				if header == nil {
					return col, fmt.Errorf("column %q: not a column number, and the file has no header line", spec)
				}
				return col, fmt.Errorf("column %q not in the header (%s)", spec, strings.Join(header, ", "))
			}
			if n > ncols {
				return col, fmt.Errorf("column %d: the first record has only %d columns", n, ncols)
			}
			col.index = n - 1
			l.maxIndex = max(l.maxIndex, n-1)
		}
		return col, nil
	}
	var errs []error
	for _, s := range c.Prompt {
		col, err := one(s)
		errs = append(errs, err)
		l.prompt = append(l.prompt, col)
	}
	for _, p := range []struct {
		spec string
		dst  **column
	}{{c.Answer, &l.answer}, {c.Group, &l.group}, {c.Count, &l.count}} {
		if p.spec == "" {
			continue
		}
		col, err := one(p.spec)
		errs = append(errs, err)
		*p.dst = &col
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	l.keySpan = format == TSV && c.Normalize.Zero() && c.Group == ""
	for i, col := range l.prompt {
		if col.file || (i > 0 && col.index != l.prompt[i-1].index+1) {
			l.keySpan = false
		}
	}
	l.fast = l.keySpan && c.Kind == Records && l.count == nil && (l.answer == nil || !l.answer.file)
	return l, nil
}

// fields are the configured values of one record, as slices of the record
// or of the parser's scratch space, valid until the next record.
type fields struct {
	prompt    [][]byte
	key       []byte // TSV with keySpan: the prompt key as a slice of the line
	answer    []byte
	hasAnswer bool
	group     []byte
	count     int64
}

// parseCount parses a record multiplicity: a decimal integer ≥ 0.
func parseCount(b []byte) (int64, error) {
	if len(b) == 0 || len(b) > 18 {
		return 0, ErrBadCount
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, ErrBadCount
		}
		n = n*10 + int64(c-'0')
	}
	return n, nil
}
