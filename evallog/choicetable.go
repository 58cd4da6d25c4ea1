package evallog

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/hallu-dev/hallu/internal/softmax"
	"github.com/hallu-dev/hallu/score"
)

// ScoreKind says what a choice table's scores are.
type ScoreKind string

// The kinds of score a choice table may hold. Logits and log-probabilities
// both become p̂ by a softmax over the choices (which a shift of every score
// does not change); log-probabilities must be ≤ 0, and only they can be
// length-normalised. Probabilities are divided by their sum over the
// choices (the softmax of their logarithms): p̂ restricted to the choices.
const (
	KindLogit   ScoreKind = "logit"
	KindLogprob ScoreKind = "logprob"
	KindProb    ScoreKind = "prob"
)

// GoldAs says how a choice table's gold column names the gold choice.
type GoldAs string

// The ways a gold value can name a choice. GoldAuto reads a single letter
// as a letter, else an integer as a 0-based index, else a text; a value
// that reads two ways naming different choices is an error.
const (
	GoldAuto   GoldAs = "auto"
	GoldLetter GoldAs = "letter" // A, B, C, … in the order of the score columns
	GoldIndex  GoldAs = "index"  // 0-based
	GoldIndex1 GoldAs = "index1" // 1-based
	GoldText   GoldAs = "text"   // equal (spaces trimmed) to one choice's text
)

// ChoiceTable describes a table of per-choice scores, one question per CSV
// row or JSONL line, written by any tool: which columns hold the choices'
// scores, which the gold choice, and what kind of score they are.
//
// Columns are named by their header (CSV) or member name (JSONL), as a
// comma-separated list ("Logit_A,Logit_B,Logit_C,Logit_D") or one pattern
// of path.Match ("Logit_*", matched against the header in its order). In
// JSONL a single name may also name one member holding an array, which
// gives each line its own number of choices.
type ChoiceTable struct {
	Scores string // the choices' scores (required)
	Gold   string // the gold choice (required)
	GoldAs GoldAs // default GoldAuto
	Kind   ScoreKind
	// Texts names the choices' texts, needed for a length normalisation
	// and a gold given as text; as Scores, one per choice.
	Texts    string
	Question string // the question's text (optional)
	ID       string // the question's identifier (optional; default the row number)
	Norm     Norm   // default NormRaw; other norms need Kind logprob and Texts
	SkipBad  bool
	// Limits bounds a CSV record or JSONL line (zero: the default).
	Limits Limits
}

// ChoiceTableStats counts what ReadChoiceTable read and left out.
type ChoiceTableStats struct {
	Format  string `json:"format"` // "csv" or "jsonl"
	Samples int    `json:"samples"`
	Skips
}

// Skips counts the records a reader skipped (SkipBad) and keeps the first.
type Skips struct {
	Skipped      int    `json:"skipped_bad"`
	FirstSkipped *Error `json:"-"`
}

// skip returns e when bad records are not to be skipped; otherwise it counts
// e, keeps it if it is the first, and returns nil.
func (s *Skips) skip(e *Error, skipBad bool) error {
	if !skipBad {
		return e
	}
	s.Skipped++
	if s.FirstSkipped == nil {
		s.FirstSkipped = e
	}
	return nil
}

// ReadChoiceTable reads a CSV file (with a header row) or JSONL file
// (detected by a first non-blank byte '{') of per-choice scores, as t
// describes, and calls fn with each question in order. The
// *MultipleChoice is reused: fn must copy what it keeps; fn's error stops
// reading and is returned as is.
//
// A missing or non-numeric score, a NaN or +Inf score (or a positive
// log-probability, or a probability outside [0,1]), a question with fewer
// than two choices, and a gold value that names no choice are *Errors
// naming the file, line and column; with t.SkipBad they are skipped and
// counted. A named column absent from the header is an error whatever
// SkipBad says.
func ReadChoiceTable(r io.Reader, name string, t ChoiceTable, fn func(*MultipleChoice) error) (ChoiceTableStats, error) {
	if t.GoldAs == "" {
		t.GoldAs = GoldAuto
	}
	if t.Kind == "" {
		t.Kind = KindLogit
	}
	if t.Norm == "" {
		t.Norm = NormRaw
	}
	if err := t.check(); err != nil {
		return ChoiceTableStats{}, fmt.Errorf("%s: %w", name, err)
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	var st ChoiceTableStats
	var mc MultipleChoice
	emit := func(e *Error) error {
		if e != nil {
			return st.skip(e, t.SkipBad)
		}
		st.Samples++
		return fn(&mc)
	}
	var err error
	if firstByte(br) == '{' {
		st.Format = "jsonl"
		err = readChoiceJSONL(br, name, t, &mc, emit)
	} else {
		st.Format = "csv"
		err = readChoiceCSV(br, name, t, &mc, emit)
	}
	if err != nil {
		return st, err
	}
	if st.Samples == 0 {
		return st, fmt.Errorf("%s: no question read (%d skipped)", name, st.Skipped)
	}
	return st, nil
}

func (t ChoiceTable) check() error {
	switch {
	case t.Scores == "":
		return errors.New("no score columns named")
	case t.Gold == "":
		return errors.New("no gold column named")
	}
	switch t.Kind {
	case KindLogit, KindLogprob, KindProb:
	default:
		return fmt.Errorf("unknown score kind %q (want logit, logprob or prob)", t.Kind)
	}
	switch t.GoldAs {
	case GoldAuto, GoldLetter, GoldIndex, GoldIndex1, GoldText:
	default:
		return fmt.Errorf("unknown gold form %q (want auto, letter, index, index1 or text)", t.GoldAs)
	}
	if _, err := ParseNorm(string(t.Norm)); err != nil {
		return err
	}
	if t.Norm != NormRaw && (t.Kind != KindLogprob || t.Texts == "") {
		return fmt.Errorf("%s normalisation divides log-probabilities by the choices' lengths: it needs score kind logprob and the choices' text columns", t.Norm)
	}
	if t.GoldAs == GoldText && t.Texts == "" {
		return errors.New("a gold given as text needs the choices' text columns")
	}
	return nil
}

// firstByte returns the first non-blank byte of br without consuming it; 0
// if the first 4 KiB hold none.
func firstByte(br *bufio.Reader) byte {
	b, _ := br.Peek(4096)
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// columnSpec resolves a list or pattern of column names against names (in
// order); nil spec gives nil.
func columnSpec(spec string, names []string) ([]int, error) {
	if spec == "" {
		return nil, nil
	}
	index := map[string]int{}
	for i, n := range names {
		if _, dup := index[n]; !dup {
			index[n] = i
		}
	}
	if strings.ContainsAny(spec, "*?[") {
		if _, err := path.Match(spec, ""); err != nil {
			return nil, fmt.Errorf("pattern %q: %w", spec, err)
		}
		var out []int
		for i, n := range names {
			if ok, _ := path.Match(spec, n); ok {
				out = append(out, i)
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("pattern %q matches no column of %s", spec, quoteList(names))
		}
		return out, nil
	}
	var out []int
	for _, n := range strings.Split(spec, ",") {
		i, ok := index[n]
		if !ok {
			return nil, fmt.Errorf("column %q not found; the columns are %s", n, quoteList(names))
		}
		out = append(out, i)
	}
	return out, nil
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	if len(q) > 20 {
		q = append(q[:20], "…")
	}
	return strings.Join(q, ", ")
}

// readChoiceCSV reads the CSV table; emit receives each question (nil) or
// its error.
func readChoiceCSV(r io.Reader, name string, t ChoiceTable, mc *MultipleChoice, emit func(*Error) error) error {
	cr := t.Limits.NewCSVReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s: reading the header: %w", name, err)
	}
	header = append([]string(nil), header...)
	cols := map[string][]int{}
	for _, c := range []struct{ key, spec string }{{"scores", t.Scores}, {"texts", t.Texts}, {"gold", t.Gold}, {"question", t.Question}, {"id", t.ID}} {
		idx, err := columnSpec(c.spec, header)
		if err != nil {
			return fmt.Errorf("%s: header: %w", name, err)
		}
		if c.key != "scores" && c.key != "texts" && len(idx) > 1 {
			return fmt.Errorf("%s: header: %s column %q names %d columns, want one", name, c.key, c.spec, len(idx))
		}
		cols[c.key] = idx
	}
	if len(cols["texts"]) > 0 && len(cols["texts"]) != len(cols["scores"]) {
		return fmt.Errorf("%s: header: %d text columns for %d score columns", name, len(cols["texts"]), len(cols["scores"]))
	}
	cell := func(rec []string, i int) (string, bool) {
		if i < len(rec) {
			return rec[i], true
		}
		return "", false
	}
	scores := make([]string, len(cols["scores"]))
	var texts []string
	row, line := 0, 1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return &Error{File: name, Line: pe.Line, Err: err}
			}
			return fmt.Errorf("%s: the record after line %d: %w", name, line, err) // an I/O error or a record too long
		}
		line, _ = cr.FieldPos(0)
		row++
		bad := func(col int, err error) error {
			return emit(&Error{File: name, Line: line, Field: header[col], Err: err})
		}
		missing := -1
		for k, i := range cols["scores"] {
			var ok bool
			if scores[k], ok = cell(rec, i); !ok && missing < 0 {
				missing = i
			}
		}
		if missing >= 0 {
			if err := bad(missing, fmt.Errorf("missing: the row has %d fields", len(rec))); err != nil {
				return err
			}
			continue
		}
		texts = texts[:0]
		for _, i := range cols["texts"] {
			s, _ := cell(rec, i)
			texts = append(texts, s)
		}
		*mc = MultipleChoice{DocID: strconv.Itoa(row - 1), Source: score.Source{File: name, Line: line}}
		if idx := cols["id"]; len(idx) == 1 {
			mc.DocID, _ = cell(rec, idx[0])
		}
		if idx := cols["question"]; len(idx) == 1 {
			mc.Question, _ = cell(rec, idx[0])
		}
		gold, _ := cell(rec, cols["gold"][0])
		field, err := t.fill(mc, scores, texts, gold)
		if err != nil {
			col := cols["gold"][0]
			if field >= 0 {
				col = cols["scores"][field]
			}
			if err := bad(col, err); err != nil {
				return err
			}
			continue
		}
		if err := emit(nil); err != nil {
			return err
		}
	}
}

// readChoiceJSONL reads the JSONL table.
func readChoiceJSONL(r io.Reader, name string, t ChoiceTable, mc *MultipleChoice, emit func(*Error) error) error {
	row := 0
	return t.Limits.eachLine(r, name, func(line int, raw []byte) error {
		row++
		var obj map[string]jsontext.Value
		var keys []string
		err := unmarshalPython(raw, &obj)
		if err == nil {
			err = members(jsontext.Value(raw), func(name string, _ jsontext.Value) error {
				keys = append(keys, name)
				return nil
			})
		}
		if err != nil {
			return emit(&Error{File: name, Line: line, Err: fmt.Errorf("not a JSON object: %w", err)})
		}
		bad := func(field string, err error) error {
			return emit(&Error{File: name, Line: line, Field: field, Err: err})
		}
		scores, scoreFields, err := jsonColumn(obj, keys, t.Scores)
		if err != nil {
			return bad(t.Scores, err)
		}
		var texts []string
		if t.Texts != "" {
			if texts, _, err = jsonColumn(obj, keys, t.Texts); err != nil {
				return bad(t.Texts, err)
			}
			if len(texts) != len(scores) {
				return bad(t.Texts, fmt.Errorf("%d texts for %d scores", len(texts), len(scores)))
			}
		}
		*mc = MultipleChoice{DocID: strconv.Itoa(row - 1), Source: score.Source{File: name, Line: line}}
		for _, f := range []struct {
			name string
			to   *string
		}{{t.ID, &mc.DocID}, {t.Question, &mc.Question}} {
			if f.name == "" {
				continue
			}
			v, ok := obj[f.name]
			s, isText := jtext(v)
			if !ok || !isText {
				return bad(f.name, fmt.Errorf("%s is not a string or number", abbrev(v)))
			}
			*f.to = s
		}
		gv, ok := obj[t.Gold]
		gold, isText := jtext(gv)
		if !ok || !isText {
			return bad(t.Gold, fmt.Errorf("%s is not a letter, index or text", abbrev(gv)))
		}
		field, err := t.fill(mc, scores, texts, gold)
		if err != nil {
			if field >= 0 {
				return bad(scoreFields[field], err)
			}
			return bad(t.Gold, err)
		}
		return emit(nil)
	})
}

// jsonColumn returns the values of the members spec names (a list, a
// pattern, or one member holding an array) as text, and the field name of
// each for messages.
func jsonColumn(obj map[string]jsontext.Value, keys []string, spec string) ([]string, []string, error) {
	if !strings.ContainsAny(spec, ",*?[") {
		v, ok := obj[spec]
		if !ok {
			return nil, nil, errors.New("missing")
		}
		if v.Kind() == '[' {
			var items []jsontext.Value
			if err := unmarshalPython(v, &items); err != nil {
				return nil, nil, err
			}
			out, fields := make([]string, len(items)), make([]string, len(items))
			for i, it := range items {
				fields[i] = spec + "[" + strconv.Itoa(i) + "]"
				if s, ok := jtext(it); ok {
					out[i] = s
				} else if it.Kind() != 'n' {
					return nil, nil, fmt.Errorf("item %d, %s, is not a string or number", i, abbrev(it))
				}
			}
			return out, fields, nil
		}
	}
	idx, err := columnSpec(spec, keys)
	if err != nil {
		return nil, nil, err
	}
	out, fields := make([]string, len(idx)), make([]string, len(idx))
	for k, i := range idx {
		fields[k] = keys[i]
		v := obj[keys[i]]
		if s, ok := jtext(v); ok {
			out[k] = s
		} else if v.Kind() != 'n' {
			return nil, nil, fmt.Errorf("member %q, %s, is not a string or number", keys[i], abbrev(v))
		}
	}
	return out, fields, nil
}

// fill completes mc (DocID, Source and Question set) from one row's score
// and text cells and gold value. On error it returns the index of the offending score, or -1 for the
// gold.
func (t ChoiceTable) fill(mc *MultipleChoice, scores, texts []string, gold string) (int, error) {
	n := len(scores)
	if n < 2 {
		return -1, fmt.Errorf("%d choice(s): a multiple-choice question needs at least two", n)
	}
	lls := make([]float64, n)
	for i, s := range scores {
		s = strings.TrimSpace(s)
		if s == "" {
			return i, errors.New("missing score")
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return i, fmt.Errorf("score %q is not a number", s)
		}
		switch {
		case math.IsNaN(x) || math.IsInf(x, 1):
			return i, fmt.Errorf("score %v is not finite", x)
		case t.Kind == KindLogit && math.IsInf(x, -1):
			return i, fmt.Errorf("logit %v is not finite", x)
		case t.Kind == KindLogprob && x > 0:
			return i, fmt.Errorf("log-probability %v is positive", x)
		case t.Kind == KindProb && (x < 0 || x > 1):
			return i, fmt.Errorf("probability %v is outside [0,1]", x)
		case t.Kind == KindProb:
			x = math.Log(x)
		}
		lls[i] = x
	}
	mc.LogLikelihoods = lls
	if len(texts) == n {
		mc.Choices = append([]string(nil), texts...)
	}
	var err error
	if mc.Gold, err = t.gold(gold, mc.Choices, n); err != nil {
		return -1, err
	}
	if mc.Scores, err = normalize(lls, mc.Choices, t.Norm); err != nil {
		return -1, err
	}
	if mc.Phat, err = softmax.Of(mc.Scores); err != nil {
		return 0, fmt.Errorf("no choice has a probability above 0: %w", err)
	}
	mc.Pred = argmax(mc.Scores)
	return -1, nil
}

// gold returns the index of the choice v names among n choices.
func (t ChoiceTable) gold(v string, texts []string, n int) (int, error) {
	s := strings.TrimSpace(v)
	letter := func() int {
		if len(s) == 1 {
			c := s[0] | 0x20 // lower case
			if c >= 'a' && c <= 'z' {
				return int(c - 'a')
			}
		}
		return -1
	}
	index := func(base int) int {
		i, err := strconv.Atoi(s)
		if err != nil {
			return -1
		}
		return i - base
	}
	text := func() int {
		for i, c := range texts {
			if strings.TrimSpace(c) == s {
				return i
			}
		}
		return -1
	}
	in := func(i int) bool { return i >= 0 && i < n }
	var i int
	switch t.GoldAs {
	case GoldLetter:
		i = letter()
	case GoldIndex:
		i = index(0)
	case GoldIndex1:
		i = index(1)
	case GoldText:
		i = text()
	default:
		i = letter()
		if !in(i) {
			i = index(0)
		}
		if j := text(); in(j) && in(i) && i != j {
			return 0, fmt.Errorf("%q names choice %d as a letter or index but choice %d by its text; say which with the gold form", s, i, j)
		} else if !in(i) {
			i = j
		}
	}
	if !in(i) {
		return 0, fmt.Errorf("%q names none of the %d choices (gold read as %s)", s, n, t.GoldAs)
	}
	return i, nil
}
