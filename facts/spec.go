package facts

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/hallu-dev/hallu/missingmass"
)

// MuKind names a family of prompt distributions μ.
type MuKind uint8

const (
	// Uniform is μ(c) = 1/K.
	Uniform MuKind = iota
	// Zipf is μ(c) ∝ c^(−S) for prompts c = 1..K.
	Zipf
	// FromProfile gives each of the f_j prompts of a frequency-of-frequencies
	// table the weight j, so that a world reproduces a corpus's mention
	// profile: μ(c) = j / Σ_j j·f_j.
	FromProfile
)

// Mu describes the prompt distribution μ of Definition 1.
type Mu struct {
	Kind MuKind
	// S is the Zipf exponent, S ≥ 0 (S = 0 is uniform). Used by Zipf only.
	S float64
	// Profile is the frequency-of-frequencies table. Used by FromProfile only.
	Profile missingmass.FreqOfFreq
}

// ParseMu parses "uniform" or "zipf:S". A profile μ needs a file to read:
// see missingmass.ReadTable.
func ParseMu(s string) (Mu, error) {
	switch {
	case s == "uniform":
		return Mu{Kind: Uniform}, nil
	case strings.HasPrefix(s, "zipf:"):
		v, err := strconv.ParseFloat(strings.TrimPrefix(s, "zipf:"), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return Mu{}, fmt.Errorf("mu %q: the Zipf exponent must be a number ≥ 0", s)
		}
		return Mu{Kind: Zipf, S: v}, nil
	}
	return Mu{}, fmt.Errorf("mu %q: want uniform, zipf:S or profile:FILE", s)
}

func (m Mu) String() string {
	switch m.Kind {
	case Zipf:
		return "zipf:" + strconv.FormatFloat(m.S, 'g', -1, 64)
	case FromProfile:
		return "profile"
	}
	return "uniform"
}

// Answers is the distribution of the answer-set size |R_c|: |R_c| = Sizes[i]
// with probability Probs[i], drawn independently per prompt. A single size
// is a constant.
type Answers struct {
	Sizes []int
	Probs []float64
}

// ConstAnswers returns the constant |R_c| = n.
func ConstAnswers(n int) Answers { return Answers{Sizes: []int{n}, Probs: []float64{1}} }

// MaxAnswers bounds |R_c|, so that a world's size stays within memory.
const MaxAnswers = 1 << 20

// probTolerance is how far the probabilities of a distribution given on the
// command line may sum from 1.
const probTolerance = 1e-9

// ParseAnswers parses "N" (a constant |R_c|) or "N1:P1,N2:P2,…" (|R_c| = Ni
// with probability Pi; the Pi sum to 1).
func ParseAnswers(s string) (Answers, error) {
	if !strings.Contains(s, ":") {
		n, err := strconv.Atoi(s)
		if err != nil {
			return Answers{}, fmt.Errorf("answers %q: want an integer |R_c| or SIZE:PROB,…", s)
		}
		a := ConstAnswers(n)
		return a, a.validate()
	}
	var a Answers
	for i, part := range strings.Split(s, ",") {
		size, prob, ok := strings.Cut(part, ":")
		n, err1 := strconv.Atoi(strings.TrimSpace(size))
		p, err2 := strconv.ParseFloat(strings.TrimSpace(prob), 64)
		if !ok || err1 != nil || err2 != nil {
			return Answers{}, fmt.Errorf("answers %q: entry %d %q: want SIZE:PROB", s, i+1, part)
		}
		a.Sizes = append(a.Sizes, n)
		a.Probs = append(a.Probs, p)
	}
	if err := a.validate(); err != nil {
		return Answers{}, fmt.Errorf("answers %q: %w", s, err)
	}
	return a, nil
}

func (a Answers) validate() error {
	if len(a.Sizes) == 0 || len(a.Sizes) != len(a.Probs) {
		return fmt.Errorf("answer-set distribution needs as many sizes as probabilities, and at least one")
	}
	total := 0.0
	for i, n := range a.Sizes {
		if n < 2 {
			return fmt.Errorf("|R_c| = %d: a prompt needs at least 2 plausible answers (one correct, |E_c| = |R_c| − 1 ≥ 1 errors)", n)
		}
		if n > MaxAnswers {
			return fmt.Errorf("|R_c| = %d exceeds the maximum %d", n, MaxAnswers)
		}
		p := a.Probs[i]
		if math.IsNaN(p) || p < 0 || p > 1 {
			return fmt.Errorf("probability %v of |R_c| = %d is not in [0,1]", p, n)
		}
		total += p
	}
	if math.Abs(total-1) > probTolerance {
		return fmt.Errorf("probabilities of |R_c| sum to %v, not 1", total)
	}
	return nil
}

func (a Answers) String() string {
	if len(a.Sizes) == 1 {
		return strconv.Itoa(a.Sizes[0])
	}
	parts := make([]string, len(a.Sizes))
	for i := range a.Sizes {
		parts[i] = strconv.Itoa(a.Sizes[i]) + ":" + strconv.FormatFloat(a.Probs[i], 'g', -1, 64)
	}
	return strings.Join(parts, ",")
}

// Alpha is the distribution of the answer probability α_c: a constant, or
// Beta(A, B) drawn independently per prompt.
type Alpha struct {
	Const float64
	// Beta, when set, draws α_c ~ Beta(A, B), A, B > 0.
	Beta bool
	A, B float64
}

// ParseAlpha parses "X" (a constant α_c = X in [0,1]) or "beta:A,B".
func ParseAlpha(s string) (Alpha, error) {
	if rest, ok := strings.CutPrefix(s, "beta:"); ok {
		as, bs, ok := strings.Cut(rest, ",")
		a, err1 := strconv.ParseFloat(as, 64)
		b, err2 := strconv.ParseFloat(bs, 64)
		if !ok || err1 != nil || err2 != nil {
			return Alpha{}, fmt.Errorf("alpha %q: want beta:A,B", s)
		}
		al := Alpha{Beta: true, A: a, B: b}
		if err := al.validate(); err != nil {
			return Alpha{}, fmt.Errorf("alpha %q: %w", s, err)
		}
		return al, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return Alpha{}, fmt.Errorf("alpha %q: want a number in [0,1] or beta:A,B", s)
	}
	al := Alpha{Const: v}
	if err := al.validate(); err != nil {
		return Alpha{}, fmt.Errorf("alpha %q: %w", s, err)
	}
	return al, nil
}

func (a Alpha) validate() error {
	if a.Beta {
		if !(a.A > 0) || !(a.B > 0) || math.IsInf(a.A, 0) || math.IsInf(a.B, 0) {
			return fmt.Errorf("Beta(%v, %v): both parameters must be finite and > 0", a.A, a.B)
		}
		return nil
	}
	if math.IsNaN(a.Const) || a.Const < 0 || a.Const > 1 {
		return fmt.Errorf("α_c = %v is outside [0,1]", a.Const)
	}
	return nil
}

func (a Alpha) String() string {
	if a.Beta {
		return "beta:" + strconv.FormatFloat(a.A, 'g', -1, 64) + "," + strconv.FormatFloat(a.B, 'g', -1, 64)
	}
	return strconv.FormatFloat(a.Const, 'g', -1, 64)
}
