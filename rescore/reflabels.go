package rescore

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/score"
)

// refLabel is the mapped reference label of the record at line.
type refLabel struct {
	line int
	o    score.Outcome
}

// referenceLabels yields, in file order, the label in column col of every
// record of a JSONL or CSV log, mapped with m and numbered by line as
// evallog's readers number records; unmapped labels are counted in m and
// yielded as Ungraded, a record without the column has the empty label.
// found reports whether any JSONL record had the key. Records evallog
// cannot read are skipped here too (evallog reports them); a line longer
// than lim.MaxLine is an error, as it is to evallog.
func referenceLabels(path, col string, m *score.RefMap, lim evallog.Limits, found *bool) iter.Seq2[refLabel, error] {
	return func(yield func(refLabel, error) bool) {
		f, err := input.OpenUnhashed(path)
		if err != nil {
			yield(refLabel{}, err)
			return
		}
		defer f.Close()
		br := bufio.NewReaderSize(f, 64<<10)
		head, _ := br.Peek(4096)
		yieldLabel := func(line int, v string) bool {
			o, _ := m.Map(v)
			return yield(refLabel{line, o}, nil)
		}
		if bytes.HasPrefix(bytes.TrimLeft(head, " \t\r\n\ufeff"), []byte("{")) {
			errStop := errors.New("stop")
			err := lim.EachLine(br, path, func(line int, raw []byte) error {
				var rec map[string]json.RawMessage
				if b := bytes.TrimSpace(raw); len(b) == 0 || json.Unmarshal(b, &rec) != nil {
					return nil
				}
				v, ok := rec[col]
				*found = *found || ok
				var label string
				if ok && json.Unmarshal(v, &label) != nil {
					label = string(v) // a number, boolean or null as written
				}
				if !yieldLabel(line, label) {
					return errStop
				}
				return nil
			})
			if err != nil && !errors.Is(err, errStop) {
				yield(refLabel{}, err)
			}
			return
		}
		*found = true
		cr := lim.NewCSVReader(br)
		cr.FieldsPerRecord = -1
		header, err := cr.Read()
		if err != nil {
			yield(refLabel{}, fmt.Errorf("%s: header: %w", path, err))
			return
		}
		idx := -1
		for i, h := range header {
			if strings.TrimPrefix(strings.TrimSpace(h), "\ufeff") == col {
				idx = i
			}
		}
		if idx < 0 {
			yield(refLabel{}, fmt.Errorf("%s: header %q has no reference column %q", path, header, col))
			return
		}
		for {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				return
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				continue
			}
			if err != nil {
				yield(refLabel{}, fmt.Errorf("%s: %w", path, err))
				return
			}
			line, _ := cr.FieldPos(0)
			v := ""
			if idx < len(rec) {
				v = rec[idx]
			}
			if !yieldLabel(line, v) {
				return
			}
		}
	}
}

// referenceCursor walks referenceLabels alongside evallog's samples, both
// in file order, so that memory stays bounded whatever the log's length.
type referenceCursor struct {
	next func() (refLabel, error, bool)
	cur  refLabel
	path string
	col  string
}

// at returns the label of the record at line.
func (c *referenceCursor) at(line int) (score.Outcome, error) {
	for c.cur.line < line {
		l, err, ok := c.next()
		if !ok {
			break
		}
		if err != nil {
			return 0, err
		}
		c.cur = l
	}
	if c.cur.line != line {
		return 0, fmt.Errorf("%s:%d: no %q value for this sample", c.path, line, c.col)
	}
	return c.cur.o, nil
}
