package facts

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/hallu-dev/hallu/missingmass"
)

// ReadProfile reads a frequency-of-frequencies table (j, f_j: f_j prompts
// were seen exactly j times), for a world whose μ reproduces a corpus's
// mention profile (see FromProfile), in one of two forms:
//
//   - text: two columns "j f_j" per line, separated by spaces, tabs or a
//     comma, as breakaway, SpadeR and iNEXT write them; an optional header
//     line, blank lines and '#' comments are skipped;
//   - JSON: the output of `hallu audit --json` (its result's freq_of_freq),
//     or that table alone, as an array of [j, f_j] pairs, an array of
//     {"j": j, "f": f_j} objects, or an object {"j": f_j, …}.
//
// Rows may come in any order; a repeated j, j < 1, f_j < 0, non-integers and
// a table of no prompts are errors that name the line or entry and field.
func ReadProfile(r io.Reader) (missingmass.FreqOfFreq, error) {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3) // a UTF-8 byte-order mark
	}
	for {
		b, err := br.Peek(1)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, errors.New("empty frequency-of-frequencies table")
			}
			return nil, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			br.ReadByte()
			continue
		case '{', '[':
			data, err := io.ReadAll(br)
			if err != nil {
				return nil, err
			}
			return profileJSON(data)
		}
		return profileText(br)
	}
}

func profileText(r io.Reader) (missingmass.FreqOfFreq, error) {
	sc := bufio.NewScanner(r)
	var p missingmass.FreqOfFreq
	line, data := 0, 0
	for sc.Scan() {
		line++
		s := sc.Text()
		if i := strings.IndexByte(s, '#'); i >= 0 {
			s = s[:i]
		}
		fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' || r == ';' || r == '\r' })
		if len(fields) == 0 {
			continue
		}
		data++
		if len(fields) != 2 {
			return nil, fmt.Errorf("line %d: want two columns j and f_j, got %d", line, len(fields))
		}
		j, errJ := strconv.ParseInt(fields[0], 10, 64)
		f, errF := strconv.ParseInt(fields[1], 10, 64)
		if data == 1 && errJ != nil && errF != nil {
			continue // a header such as "j f_j"
		}
		if errJ != nil {
			return nil, fmt.Errorf("line %d: field j: %q is not an integer", line, fields[0])
		}
		if errF != nil {
			return nil, fmt.Errorf("line %d: field f_j: %q is not an integer", line, fields[1])
		}
		if err := checkEntry(j, f); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		p = append(p, missingmass.Class{J: j, F: f})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	if len(p) == 0 {
		return nil, errors.New("no rows \"j f_j\": not a frequency-of-frequencies table")
	}
	return finish(p)
}

func profileJSON(data []byte) (missingmass.FreqOfFreq, error) {
	var doc any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("JSON: %w", err)
	}
	if dec.More() {
		return nil, errors.New("JSON: more than one value")
	}
	table := doc
	if m, ok := doc.(map[string]any); ok {
		if res, ok := m["result"].(map[string]any); ok {
			m = res
		}
		if f, ok := m["freq_of_freq"]; ok {
			table = f
		}
	}
	var p missingmass.FreqOfFreq
	where := func(i int) string { return fmt.Sprintf("entry %d: ", i+1) }
	switch t := table.(type) {
	case []any:
		for i, e := range t {
			var jv, fv any
			switch e := e.(type) {
			case []any:
				if len(e) != 2 {
					return nil, fmt.Errorf("freq_of_freq %swant a pair [j, f_j], got %d numbers", where(i), len(e))
				}
				jv, fv = e[0], e[1]
			case map[string]any:
				jv = e["j"]
				if fv = e["f"]; fv == nil {
					fv = e["f_j"]
				}
				if jv == nil || fv == nil {
					return nil, fmt.Errorf("freq_of_freq %swant {\"j\": …, \"f\": …}", where(i))
				}
			default:
				return nil, fmt.Errorf("freq_of_freq %swant a pair [j, f_j] or an object {\"j\", \"f\"}", where(i))
			}
			j, err := jsonInt(jv)
			if err != nil {
				return nil, fmt.Errorf("freq_of_freq %sfield j: %w", where(i), err)
			}
			f, err := jsonInt(fv)
			if err != nil {
				return nil, fmt.Errorf("freq_of_freq %sfield f_j: %w", where(i), err)
			}
			if err := checkEntry(j, f); err != nil {
				return nil, fmt.Errorf("freq_of_freq %s%w", where(i), err)
			}
			p = append(p, missingmass.Class{J: j, F: f})
		}
	case map[string]any:
		for k, v := range t {
			j, err := strconv.ParseInt(k, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%w; key %q is not an integer j", errNoTable, k)
			}
			f, err := jsonInt(v)
			if err != nil {
				return nil, fmt.Errorf("freq_of_freq key %q: field f_j: %w", k, err)
			}
			if err := checkEntry(j, f); err != nil {
				return nil, fmt.Errorf("freq_of_freq key %q: %w", k, err)
			}
			p = append(p, missingmass.Class{J: j, F: f})
		}
	default:
		return nil, errNoTable
	}
	return finish(p)
}

var errNoTable = errors.New("JSON: no frequency-of-frequencies table (want result.freq_of_freq, an array of [j, f_j] pairs or an object {\"j\": f_j})")

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

func checkEntry(j, f int64) error {
	if j < 1 {
		return fmt.Errorf("field j: j = %d; a frequency-of-frequencies table starts at j = 1", j)
	}
	if f < 0 {
		return fmt.Errorf("field f_j: f_%d = %d is negative", j, f)
	}
	if f > MaxPrompts {
		return fmt.Errorf("field f_j: f_%d = %d exceeds the maximum number of prompts %d", j, f, MaxPrompts)
	}
	return nil
}

// finish sorts p by j, drops rows with f_j = 0 and checks the table as a
// whole.
func finish(p missingmass.FreqOfFreq) (missingmass.FreqOfFreq, error) {
	slices.SortFunc(p, func(a, b missingmass.Class) int { return cmp.Compare(a.J, b.J) })
	for i := 1; i < len(p); i++ {
		if p[i].J == p[i-1].J {
			return nil, fmt.Errorf("field j: j = %d appears twice", p[i].J)
		}
	}
	p = slices.DeleteFunc(p, func(c missingmass.Class) bool { return c.F == 0 })
	if len(p) == 0 {
		return nil, errors.New("the table counts no prompts (every f_j is 0)")
	}
	if n := p.Distinct(); n > MaxPrompts {
		return nil, fmt.Errorf("the table counts %d prompts, more than the maximum %d", n, MaxPrompts)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}
