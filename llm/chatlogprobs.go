package llm

import (
	"fmt"
	"math"
	"strings"
)

// A ReplyProblem names why a chat reply's log-probabilities cannot be read
// as probabilities over a set of options. Such replies are counted and
// shown by their callers, never turned into probabilities.
type ReplyProblem string

const (
	// NoLogprobs: the reply has no log-probabilities for its first
	// generated token (no logprobs object, an empty content list, or no
	// top_logprobs).
	NoLogprobs ReplyProblem = "missing logprobs"
	// ShortTopLogprobs: fewer alternatives than top_logprobs asked for,
	// so a token left out may be more probable than the last one listed.
	ShortTopLogprobs ReplyProblem = "top_logprobs shorter than asked"
	// NonFinite: a log-probability that is NaN, ±Inf or above 0, or listed
	// alternatives whose probabilities sum above 1.
	NonFinite ReplyProblem = "non-finite or impossible log-probability"
	// LabelSplit: an option's label is not listed but a token that begins
	// it is, so the label may span several tokens and its probability is
	// not the first token's.
	LabelSplit ReplyProblem = "tokens do not match the options"
)

// ReplyError is a reply that cannot be read as option probabilities.
type ReplyError struct {
	Problem ReplyProblem
	Detail  string
}

func (e *ReplyError) Error() string { return string(e.Problem) + ": " + e.Detail }

// probTolerance is how far above 0 a log-probability, and above 1 a sum of
// probabilities, may be through rounding before it is an error.
const probTolerance = 1e-6

// ChoiceProbs is a model's first-token probability of each option of a
// multiple-choice question, read from a chat reply's top log-probabilities.
type ChoiceProbs struct {
	// Logprob is the natural log of the first-token probability of each
	// option's label (the log of the summed probabilities of the listed
	// tokens that match it); −Inf for an option not listed.
	Logprob []float64
	// Listed reports, per option, whether any listed token matched it.
	Listed []bool
	// Missing counts the options with no listed token.
	Missing int
	// Floor is the probability of the least probable token listed. Every
	// token not listed is at most as probable (the list is the top k), so
	// an option that is not listed has a first-token probability in
	// [0, Floor]: a bound, not a value.
	Floor float64
	// Outside is 1 − Σ of the options' probabilities: the mass the model
	// puts on first tokens that are no option (whitespace, other words, a
	// refusal). Meaningful only when Missing is 0.
	Outside float64
}

// ReadChoiceProbs reads the first generated token's top log-probabilities
// lp (asked with logprobs true and top_logprobs k) as probabilities of
// the options labelled labels. A listed token matches a label when they
// are equal after trimming white space (and, with foldCase, ignoring case);
// several tokens matching one label (" A" and "A") add up. Alternatives are
// taken in whatever order the server lists them (vLLM lists the sampled
// token first), so their order does not matter.
//
// A reply without log-probabilities, with fewer than k alternatives, with a
// log-probability that is not a finite number ≤ 0 (or alternatives summing
// above 1), or with a token that is a proper prefix of a label not listed
// itself is a
// *ReplyError. An option not listed is not an error: it is counted in
// Missing and its probability is only known to be at most Floor.
func ReadChoiceProbs(lp *ChatLogprobs, labels []string, k int, foldCase bool) (ChoiceProbs, error) {
	if lp == nil || len(lp.Content) == 0 || len(lp.Content[0].TopLogprobs) == 0 {
		return ChoiceProbs{}, &ReplyError{NoLogprobs, "the reply has no top log-probabilities for its first token"}
	}
	top := lp.Content[0].TopLogprobs
	if len(top) < k {
		return ChoiceProbs{}, &ReplyError{ShortTopLogprobs, fmt.Sprintf("asked for %d alternatives, got %d", k, len(top))}
	}
	norm := func(s string) string {
		s = strings.TrimSpace(s)
		if foldCase {
			s = strings.ToLower(s)
		}
		return s
	}
	index := make(map[string]int, len(labels))
	for i, l := range labels {
		index[norm(l)] = i
	}
	cp := ChoiceProbs{Logprob: make([]float64, len(labels)), Listed: make([]bool, len(labels)), Floor: 1}
	sums := make([]float64, len(labels))
	var total float64
	var others []string // listed tokens that are no option
	for _, t := range top {
		v := t.Logprob
		if math.IsNaN(v) || math.IsInf(v, 0) || v > probTolerance {
			return ChoiceProbs{}, &ReplyError{NonFinite, fmt.Sprintf("token %q has log-probability %v", t.Token, v)}
		}
		p := math.Exp(min(v, 0))
		total += p
		cp.Floor = min(cp.Floor, p)
		key := norm(t.Token)
		if i, ok := index[key]; ok {
			sums[i] += p
			cp.Listed[i] = true
		} else if key != "" { // white space before an answer is outside the options
			others = append(others, key)
		}
	}
	// An option not listed may still be the continuation of a listed token
	// that begins it: its probability is then unknown, not small.
	for i, l := range labels {
		if cp.Listed[i] {
			continue
		}
		for _, key := range others {
			if nl := norm(l); len(key) < len(nl) && strings.HasPrefix(nl, key) {
				return ChoiceProbs{}, &ReplyError{LabelSplit, fmt.Sprintf("option %q is not listed but token %q, which begins it, is", l, key)}
			}
		}
	}
	if total > 1+probTolerance {
		return ChoiceProbs{}, &ReplyError{NonFinite, fmt.Sprintf("the %d alternatives' probabilities sum to %v > 1", len(top), total)}
	}
	var inside float64
	for i, s := range sums {
		cp.Logprob[i] = math.Log(s) // −Inf when not listed
		inside += s
		if !cp.Listed[i] {
			cp.Missing++
		}
	}
	cp.Outside = max(0, 1-inside)
	return cp, nil
}
