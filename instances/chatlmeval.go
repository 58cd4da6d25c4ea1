package instances

import (
	"fmt"
	"io"

	"github.com/hallu-dev/hallu/evallog"
)

// LMEvalSets reads the questions and choices of an lm-evaluation-harness
// samples log of a multiple-choice task (the samples ReadLMEval reads) as
// candidate sets, to be scored anew on an endpoint instead of by the
// log-likelihoods the log recorded: context QAPrompt(question), the gold
// choice valid, the others errors, each " " + choice. Samples without a
// question or choice texts, with two choices of one text, or repeating an
// earlier sample's question (the prompt would be the same) are left out
// and counted. Bad samples are errors naming file, line and
// field; lim bounds a line and a file that is one JSON array.
func LMEvalSets(r io.Reader, name string, lim evallog.Limits) ([]CandidateSet, ConvertStats, error) {
	var st ConvertStats
	var sets []CandidateSet
	asked := map[string]bool{}
	_, err := evallog.ReadLMEvalChoices(r, name, evallog.LMEvalChoiceOptions{Norm: evallog.NormRaw, Limits: lim}, func(mc *evallog.MultipleChoice) error {
		switch {
		case mc.Question == "":
			st.skip("lm-eval samples whose document has no question")
			return nil
		case mc.Choices == nil:
			st.skip("lm-eval samples without choice texts")
			return nil
		case asked[mc.Question]:
			st.skip("lm-eval samples repeating an earlier sample's question (one prompt, one set)")
			return nil
		}
		asked[mc.Question] = true
		s := CandidateSet{Context: QAPrompt(mc.Question), Line: mc.Source.Line}
		var seen answerSet
		for i, c := range mc.Choices {
			if !seen.add(c) {
				st.skip("lm-eval samples with two choices of one text")
				return nil
			}
			if i == mc.Gold {
				s.Valid = append(s.Valid, " "+c)
			} else {
				s.Errors = append(s.Errors, " "+c)
			}
		}
		if err := s.Check(); err != nil {
			return fmt.Errorf("%s line %d: %w", name, mc.Source.Line, err)
		}
		sets = append(sets, s)
		st.Sets++
		return nil
	})
	if err != nil {
		return nil, st, sampleError(err)
	}
	return sets, st, nil
}
