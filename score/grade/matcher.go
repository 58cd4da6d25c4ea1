package grade

import (
	"context"
	"slices"
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
	// Coarse accepts answers coarser than the gold, as NQ's human raters
	// do and SimpleQA's grader does not: a year or a month and year for a
	// full date, a century for a year (`hallu score --match lenient`).
	Coarse bool
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
//     unless Exact, the gold's words appearing in order in it (up to
//     titles, suffixes, middle names, a typo in a name, state
//     abbreviations, plurals, spacing of compounds, acronyms, or the key
//     part of the gold: see contains, acronymMatch and keyParts); a
//     numeric gold and any number in the response within tolerance (or the
//     gold's acceptable range, bound, or approximation: numericGold); a
//     gold of several numbers ("2008-2013") and the same numbers in order
//     in the response, or a range of quantities ("10–12 years") and a
//     number in it; a gold date and a response date that agrees on every
//     field the gold gives; with Coarse, an answer coarser than the gold
//     (coarser) — any of these is Correct;
//  4. anything else is Wrong.
func (m *Matcher) Grade(response string, golds []string) (score.Outcome, string) {
	return m.GradeQuestion("", response, golds)
}

// GradeQuestion is Grade for a response to question: the rules that read
// the question (an acronym the question already writes is not an answer)
// apply.
func (m *Matcher) GradeQuestion(question, response string, golds []string) (score.Outcome, string) {
	if strings.TrimSpace(response) == "" {
		return score.Invalid, "empty response"
	}
	response = unescape(response)
	rt, ends := tokenize(response, m.Abstention != nil)
	hedged := ""
	if m.Abstention != nil {
		// An abstention is graded as one whatever else it says. An
		// answer around abstention words (a hedge, or a preamble before
		// the answer) is matched without them, so that "No idea, but
		// maybe Lyon" never matches the gold "No".
		c := m.Abstention.decide(rt, ends)
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
	o, why := m.match(question, response, rt, golds)
	return o, hedged + why
}

// match grades the response (rt, its tokens to match) to question against
// golds: Correct or Wrong.
func (m *Matcher) match(question, response string, rt []string, golds []string) (score.Outcome, string) {
	rt = fold(rt)
	rn := strings.Join(rt, " ")
	var rnums []number
	var rdates []date
	numsRead, datesRead := false, false
	ra := withoutAffixes(rt)
	var rs []string // the response with US state abbreviations written out
	if x, ok := expandStates(response); ok && !m.Exact {
		rs = fold(tokens(x))
	}
	hedged := ""
	var asked map[string]bool // the question's words
	for _, g0 := range golds {
		for _, g := range alternatives(g0) {
			gt := fold(tokens(g))
			if len(gt) == 0 {
				continue
			}
			if rn == strings.Join(gt, " ") {
				return score.Correct, "matches gold " + quote(g)
			}
			if !m.Exact {
				if o, why, ok := m.contains(rt, ra, rs, g, gt); ok && o == score.Correct {
					return o, why
				} else if ok && hedged == "" {
					hedged = why
				}
				if why, ok := acronymMatch(question, response, rt, g, gt); ok {
					return score.Correct, why
				}
				if asked == nil {
					asked = set(tokens(question)...)
				}
				for _, p := range keyParts(g, core(gt), asked, m.Coarse) {
					if correct, ok := partIn(ra, p); ok && correct {
						return score.Correct, "names the thing gold " + quote(g) + " names, without its detail (\"" + strings.Join(p, " ") + "\")"
					} else if ok && hedged == "" {
						hedged = "names gold " + quote(g) + " beside another candidate"
					}
				}
			}
			if seq, ok := numericSequenceGold(g); ok {
				if !numsRead {
					rnums, numsRead = numberSpans(response), true
				}
				if containsNumbers(rnums, seq, m.NumTol) {
					return score.Correct, "numbers match gold " + quote(g)
				}
				if lo, hi, ok := quantityRange(g); ok {
					for _, n := range rnums {
						if n.v >= lo && n.v <= hi {
							return score.Correct, "number within the range of gold " + quote(g)
						}
					}
				}
				continue
			}
			if ng, ok := parseNumericGold(g, m.NumTol); ok {
				if !numsRead {
					rnums, numsRead = numberSpans(response), true
				}
				for _, n := range rnums {
					if ng.matches(n) {
						return score.Correct, "number matches gold " + quote(g) + " " + ng.why
					}
				}
			}
			gds := dates(g)
			for _, gd := range gds {
				if !datesRead {
					rdates, datesRead = dates(response), true
				}
				for _, rd := range rdates {
					if gd.covers(rd) {
						return score.Correct, "date matches gold " + quote(g)
					}
				}
			}
			if m.Coarse {
				for _, y := range goldYears(g, gds) {
					gd := date{Year: y}
					for _, d := range gds {
						if d.Year == y {
							gd = d
						}
					}
					if !numsRead {
						rnums, numsRead = numberSpans(response), true
					}
					if !datesRead {
						rdates, datesRead = dates(response), true
					}
					if why, ok := coarser(question, response, rnums, rdates, gd); ok {
						return score.Correct, why + " " + quote(g) + " (lenient)"
					}
				}
			}
		}
	}
	if hedged != "" {
		return score.Wrong, hedged
	}
	return score.Wrong, "matches no gold"
}

// contains looks for the gold (tokens gt) in the response: its words in
// order (rt); without titles, honorifics and company or club suffixes
// (ra, and the gold's core); as a name with middle names or initials
// differing; as the gold name's surname alone; with US state abbreviations
// written out (rs). ok is false when none applies; a gold named beside
// another candidate ("Paris or Lyon") is Wrong.
func (m *Matcher) contains(rt, ra, rs []string, g string, gt []string) (score.Outcome, string, bool) {
	found := func(hay, needle []string, why string) (score.Outcome, string, bool) {
		i := indexSeq(hay, needle)
		if i < 0 {
			return 0, "", false
		}
		if hedgedBetween(hay, i, i+len(needle)) {
			return score.Wrong, "names gold " + quote(g) + " beside another candidate", true
		}
		return score.Correct, why, true
	}
	if o, why, ok := found(rt, gt, "contains gold "+quote(g)); ok {
		return o, why, ok
	}
	c := core(gt)
	if o, why, ok := found(ra, c, "contains gold "+quote(g)+" without qualifier, title or suffix"); ok {
		return o, why, ok
	}
	if rs != nil {
		if o, why, ok := found(rs, gt, "contains gold "+quote(g)+" with the state written out"); ok {
			return o, why, ok
		}
	}
	if x, ok := expandStates(g); ok {
		if o, why, ok := found(rt, tokens(x), "contains gold "+quote(g)+" with the state written out"); ok {
			return o, why, ok
		}
	}
	if rs, cs := singulars(rt), singulars(c); !slices.Equal(rs, rt) || !slices.Equal(cs, c) {
		if o, why, ok := found(rs, cs, "contains gold "+quote(g)+" up to plurals"); ok {
			return o, why, ok
		}
	}
	if descriptive(g) {
		if i, j, ok := spreadIn(singulars(ra), singulars(c)); ok {
			if hedgedBetween(ra, i, j) {
				return score.Wrong, "names gold " + quote(g) + " beside another candidate", true
			}
			return score.Correct, "contains the words of gold " + quote(g) + " in order, with qualifiers between", true
		}
	}
	if compoundIn(ra, c) {
		return score.Correct, "contains gold " + quote(g) + " spaced differently", true
	}
	if n := len(ra); n > 0 && 2*n >= len(c) && n < len(c) && ra[n-1] == c[len(c)-1] && hasLetter(ra[n-1]) && indexSeq(c, ra) >= 0 {
		return score.Correct, "the whole response is the head of gold " + quote(g), true
	}
	if isName(g) && len(c) >= 2 {
		if i, j, ok := nameIn(ra, c); ok {
			if hedgedBetween(ra, i, j) {
				return score.Wrong, "names gold " + quote(g) + " beside another candidate", true
			}
			return score.Correct, "names gold " + quote(g) + " (middle names or initials aside)", true
		}
		if len(ra) == 1 && ra[0] == c[len(c)-1] {
			return score.Correct, "the surname of gold " + quote(g), true
		}
		if i, j, ok := typoIn(ra, c); ok {
			if hedgedBetween(ra, i, j) {
				return score.Wrong, "names gold " + quote(g) + " beside another candidate", true
			}
			return score.Correct, "names gold " + quote(g) + " with a typo", true
		}
	}
	return 0, "", false
}

// GradeSample grades s.Response to s.Question against s.Golds; it never
// fails.
func (m *Matcher) GradeSample(_ context.Context, s *score.Sample) (score.Outcome, string, error) {
	o, why := m.GradeQuestion(s.Question, s.Response, s.Golds)
	return o, why, nil
}

func quote(s string) string {
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return "\"" + s + "\""
}
