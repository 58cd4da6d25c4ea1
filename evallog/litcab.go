package evallog

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/hallu-dev/hallu/score"
)

// readLitCab reads the model outputs of LitCab's CaT benchmark (Liu et al.
// 2023): one JSON object per line
// with the question, the model's sampled answer (answer[0]), the gold
// answer, normalized_score[0] (the geometric-mean token probability of the
// answer, used as its confidence) and rouge_correct_first_answer (despite
// its name, GPT-4-judged correctness in these files). Each question is its
// own ID, so outputs of two models on the same questions pair up.
func readLitCab(r io.Reader, name string, opt Options, st *Stats, fn func(*score.Sample) error) error {
	var s score.Sample
	var conf float64
	return opt.Limits.eachLine(r, name, func(line int, raw []byte) error {
		var rec struct {
			Question   string         `json:"question"`
			Answer     jsontext.Value `json:"answer"`
			Gold       jsontext.Value `json:"gold_answer"`
			Normalized jsontext.Value `json:"normalized_score"`
			Correct    jsontext.Value `json:"rouge_correct_first_answer"`
		}
		field, err := "", unmarshal(raw, &rec)
		s = score.Sample{ID: rec.Question, Question: rec.Question, Model: cmp.Or(opt.Model, opt.DefaultModel),
			Source: score.Source{File: name, Line: line}}
		if err == nil {
			field, err = litcabFields(&rec.Answer, &rec.Gold, &rec.Normalized, &rec.Correct, &s, &conf)
		}
		if err == nil && rec.Question == "" {
			field, err = "question", fmt.Errorf("missing")
		}
		if err != nil {
			if err := st.bad(opt.SkipBad, &Error{File: name, Line: line, Field: field, Err: err}); err != nil {
				return err
			}
			return nil
		}
		st.Samples++
		if err := fn(&s); err != nil {
			return err
		}
		return nil
	})
}

func litcabFields(answer, gold, normalized, correct *jsontext.Value, s *score.Sample, conf *float64) (string, error) {
	as, err := jstrings(*answer)
	if err != nil || len(as) == 0 {
		return "answer", fmt.Errorf("%s is not an answer list", abbrev(*answer))
	}
	s.Response = as[0]
	if s.Golds, err = jstrings(*gold); err != nil {
		return "gold_answer", err
	}
	c, ok := jnumber(*normalized)
	if !ok {
		var cs []jsontext.Value
		if unmarshal(*normalized, &cs) != nil || len(cs) == 0 {
			return "normalized_score", fmt.Errorf("%s is not a probability", abbrev(*normalized))
		}
		if c, ok = jnumber(cs[0]); !ok {
			return "normalized_score", fmt.Errorf("%s is not a probability", abbrev(cs[0]))
		}
	}
	if !(c >= 0 && c <= 1) {
		return "normalized_score", fmt.Errorf("%v is not in [0,1]", c)
	}
	*conf = c
	s.Confidence = conf
	t, _ := jtext(*correct)
	switch strings.ToLower(t) {
	case "true", "1":
		s.Outcome = score.Correct
	case "false", "0":
		s.Outcome = score.Wrong
	default:
		return "rouge_correct_first_answer", fmt.Errorf("%s is not a boolean", abbrev(*correct))
	}
	return "", nil
}
