package missingmass

import (
	"fmt"
	"math"
)

// Summary is what a training sample's counts say about the missing mass:
// the inputs of Theorem 2 and the estimates around them. Its JSON keys are
// part of hallu audit's stable output schema.
type Summary struct {
	Records         int64   `json:"records"`          // N, all examples, IDK included
	Answered        int64   `json:"answered"`         // examples with a non-abstaining answer, Σ j·f_j
	AnsweredPrompts int64   `json:"answered_prompts"` // distinct prompts seen with an answer, Σ f_j
	Singletons      int64   `json:"singletons"`       // |S| = f_1
	SingletonRate   float64 `json:"singleton_rate"`   // sr = f_1/N (Definition 2)
	MissingMass     float64 `json:"missing_mass"`     // Good–Turing estimate of MM; equals sr (Section 3.3.1)
	MissingMassLow  float64 `json:"missing_mass_low"` // Lemma 1 interval at 1−γ, clipped to [0, 1]
	MissingMassHigh float64 `json:"missing_mass_high"`
	Coverage        float64 `json:"coverage"` // Good's coverage 1 − sr
	Richness
}

// Summarize computes the Summary of a sample of n examples (abstentions
// included) whose answered prompts have frequency-of-frequencies table t,
// with intervals at confidence level 1 − γ, γ ∈ (0, 1).
//
// The missing mass estimated is the abstention-aware missing mass MM of
// Section 3.3.1 of arXiv:2509.04664, the probability that a fresh example is an answered one for
// a prompt never seen with an answer. Its Good–Turing estimate is sr, and
// Lemma 1 (Appendix B) gives |MM − sr| ≤ 4.42·sqrt(ln(5/γ)/N) with probability at
// least 1 − γ. Good's (1953) coverage, the estimated probability that a fresh
// example is an abstention or an answer to a prompt already seen, is 1 − sr:
// Lemma 1's trick of merging all abstentions into one outcome makes this
// Good's 1 − f_1/N whenever that outcome is not itself a singleton.
//
// An empty sample gives a zero Summary with the interval [0, 1] and coverage
// 0: nothing is known, and nothing is divided by zero.
func Summarize(t FreqOfFreq, n int64, gamma float64) (Summary, error) {
	if err := t.Validate(); err != nil {
		return Summary{}, err
	}
	if !(gamma > 0 && gamma < 1) {
		return Summary{}, fmt.Errorf("summarize: γ = %v outside (0, 1)", gamma)
	}
	sr, err := SingletonRate(t, n)
	if err != nil {
		return Summary{}, err
	}
	rich, err := Chao1(t, gamma)
	if err != nil {
		return Summary{}, err
	}
	s := Summary{
		Records:         n,
		Answered:        t.Answered(),
		AnsweredPrompts: t.Distinct(),
		Singletons:      t.F(1),
		SingletonRate:   sr,
		MissingMass:     sr,
		MissingMassLow:  0,
		MissingMassHigh: 1,
		Richness:        rich,
	}
	if n > 0 {
		r := Lemma1Radius(n, gamma)
		s.MissingMassLow = math.Max(0, sr-r)
		s.MissingMassHigh = math.Min(1, sr+r)
		s.Coverage = 1 - sr
	}
	return s, nil
}
