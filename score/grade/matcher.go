package grade

import (
	"context"
	"strings"

	"github.com/hallu-dev/hallu/score"
)

// A Grader decides the outcome of one sample. Matcher is the built-in
// Grader; an LLM judge (`hallu run`) is another. GradeSample returns an
// error only when grading itself failed (e.g. the judge's API); Resolve
// records such a sample as invalid with the error as its reason.
type Grader interface {
	GradeSample(ctx context.Context, s *score.Sample) (score.Outcome, string, error)
}

// Matcher grades a response against gold answers by normalised matching.
// The zero Matcher is usable: exact numbers, containment on, no abstention
// detection.
type Matcher struct {
	// NumTol is the relative tolerance of numeric answers: a gold number
	// g matches any response number within NumTol·|g| of it. A gold's
	// stated "acceptable range" overrides it.
	NumTol float64
	// Exact turns off containment: the normalised response must equal a
	// normalised gold (numbers and dates still match inside text).
	Exact bool
	// Abstention, when set, recognises abstentions.
	Abstention *Detector
}

// Grade returns the outcome of response against golds (the gold answer and
// its aliases), and a short reason. In order:
//
//  1. an empty response is Invalid;
//  2. an abstention (Abstention's decision) is Abstained, whatever else it
//     says; without golds the response cannot be graded and is Invalid;
//  3. the response, with any abstention words of a hedged answer cut out,
//     is compared with each gold: equal once normalised (Normalize), or,
//     unless Exact, the gold's words appearing in order in it; a numeric
//     gold and any number in the response within tolerance (or the gold's
//     acceptable range); a gold of several numbers ("2008-2013") and the
//     same numbers in order in the response; a gold date and a response
//     date that agrees on every field the gold gives — any of these is
//     Correct;
//  4. anything else is Wrong.
func (m *Matcher) Grade(response string, golds []string) (score.Outcome, string) {
	if strings.TrimSpace(response) == "" {
		return score.Invalid, "empty response"
	}
	rt, ends := tokenize(response, m.Abstention != nil && m.Abstention.Opening > 0)
	hedged := ""
	if m.Abstention != nil {
		// An abstention is graded as one whatever else it says. An
		// answer around abstention words (a hedge, or a preamble before
		// the answer) is matched without them, so that "No idea, but
		// maybe Lyon" never matches the gold "No".
		c := m.Abstention.decide(rt, m.Abstention.opening(ends))
		if c.Abstained {
			return score.Abstained, c.String()
		}
		if c.Kind != "" {
			rt, hedged = m.Abstention.cut(rt), c.String()+"; "
		}
	}
	if len(golds) == 0 {
		return score.Invalid, "no gold answer to grade against"
	}
	o, why := m.match(response, rt, golds)
	return o, hedged + why
}

// match grades the response (rt, its tokens to match) against golds:
// Correct or Wrong.
func (m *Matcher) match(response string, rt []string, golds []string) (score.Outcome, string) {
	rn := strings.Join(rt, " ")
	var rnums []float64
	var rdates []date
	numsRead, datesRead := false, false
	for _, g := range golds {
		gt := tokens(g)
		if len(gt) == 0 {
			continue
		}
		if rn == strings.Join(gt, " ") {
			return score.Correct, "matches gold " + quote(g)
		}
		if !m.Exact && containsSeq(rt, gt) {
			return score.Correct, "contains gold " + quote(g)
		}
		if seq, ok := numericSequenceGold(g); ok {
			if !numsRead {
				rnums, numsRead = numbers(response), true
			}
			if containsNumbers(rnums, seq, m.NumTol) {
				return score.Correct, "numbers match gold " + quote(g)
			}
			continue
		}
		if ng, ok := parseNumericGold(g, m.NumTol); ok {
			if !numsRead {
				rnums, numsRead = numbers(response), true
			}
			for _, v := range rnums {
				if v >= ng.lo && v <= ng.hi {
					return score.Correct, "number matches gold " + quote(g)
				}
			}
		}
		for _, gd := range dates(g) {
			if !datesRead {
				rdates, datesRead = dates(response), true
			}
			for _, rd := range rdates {
				if gd.covers(rd) {
					return score.Correct, "date matches gold " + quote(g)
				}
			}
		}
	}
	return score.Wrong, "matches no gold"
}

// GradeSample grades s.Response against s.Golds; it never fails.
func (m *Matcher) GradeSample(_ context.Context, s *score.Sample) (score.Outcome, string, error) {
	o, why := m.Grade(s.Response, s.Golds)
	return o, why, nil
}

func quote(s string) string {
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return "\"" + s + "\""
}
