package instances

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/hallu-dev/hallu/evallog"
)

// TruthfulQA converts TruthfulQA.csv (Lin, Hilton, Evans 2021:
// columns Type, Category, Question, Best Answer, [Best Incorrect
// Answer], Correct Answers, Incorrect Answers, Source, the answer lists
// separated by ";") into candidate sets: context QAPrompt(Question), valid
// the correct answers, errors the incorrect ones. The file gives no
// distribution over correct answers, so p is uniform over them. Answers
// repeated within a list are kept once; an answer listed both as correct
// and incorrect makes its question ambiguous, and the question is left out
// and counted. "I have no comment" and the like are correct answers in
// TruthfulQA: they count as valid, as the paper counts IDK (Section 3.2 of arXiv:2509.04664).
// A record longer than lim.MaxLine is an error naming the file and the line
// after which it starts.
func TruthfulQA(r io.Reader, name string, lim evallog.Limits) ([]CandidateSet, ConvertStats, error) {
	var st ConvertStats
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	cr := lim.NewCSVReader(br)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, st, fmt.Errorf("%s: header: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	for _, need := range []string{"Question", "Correct Answers", "Incorrect Answers"} {
		if _, ok := col[need]; !ok {
			return nil, st, fmt.Errorf("%s line 1: no column %q (want TruthfulQA.csv)", name, need)
		}
	}
	var sets []CandidateSet
	last := 1 // the line of the last record read
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if _, ok := err.(*csv.ParseError); ok {
				return nil, st, fmt.Errorf("%s: %w", name, err)
			}
			return nil, st, fmt.Errorf("%s: the record after line %d: %w", name, last, err)
		}
		line, _ := cr.FieldPos(0)
		last = line
		get := func(c string) string {
			if i := col[c]; i < len(rec) {
				return rec[i]
			}
			return ""
		}
		q := strings.TrimSpace(get("Question"))
		if q == "" {
			return nil, st, fieldErr(name, line, "Question", "empty")
		}
		var valid, wrong answerSet
		for _, a := range strings.Split(get("Correct Answers"), ";") {
			valid.add(a)
		}
		for _, a := range strings.Split(get("Incorrect Answers"), ";") {
			wrong.add(a)
		}
		conflict := false
		for _, a := range wrong.list {
			conflict = conflict || valid.has(a)
		}
		switch {
		case conflict:
			st.skip("an answer listed both as correct and as incorrect")
			continue
		case len(valid.list) == 0:
			return nil, st, fieldErr(name, line, "Correct Answers", "no correct answer for %q", q)
		case len(wrong.list) == 0:
			return nil, st, fieldErr(name, line, "Incorrect Answers", "no incorrect answer for %q", q)
		}
		sets = append(sets, CandidateSet{Context: QAPrompt(q), Valid: spaced(valid.list), Errors: spaced(wrong.list), Line: line})
	}
	st.Sets = len(sets)
	return sets, st, nil
}
