package facts

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/hallu-dev/hallu/iiv"
)

// LearnerKind names a learning algorithm.
type LearnerKind uint8

const (
	// Calibrated is Appendix B's algorithm (arXiv:2509.04664): memorise every
	// prompt seen with an answer, reproducing p(·|c) exactly (a_c with
	// probability α_c, IDK with 1 − α_c); on an unanswered prompt, IDK with
	// probability 1 − α_c and otherwise a uniform answer from R_c. It uses
	// the world's α_c, as the paper does.
	Calibrated LearnerKind = iota + 1
	// CalibratedEst is Calibrated with every α_c replaced by the pooled
	// estimate α̂ = (answered examples)/N, as a user who does not know α_c
	// would have to (Appendix B of arXiv:2509.04664 [I]).
	CalibratedEst
	// Guess memorises answered prompts like Calibrated and spreads all the
	// mass of an unanswered prompt uniformly over R_c, never saying IDK
	// there.
	Guess
	// Abstain memorises answered prompts like Calibrated and says IDK on
	// every unanswered one: err = 0 and δ large (Section 3.1, Eq. (3) of arXiv:2509.04664).
	Abstain
	// AddK smooths the counts of each prompt's responses over R_c ∪ {IDK}:
	// p̂(r|c) = (n(c,r) + K) / (n(c) + K·(|R_c| + 1)).
	AddK
)

// A Learner is an algorithm that turns a training sample into a model p̂(r|c)
// over R_c ∪ {IDK}. Every learner here gives the same probability to each
// answer of R_c it has not seen, which is what the closed form relies on.
type Learner struct {
	Kind LearnerKind
	// K is the pseudo-count of AddK, K > 0.
	K float64
}

// DefaultLearners is the set `hallu sim` runs unless told otherwise.
var DefaultLearners = []Learner{{Kind: Calibrated}, {Kind: CalibratedEst}, {Kind: Guess}, {Kind: Abstain}, {Kind: AddK, K: 1}}

// ParseLearner parses calibrated, calibrated-est, guess, abstain or addk:K.
func ParseLearner(s string) (Learner, error) {
	switch s {
	case "calibrated":
		return Learner{Kind: Calibrated}, nil
	case "calibrated-est":
		return Learner{Kind: CalibratedEst}, nil
	case "guess":
		return Learner{Kind: Guess}, nil
	case "abstain":
		return Learner{Kind: Abstain}, nil
	}
	if k, ok := strings.CutPrefix(s, "addk:"); ok {
		v, err := strconv.ParseFloat(k, 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return Learner{}, fmt.Errorf("learner %q: the pseudo-count K must be a number > 0", s)
		}
		return Learner{Kind: AddK, K: v}, nil
	}
	return Learner{}, fmt.Errorf("learner %q: want calibrated, calibrated-est, guess, abstain or addk:K", s)
}

func (l Learner) String() string {
	switch l.Kind {
	case Calibrated:
		return "calibrated"
	case CalibratedEst:
		return "calibrated-est"
	case Guess:
		return "guess"
	case Abstain:
		return "abstain"
	case AddK:
		return "addk:" + strconv.FormatFloat(l.K, 'g', -1, 64)
	}
	return fmt.Sprintf("Learner(%d)", l.Kind)
}

func (l Learner) validate() error {
	if l.Kind < Calibrated || l.Kind > AddK {
		return fmt.Errorf("unknown learner kind %d", l.Kind)
	}
	if l.Kind == AddK && (!(l.K > 0) || math.IsInf(l.K, 0)) {
		return fmt.Errorf("learner addk: the pseudo-count K = %v must be > 0", l.K)
	}
	return nil
}

// prediction is a model's p̂(·|c) on one prompt: p̂ of the answer it saw
// (a_c; for an unanswered prompt any fixed answer, since Other then equals
// it), of each other answer in R_c, and of IDK.
type prediction[T iiv.Scalar[T]] struct {
	answer, other, idk T
}

// promptData is what a learner knows of prompt c, in arithmetic T.
type promptData[T iiv.Scalar[T]] struct {
	alpha     T // α_c, the world's (Calibrated uses it)
	alphaHat  T // the pooled estimate α̂
	size      int
	answered  int
	abstained int
}

// predict returns learner l's p̂(·|c).
func predict[T iiv.Scalar[T]](l Learner, d promptData[T]) prediction[T] {
	var zero T
	one := zero.Frac(1, 1)
	alpha := d.alpha
	if l.Kind == CalibratedEst {
		alpha = d.alphaHat
	}
	if l.Kind == AddK {
		k := zero.FromFloat(l.K)
		total := zero.Frac(int64(d.answered+d.abstained), 1).Add(k.Mul(zero.Frac(int64(d.size+1), 1)))
		return prediction[T]{
			answer: zero.Frac(int64(d.answered), 1).Add(k).Quo(total),
			other:  k.Quo(total),
			idk:    zero.Frac(int64(d.abstained), 1).Add(k).Quo(total),
		}
	}
	if d.answered > 0 {
		return prediction[T]{answer: alpha, other: zero, idk: one.Sub(alpha)}
	}
	switch l.Kind {
	case Guess:
		u := zero.Frac(1, int64(d.size))
		return prediction[T]{answer: u, other: u, idk: zero}
	case Abstain:
		return prediction[T]{answer: zero, other: zero, idk: one}
	}
	u := alpha.Quo(zero.Frac(int64(d.size), 1))
	return prediction[T]{answer: u, other: u, idk: one.Sub(alpha)}
}
