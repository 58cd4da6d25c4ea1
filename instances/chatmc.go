package instances

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/hallu-dev/hallu/evallog"
)

// mcItem is one multiple-choice item: a question, its choices, and the
// index (or indices) of the correct one.
type mcItem struct {
	Question *string         `json:"question"`
	Choices  []string        `json:"choices"`
	Gold     json.RawMessage `json:"gold"`
}

// ReadMultipleChoice reads multiple-choice items, one JSON object per line,
//
//	{"question":"What is the capital of France?","choices":["Lyon","Paris","Nice"],"gold":1}
//
// with gold a 0-based index into choices or a list of them, as candidate
// sets: context QAPrompt(question), the gold choices valid and the others
// errors, each " " + choice. Blank lines are skipped; a bad line is an
// error naming the file, line and field, and a line longer than
// lim.MaxLine an error naming the file and line.
func ReadMultipleChoice(r io.Reader, name string, lim evallog.Limits) ([]CandidateSet, ConvertStats, error) {
	var st ConvertStats
	var out []CandidateSet
	err := lim.EachLine(r, name, func(line int, raw []byte) error {
		var it mcItem
		if err := json.Unmarshal(raw, &it); err != nil {
			return fmt.Errorf("%s line %d: not a multiple-choice item: %w", name, line, err)
		}
		if it.Question == nil {
			return fieldErr(name, line, "question", "missing")
		}
		var golds []int
		var one int
		if json.Unmarshal(it.Gold, &one) == nil {
			golds = []int{one}
		} else if err := json.Unmarshal(it.Gold, &golds); err != nil || len(golds) == 0 {
			return fieldErr(name, line, "gold", "want an index into choices or a non-empty list of them")
		}
		isGold := map[int]bool{}
		for _, g := range golds {
			if g < 0 || g >= len(it.Choices) {
				return fieldErr(name, line, "gold", "index %d is not one of the %d choices", g, len(it.Choices))
			}
			isGold[g] = true
		}
		s := CandidateSet{Context: QAPrompt(*it.Question), Line: line}
		for i, c := range it.Choices {
			if isGold[i] {
				s.Valid = append(s.Valid, " "+c)
			} else {
				s.Errors = append(s.Errors, " "+c)
			}
		}
		if err := s.Check(); err != nil {
			return fmt.Errorf("%s line %d: %w", name, line, err)
		}
		out = append(out, s)
		st.Sets++
		return nil
	})
	if err != nil {
		return nil, st, err
	}
	return out, st, nil
}
