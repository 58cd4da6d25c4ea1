package evallog

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/hallu-dev/hallu/score"
)

// field indices of a ColumnMap, for the JSONL fast path.
const (
	fID = iota
	fQuestion
	fGold
	fAliases
	fResponse
	fGrade
	fConfidence
	fModel
	fTarget
	fReason
	nFields
)

func (m ColumnMap) names() [nFields]string {
	return [nFields]string{m.ID, m.Question, m.Gold, m.Aliases, m.Response, m.Grade, m.Confidence, m.Model, m.Target, m.Reason}
}

var fieldNames = [nFields]string{"id", "question", "gold", "aliases", "response", "grade", "confidence", "model", "target", "reason"}

// sampleBuilder fills a reused Sample field by field.
type sampleBuilder struct {
	s          score.Sample
	conf, tgt  float64
	opt        Options
	modelCache string // the last model name, to share its string
	paths      int8   // 0 unknown, 1 if some column is a dotted path, −1 if none
}

// nested reports whether some column of the map is a dotted path into
// nested objects ("metadata.provider").
func (b *sampleBuilder) nested() bool {
	if b.paths == 0 {
		b.paths = -1
		for _, c := range b.opt.Map.orDefault().names() {
			if strings.Contains(c, ".") {
				b.paths = 1
			}
		}
	}
	return b.paths > 0
}

func (b *sampleBuilder) reset() {
	b.s = score.Sample{Golds: b.s.Golds[:0]}
}

// finish applies model defaults and the line-number ID.
func (b *sampleBuilder) finish(src score.Source) *score.Sample {
	s := &b.s
	switch {
	case b.opt.Model != "":
		s.Model = b.opt.Model
	case s.Model == "":
		s.Model = b.opt.DefaultModel
	}
	if s.Model == b.modelCache {
		s.Model = b.modelCache
	} else {
		b.modelCache = s.Model
	}
	if s.ID == "" {
		s.ID = "line " + strconv.Itoa(src.Line)
	}
	s.Source = src
	return s
}

// numberHint explains a number field that held text: a log's own column
// named "target" is often the gold answer, not hallu's confidence target.
func numberHint(f int) string {
	if f == fTarget {
		return " (hallu reads this column as the confidence target t; if it holds something else, map it with Options.Map gold=COLUMN, or away with Options.Map target=)"
	}
	return ""
}

// setGrade reads a grade written as text: by Options.GradeValues if it
// names the text, else by the format's parser.
func (b *sampleBuilder) setGrade(text string) {
	if o, ok := b.opt.GradeValues[strings.ToLower(strings.TrimSpace(text))]; ok {
		b.s.Outcome = o
		if o == score.Invalid && b.s.Reason == "" {
			b.s.Reason = "graded invalid by the given grade values"
		}
		return
	}
	parse := b.opt.grade
	if parse == nil {
		parse = score.ParseOutcome
	}
	o, err := parse(text)
	if err != nil {
		b.s.Outcome, b.s.Reason = score.Invalid, unknownGrade+strconv.Quote(text)
		return
	}
	b.s.Outcome = o
	if o == score.Invalid && b.s.Reason == "" {
		b.s.Reason = "graded invalid by the log"
	}
}

func (b *sampleBuilder) setConfidence(v float64) error {
	if sc := b.opt.Map.ConfidenceScale; sc > 0 {
		v /= sc
	}
	if !(v >= 0 && v <= 1) {
		return fmt.Errorf("%v is not a probability in [0,1]", v)
	}
	b.conf = v
	b.s.Confidence = &b.conf
	return nil
}

func (b *sampleBuilder) setTarget(v float64) error {
	if err := score.CheckTarget(v); err != nil {
		return err
	}
	b.tgt = v
	b.s.Target = &b.tgt
	return nil
}

// jsonLine decodes one line into b.s; on error it returns the index of the
// offending field, or −1.
func (b *sampleBuilder) jsonLine(dec *jsontext.Decoder, rd *bytes.Reader, raw []byte, keys *[nFields][]byte, str func(jsontext.Value) (string, bool)) (int, error) {
	rd.Reset(raw)
	dec.Reset(rd, lenient)
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		if err == nil {
			err = errors.New("not a JSON object")
		}
		return -1, err
	}
	if f, err := b.jsonMembers(dec, "", keys, str); err != nil {
		return f, err
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return -1, errors.New("text after the JSON object")
	}
	return -1, nil
}

// jsonMembers reads the members of the object whose '{' dec has just
// read, through its '}'. prefix is the object's dotted path ("" at the
// top, "metadata." inside "metadata"): a column named "metadata.provider"
// is read from {"metadata":{"provider":…}}.
func (b *sampleBuilder) jsonMembers(dec *jsontext.Decoder, prefix string, keys *[nFields][]byte, str func(jsontext.Value) (string, bool)) (int, error) {
	for dec.PeekKind() != '}' {
		k, err := dec.ReadValue()
		if err != nil {
			return -1, err
		}
		f := -1
		if prefix == "" {
			for i := range keys {
				if keys[i] != nil && bytes.Equal(k, keys[i]) {
					f = i
					break
				}
			}
		}
		if f < 0 {
			// An escaped or nested key: compare unquoted (k is void after
			// the next call on dec).
			ks, _ := str(k)
			f = b.opt.Map.orDefault().fieldOf(prefix + ks)
			if f < 0 && dec.PeekKind() == '{' && b.opt.Map.orDefault().hasPath(prefix+ks+".") {
				if _, err := dec.ReadToken(); err != nil {
					return -1, err
				}
				if f, err := b.jsonMembers(dec, prefix+ks+".", keys, str); err != nil {
					return f, err
				}
				continue
			}
		}
		if (f == fGold || f == fAliases) && dec.PeekKind() == '[' {
			// A list of golds, walked without reflection: the hot path.
			if err := b.appendGolds(dec, str); err != nil {
				return f, err
			}
			continue
		}
		v, err := dec.ReadValue()
		if err != nil {
			return -1, err
		}
		if f < 0 || v.Kind() == 'n' {
			continue
		}
		if err := b.setJSON(f, v, str); err != nil {
			return f, err
		}
	}
	_, err := dec.ReadToken()
	return -1, err
}

// appendGolds reads a JSON list of strings (or numbers) from dec into the
// sample's golds.
func (b *sampleBuilder) appendGolds(dec *jsontext.Decoder, str func(jsontext.Value) (string, bool)) error {
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	for dec.PeekKind() != ']' {
		v, err := dec.ReadValue()
		if err != nil {
			return err
		}
		switch v.Kind() {
		case '"':
			g, _ := str(v)
			b.s.Golds = append(b.s.Golds, g)
		case '0', 't', 'f':
			b.s.Golds = append(b.s.Golds, string(v))
		default:
			return fmt.Errorf("list item %s is not a string or number", abbrev(v))
		}
	}
	_, err := dec.ReadToken()
	return err
}

func (b *sampleBuilder) setJSON(f int, v jsontext.Value, str func(jsontext.Value) (string, bool)) error {
	s := &b.s
	text := func() (string, error) {
		if t, ok := str(v); ok {
			return t, nil
		}
		if k := v.Kind(); k == '0' || k == 't' || k == 'f' {
			return string(v), nil
		}
		return "", fmt.Errorf("%s is not a string", abbrev(v))
	}
	var err error
	switch f {
	case fID:
		s.ID, err = text()
	case fQuestion:
		s.Question, err = text()
	case fResponse:
		s.Response, err = text()
	case fReason:
		s.Reason, err = text()
	case fModel:
		var m string
		if m, err = text(); err == nil {
			if m == b.modelCache {
				m = b.modelCache
			}
			s.Model = m
		}
	case fGold, fAliases:
		var gs []string
		if gs, err = jstrings(v); err == nil {
			s.Golds = append(s.Golds, gs...)
		}
	case fGrade:
		switch v.Kind() {
		case 't', 'f':
			b.setGrade(string(v))
		default:
			var t string
			if t, err = text(); err == nil {
				b.setGrade(t)
			}
		}
	case fConfidence, fTarget:
		x, ok := jnumber(v)
		if !ok {
			return fmt.Errorf("%s is not a number%s", abbrev(v), numberHint(f))
		}
		if f == fConfidence {
			return b.setConfidence(x)
		}
		return b.setTarget(x)
	}
	return err
}

// readCSV reads a CSV file with a header row, mapping columns by opt.Map.
// A gold cell holding a JSON list is read as aliases; an aliases cell is a
// JSON list or ";"-separated.
func readCSV(r io.Reader, name string, opt Options, st *Stats, fn func(*score.Sample) error) error {
	m := opt.Map.orDefault()
	lim := &recordLimiter{r: r, max: opt.Limits.line(), err: opt.Limits.lineError()}
	cr := csv.NewReader(lim)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s: header: %w", name, err)
	}
	var col [nFields]int
	for i, k := range m.names() {
		col[i] = -1
		for j, h := range header {
			if strings.TrimPrefix(strings.TrimSpace(h), "\ufeff") == k && k != "" {
				col[i] = j
			}
		}
	}
	if col[fResponse] < 0 && col[fGrade] < 0 {
		return fmt.Errorf("%s: %w", name, &FormatError{Reason: fmt.Sprintf("header %q has neither a %q nor a %q column", header, m.Response, m.Grade), Option: "Map"})
	}
	lim.start = cr.InputOffset()
	last := 1 // the line of the last record read
	b := &sampleBuilder{opt: opt}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			if pe == nil { // an I/O error or a record too long, not a bad record
				return fmt.Errorf("%s: the record after line %d: %w", name, last, err)
			}
			if e := st.bad(opt.SkipBad, &Error{File: name, Line: line, Err: err}); e != nil {
				return e
			}
			continue // encoding/csv resumes at the next record
		}
		lim.start = cr.InputOffset()
		line, _ := cr.FieldPos(0)
		last = line
		b.reset()
		if f, err := b.setCSV(rec, &col); err != nil {
			if e := st.bad(opt.SkipBad, &Error{File: name, Line: line, Field: m.names()[f], Err: err}); e != nil {
				return e
			}
			continue
		}
		st.Samples++
		if err := fn(b.finish(score.Source{File: name, Line: line})); err != nil {
			return err
		}
	}
}

func (b *sampleBuilder) setCSV(rec []string, col *[nFields]int) (int, error) {
	s := &b.s
	get := func(f int) (string, bool) {
		if col[f] < 0 || col[f] >= len(rec) {
			return "", false
		}
		return rec[col[f]], true
	}
	for f := range nFields {
		v, ok := get(f)
		if !ok {
			continue
		}
		switch f {
		case fID:
			s.ID = v
		case fQuestion:
			s.Question = v
		case fResponse:
			s.Response = v
		case fReason:
			s.Reason = v
		case fModel:
			s.Model = v
		case fGold, fAliases:
			t := strings.TrimSpace(v)
			switch {
			case t == "":
			case strings.HasPrefix(t, "["):
				gs, err := jstrings(jsontext.Value(t))
				if err != nil {
					return f, err
				}
				s.Golds = append(s.Golds, gs...)
			case f == fAliases:
				for _, a := range strings.Split(t, ";") {
					if a = strings.TrimSpace(a); a != "" {
						s.Golds = append(s.Golds, a)
					}
				}
			default:
				s.Golds = append(s.Golds, v)
			}
		case fGrade:
			if strings.TrimSpace(v) != "" {
				b.setGrade(v)
			}
		case fConfidence, fTarget:
			if strings.TrimSpace(v) == "" {
				continue
			}
			x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return f, fmt.Errorf("%q is not a number%s", v, numberHint(f))
			}
			if f == fConfidence {
				err = b.setConfidence(x)
			} else {
				err = b.setTarget(x)
			}
			if err != nil {
				return f, err
			}
		}
	}
	return 0, nil
}
