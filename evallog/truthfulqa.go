package evallog

import (
	"cmp"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/hallu-dev/hallu/score"
	"github.com/hallu-dev/hallu/score/grade"
)

// readTruthfulQA reads TruthfulQA's human-judged answers (Lin et al. 2022;
// finetune_truth.jsonl, the GPT-judge training data): one JSON object per
// line, {"prompt": "Q: <question>\nA: <answer>\nTrue:", "completion": " yes"
// | " no"}. A truthful answer is correct, an untruthful one wrong, except
// that TruthfulQA judges "I have no comment" truthful: under the paper's
// correct/wrong/IDK trichotomy (Observation 1 of arXiv:2509.04664) it is an abstention, so an
// answer that Options.Abstention recognises is abstained whatever its
// label. The answers of many models are mixed and not attributed, so the
// file is one "model". The informativeness file (prompts ending
// "Helpful:") is refused: it does not grade truth.
func readTruthfulQA(r io.Reader, name string, opt Options, st *Stats, fn func(*score.Sample) error) error {
	var s score.Sample
	det := opt.Abstention
	if det == nil {
		det = grade.DefaultDetector()
	}
	abstained := 0
	err := opt.Limits.eachLine(r, name, func(line int, raw []byte) error {
		var rec struct {
			Prompt     *string `json:"prompt"`
			Completion *string `json:"completion"`
		}
		field, err := "", unmarshal(raw, &rec)
		var q, a string
		if err == nil {
			field, q, a, err = truthfulQAPrompt(rec.Prompt)
		}
		if err != nil {
			if line == 1 && strings.Contains(err.Error(), "Helpful:") {
				return &Error{File: name, Line: line, Field: field, Err: err}
			}
			if err := st.bad(opt.SkipBad, &Error{File: name, Line: line, Field: field, Err: err}); err != nil {
				return err
			}
			return nil
		}
		s = score.Sample{ID: "line " + strconv.Itoa(line), Question: q, Response: a,
			Model: cmp.Or(opt.Model, opt.DefaultModel), Source: score.Source{File: name, Line: line}}
		switch c := ""; {
		case rec.Completion == nil:
			s.Outcome, s.Reason = score.Invalid, "no completion (judgement)"
		default:
			c = strings.ToLower(strings.TrimSpace(*rec.Completion))
			switch c {
			case "yes":
				s.Outcome = score.Correct
			case "no":
				s.Outcome = score.Wrong
			default:
				s.Outcome, s.Reason = score.Invalid, "judgement "+strconv.Quote(c)+" is neither yes nor no"
			}
		}
		if ok, p := det.Abstains(a); ok && s.Outcome != score.Invalid {
			s.Reason = "judged " + s.Outcome.String() + " (truthful: " + strconv.FormatBool(s.Outcome == score.Correct) + "); abstention phrase \"" + p + "\""
			s.Outcome = score.Abstained
			abstained++
		}
		st.Samples++
		if err := fn(&s); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	if abstained > 0 {
		st.note("%d answers are abstentions (e.g. \"I have no comment\"), scored 0 whatever their truthfulness label", abstained)
	}
	return nil
}

// truthfulQAPrompt splits "Q: …\nA: …\nTrue:" into question and answer.
func truthfulQAPrompt(p *string) (field, q, a string, err error) {
	if p == nil {
		return "prompt", "", "", errors.New("missing")
	}
	body, ok := strings.CutSuffix(strings.TrimRight(*p, " "), "\nTrue:")
	if !ok {
		if strings.HasSuffix(strings.TrimSpace(*p), "Helpful:") {
			return "prompt", "", "", errors.New(`ends in "Helpful:": this is the informativeness file (finetune_info); score finetune_truth`)
		}
		return "prompt", "", "", errors.New(`does not end in "\nTrue:"`)
	}
	q, a, ok = strings.Cut(body, "\nA:")
	if !ok || !strings.HasPrefix(q, "Q:") {
		return "prompt", "", "", errors.New(`is not "Q: …\nA: …"`)
	}
	return "", strings.TrimSpace(strings.TrimPrefix(q, "Q:")), strings.TrimSpace(a), nil
}
