package missingmass

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// MaxTableLine is the longest line ReadTable accepts, in bytes.
const MaxTableLine = 1 << 20

// MaxTableJSON is the largest JSON document ReadTable accepts, in bytes.
const MaxTableJSON = 256 << 20

// A TableError is a frequency-of-frequencies table that cannot be read. It
// names the line (text) or entry (JSON, 1-based) and the field.
type TableError struct {
	Line  int    // the line of a text table, 0 if the error is not on one line
	Entry string // the entry of a JSON table ("entry 3", `key "2"`), "" otherwise
	Field string // "j", "f_j" or "" for the row or table as a whole
	Err   error
}

func (e *TableError) Error() string {
	var b strings.Builder
	switch {
	case e.Line > 0:
		fmt.Fprintf(&b, "line %d: ", e.Line)
	case e.Entry != "":
		fmt.Fprintf(&b, "freq_of_freq %s: ", e.Entry)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "field %s: ", e.Field)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *TableError) Unwrap() error { return e.Err }

// ReadTable reads a frequency-of-frequencies table (f_j prompts were seen
// exactly j times; Good 1953, as Definition 2 and Theorem 2 of
// arXiv:2509.04664 use it) in one of two forms:
//
//   - text: two columns "j f_j" per line, separated by spaces, tabs, a comma
//     or a semicolon, as breakaway, SpadeR and iNEXT write them; a first
//     line whose two cells are not integers is a header; blank lines and
//     anything after '#' are skipped;
//   - JSON: an array of [j, f_j] pairs, an array of {"j": j, "f": f_j}
//     objects ("f_j" also accepted), an object {"j": f_j, …}, or any object
//     carrying one of those as its "freq_of_freq" field, at the top or under
//     "result" (as `hallu audit --json` writes it).
//
// A UTF-8 byte-order mark is skipped. Rows may come in any order and rows
// with f_j = 0 are dropped, so an input with no row of f_j > 0 (an empty
// file, a header alone) is an empty table: callers that need prompts say so.
// A repeated j, j < 1, f_j < 0 and a non-integer are errors (a *TableError
// naming the line or entry and the field). WriteTable writes the text form.
func ReadTable(r io.Reader) (FreqOfFreq, error) {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	for {
		b, err := br.Peek(1)
		if errors.Is(err, io.EOF) {
			return FreqOfFreq{}, nil
		}
		if err != nil {
			return nil, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			br.ReadByte()
			continue
		case '{', '[':
			return tableJSON(br)
		}
		return tableText(br)
	}
}

// WriteTable writes t in the text form ReadTable reads, as CSV (which
// breakaway, SpadeR and iNEXT read too): a header "j,f_j" and one line
// "j,f_j" per class, in increasing j.
func WriteTable(w io.Writer, t FreqOfFreq) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("j,f_j\n")
	var line []byte
	for _, c := range t {
		line = strconv.AppendInt(line[:0], c.J, 10)
		line = append(line, ',')
		line = strconv.AppendInt(line, c.F, 10)
		line = append(line, '\n')
		bw.Write(line)
	}
	return bw.Flush()
}

func tableText(r io.Reader) (FreqOfFreq, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, MaxTableLine)
	m := map[int64]int64{}
	line, data := 0, 0
	for sc.Scan() {
		line++
		s := sc.Text()
		if i := strings.IndexByte(s, '#'); i >= 0 {
			s = s[:i]
		}
		cells := strings.FieldsFunc(s, func(r rune) bool {
			return r == ' ' || r == '\t' || r == ',' || r == ';' || r == '\r'
		})
		if len(cells) == 0 {
			continue
		}
		data++
		if len(cells) != 2 {
			if data == 1 {
				continue // a header such as "j f_j count"
			}
			return nil, &TableError{Line: line, Err: fmt.Errorf("%d cells, want two: j and f_j", len(cells))}
		}
		j, errJ := strconv.ParseInt(cells[0], 10, 64)
		f, errF := strconv.ParseInt(cells[1], 10, 64)
		switch {
		case data == 1 && errJ != nil && errF != nil:
			continue // a header such as "j f_j"
		case errJ != nil:
			return nil, &TableError{Line: line, Field: "j", Err: fmt.Errorf("%q is not an integer", cells[0])}
		case errF != nil:
			return nil, &TableError{Line: line, Field: "f_j", Err: fmt.Errorf("%q is not an integer", cells[1])}
		}
		if err := addClass(m, j, f); err != nil {
			err.Line = line
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = fmt.Errorf("a line longer than %d bytes: not a frequency-of-frequencies table", MaxTableLine)
		}
		return nil, &TableError{Line: line + 1, Err: err}
	}
	return finishTable(m)
}

func tableJSON(r io.Reader) (FreqOfFreq, error) {
	dec := json.NewDecoder(io.LimitReader(r, MaxTableJSON))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, &TableError{Err: fmt.Errorf("JSON: %w", err)}
	}
	if dec.More() {
		return nil, &TableError{Err: errors.New("JSON: more than one value")}
	}
	table := doc
	if obj, ok := doc.(map[string]any); ok {
		if res, ok := obj["result"].(map[string]any); ok {
			obj = res
		}
		if f, ok := obj["freq_of_freq"]; ok {
			table = f
		}
	}
	m := map[int64]int64{}
	add := func(entry string, jv, fv any) error {
		j, err := jsonInt(jv)
		if err != nil {
			return &TableError{Entry: entry, Field: "j", Err: err}
		}
		f, err := jsonInt(fv)
		if err != nil {
			return &TableError{Entry: entry, Field: "f_j", Err: err}
		}
		if err := addClass(m, j, f); err != nil {
			err.Entry = entry
			return err
		}
		return nil
	}
	switch t := table.(type) {
	case []any:
		for i, e := range t {
			entry := fmt.Sprintf("entry %d", i+1)
			var jv, fv any
			switch e := e.(type) {
			case []any:
				if len(e) != 2 {
					return nil, &TableError{Entry: entry, Err: fmt.Errorf("%d numbers, want a pair [j, f_j]", len(e))}
				}
				jv, fv = e[0], e[1]
			case map[string]any:
				jv, fv = e["j"], e["f"]
				if fv == nil {
					fv = e["f_j"]
				}
				if jv == nil || fv == nil {
					return nil, &TableError{Entry: entry, Err: errors.New(`want an object {"j": …, "f": …}`)}
				}
			default:
				return nil, &TableError{Entry: entry, Err: errors.New(`want a pair [j, f_j] or an object {"j", "f"}`)}
			}
			if err := add(entry, jv, fv); err != nil {
				return nil, err
			}
		}
	case map[string]any:
		for k, v := range t {
			entry := fmt.Sprintf("key %q", k)
			j, err := strconv.ParseInt(k, 10, 64)
			if err != nil {
				return nil, &TableError{Entry: entry, Field: "j", Err: errors.New(`not an integer: no frequency-of-frequencies table (want result.freq_of_freq, an array of [j, f_j] pairs or an object {"j": f_j})`)}
			}
			if err := add(entry, json.Number(strconv.FormatInt(j, 10)), v); err != nil {
				return nil, err
			}
		}
	default:
		return nil, &TableError{Err: errors.New(`JSON: no frequency-of-frequencies table (want result.freq_of_freq, an array of [j, f_j] pairs or an object {"j": f_j})`)}
	}
	return finishTable(m)
}

func jsonInt(v any) (int64, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("%v is not a number", v)
	}
	if i, err := n.Int64(); err == nil {
		return i, nil
	}
	f, err := n.Float64()
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, fmt.Errorf("%s is not an integer", n)
	}
	return int64(f), nil
}

// addClass records f_j = f in m, refusing j < 1, f < 0 and a repeated j.
func addClass(m map[int64]int64, j, f int64) *TableError {
	switch {
	case j < 1:
		return &TableError{Field: "j", Err: fmt.Errorf("j = %d; a frequency-of-frequencies table starts at j = 1", j)}
	case f < 0:
		return &TableError{Field: "f_j", Err: fmt.Errorf("f_%d = %d is negative", j, f)}
	}
	if _, dup := m[j]; dup {
		return &TableError{Field: "j", Err: fmt.Errorf("j = %d given twice", j)}
	}
	m[j] = f
	return nil
}

func finishTable(m map[int64]int64) (FreqOfFreq, error) {
	t, err := FromMap(m)
	if err != nil {
		return nil, &TableError{Err: err}
	}
	if err := t.Validate(); err != nil {
		return nil, &TableError{Err: err}
	}
	return t, nil
}
