package evallog

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/hallu-dev/hallu/score"
)

// SimpleQATestSet is the SimpleQA test set (Wei et al. 2024; 4,326 rows,
// columns metadata, problem, answer) or SimpleQA Verified (Haas et al.
// 2025; 1,000 rows, columns original_index, problem, answer, topic, …),
// indexed for joining predictions by id or by question text.
type SimpleQATestSet struct {
	Name  string
	Items []SimpleQAItem
	byID  map[string]int
	byQ   map[string]int
}

// SimpleQAItem is one question of the test set.
type SimpleQAItem struct {
	// ID is the 0-based row of the original SimpleQA file: the row index
	// for SimpleQA, the original_index column for SimpleQA Verified.
	ID         string
	Problem    string
	Answer     string
	Topic      string
	AnswerType string
}

// ReadSimpleQATest reads either test-set CSV. SimpleQA's metadata column
// is a Python-literal dict ({'topic': …, 'answer_type': …, 'urls': […]}),
// not JSON, and is parsed as such.
func ReadSimpleQATest(r io.Reader, name string) (*SimpleQATestSet, error) {
	var l Limits
	lim := &recordLimiter{r: r, max: l.line(), err: l.lineError()}
	cr := csv.NewReader(lim)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")] = i
	}
	for _, need := range []string{"problem", "answer"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("%s: header %q has no %q column; not a SimpleQA test set", name, header, need)
		}
	}
	ts := &SimpleQATestSet{Name: name, byID: map[string]int{}, byQ: map[string]int{}}
	lim.start = cr.InputOffset()
	last := 1 // the line of the last record read
	for row := 0; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: after line %d: %w", name, last, err)
		}
		lim.start = cr.InputOffset()
		line, _ := cr.FieldPos(0)
		last = line
		it := SimpleQAItem{ID: strconv.Itoa(row), Problem: rec[col["problem"]], Answer: rec[col["answer"]]}
		if i, ok := col["original_index"]; ok {
			it.ID = strings.TrimSpace(rec[i])
		}
		if i, ok := col["topic"]; ok {
			it.Topic = rec[i]
		}
		if i, ok := col["answer_type"]; ok {
			it.AnswerType = rec[i]
		}
		if i, ok := col["metadata"]; ok {
			md, err := parsePyLiteral(rec[i])
			if err != nil {
				return nil, &Error{File: name, Line: line, Field: "metadata", Err: err}
			}
			m, ok := md.(map[string]any)
			if !ok {
				return nil, &Error{File: name, Line: line, Field: "metadata", Err: errors.New("not a dict")}
			}
			it.Topic, _ = m["topic"].(string)
			it.AnswerType, _ = m["answer_type"].(string)
		}
		ts.byID[it.ID] = len(ts.Items)
		ts.byQ[questionKey(it.Problem)] = len(ts.Items)
		ts.Items = append(ts.Items, it)
	}
	return ts, nil
}

func questionKey(q string) string { return strings.Join(strings.Fields(q), " ") }

// SimpleQAColumns are the default columns of a SimpleQA predictions file:
// id (the test set's row, see SimpleQAItem.ID), question (joined on when
// the id is absent or unknown), response, grade (A/B/C or the names),
// confidence and model.
var SimpleQAColumns = ColumnMap{ID: "id", Question: "question", Response: "response", Grade: "grade",
	Confidence: "confidence", Model: "model", Target: "target"}

// parseSimpleQAGrade reads a SimpleQA grade: the judge's letters A
// (CORRECT), B (INCORRECT), C (NOT_ATTEMPTED), the names, or anything
// score.ParseOutcome reads except its one-letter Inspect codes.
func parseSimpleQAGrade(s string) (score.Outcome, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "A", "CORRECT":
		return score.Correct, nil
	case "B", "INCORRECT":
		return score.Wrong, nil
	case "C", "NOT_ATTEMPTED", "NOT ATTEMPTED":
		return score.Abstained, nil
	case "I", "N":
		return score.Ungraded, fmt.Errorf("ambiguous SimpleQA grade %q", s)
	}
	return score.ParseOutcome(s)
}

// readSimpleQA reads a predictions file (JSONL or CSV, columns by
// opt.Map) and joins each prediction to opt.SimpleQATest by id, else by
// question text, taking the question and gold answer from the test set.
func readSimpleQA(r *bufio.Reader, name string, opt Options, st *Stats, fn func(*score.Sample) error) error {
	ts := opt.SimpleQATest
	if ts == nil {
		return fmt.Errorf("%s: %w", name, &FormatError{Reason: "SimpleQA predictions need the test set", Option: "SimpleQATest"})
	}
	st.prov("simpleqa_test_set", ts.Name)
	st.prov("simpleqa_questions", strconv.Itoa(len(ts.Items)))
	head, _ := r.Peek(1 << 10)
	head = []byte(strings.TrimLeft(string(head), " \t\r\n\ufeff"))
	read := readCSV
	if len(head) > 0 && head[0] == '{' {
		read = readJSONL
	}
	if opt.Map == (ColumnMap{}) {
		opt.Map = SimpleQAColumns
	}
	m := opt.Map
	joined, byQuestion, dups := 0, 0, 0
	seen := map[string]bool{}
	sub := opt
	sub.grade = parseSimpleQAGrade
	err := read(r, name, sub, st, func(s *score.Sample) error {
		i, ok := -1, false
		if m.ID != "" && !strings.HasPrefix(s.ID, "line ") {
			i, ok = ts.byID[strings.TrimSpace(s.ID)]
		}
		if !ok && s.Question != "" {
			if i, ok = ts.byQ[questionKey(s.Question)]; ok {
				byQuestion++
			}
		}
		if !ok {
			st.Samples-- // counted by the prediction reader, but not a sample after all
			return st.bad(opt.SkipBad, &Error{File: name, Line: s.Source.Line, Field: "id",
				Err: fmt.Errorf("id %q / question %.40q is not in the SimpleQA test set %s", s.ID, s.Question, ts.Name)})
		}
		it := ts.Items[i]
		s.ID, s.Question, s.Golds = it.ID, it.Problem, append(s.Golds[:0], it.Answer)
		key := s.Model + "\x00" + s.ID
		if seen[key] {
			dups++
		}
		seen[key] = true
		joined++
		return fn(s)
	})
	st.prov("joined", strconv.Itoa(joined))
	if dups > 0 {
		st.note("%d predictions answer a question already answered by the same model; each is scored", dups)
	}
	if byQuestion > 0 {
		st.note("%d predictions joined to the test set by question text", byQuestion)
	}
	return err
}
