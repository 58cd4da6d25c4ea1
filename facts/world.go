package facts

import (
	"errors"
	"fmt"
	"math"

	"github.com/hallu-dev/hallu/iiv"
	"gonum.org/v1/gonum/stat/distuv"
)

// MaxPrompts bounds K, so that a world's tables stay within memory.
const MaxPrompts = 1 << 28

// WorldSpec describes a world of the Arbitrary Facts model (Definition 1,
// Definition 1 of arXiv:2509.04664): K prompts, their distribution μ, the sizes of their answer
// sets R_c and their answer probabilities α_c.
type WorldSpec struct {
	// Prompts is K ≥ 1. For a profile μ it is Σ_j f_j; leave it 0 or give
	// that number.
	Prompts int
	Mu      Mu
	Answers Answers
	Alpha   Alpha
}

// A World is a drawn instance of a WorldSpec: the weight μ(c), the size
// |R_c| and the answer probability α_c of every prompt c = 0..K−1. These are
// "fixed in advance" (Definition 1); the correct answers a_c are drawn per
// run (see Run). A World is safe for concurrent use.
//
// Memory: 8 bytes per prompt for μ, 8 more for α_c when it is not constant,
// 4 more for |R_c| when it is not constant, and 16 bytes per prompt for the
// sampler's alias table.
type World struct {
	spec    WorldSpec
	weight  []float64 // w_c; μ(c) = w_c / total
	total   float64   // Σ w_c, compensated
	alpha   []float64 // α_c, or nil when constant
	size    []int32   // |R_c|, or nil when constant
	minSize int
	maxSize int
	table   aliasTable // outcome 2c is (c, a_c), 2c+1 is (c, IDK)
}

// NewWorld draws a world from spec: the weights are deterministic, |R_c| and
// α_c are drawn per prompt from a stream seeded by seed.
func NewWorld(spec WorldSpec, seed uint64) (*World, error) {
	if err := spec.validate(); err != nil {
		return nil, err
	}
	k := spec.Prompts
	if spec.Mu.Kind == FromProfile {
		k = int(spec.Mu.Profile.Distinct())
	}
	w := &World{spec: spec, weight: make([]float64, k)}
	w.spec.Prompts = k
	switch spec.Mu.Kind {
	case Uniform:
		for c := range w.weight {
			w.weight[c] = 1
		}
	case Zipf:
		for c := range w.weight {
			w.weight[c] = math.Pow(float64(c+1), -spec.Mu.S)
		}
		if last := w.weight[k-1]; last == 0 || math.IsInf(1/last, 0) {
			return nil, fmt.Errorf("mu zipf:%g: prompt %d's weight %d^−%g underflows float64; use a smaller exponent or fewer prompts", spec.Mu.S, k, k, spec.Mu.S)
		}
	case FromProfile:
		c := 0
		for _, e := range spec.Mu.Profile {
			for range e.F {
				w.weight[c] = float64(e.J)
				c++
			}
		}
	}
	var total iiv.Sum[iiv.Float]
	for _, x := range w.weight {
		total.Add(iiv.Float(x))
	}
	w.total = float64(total.Value())

	rng := newRand(seed, streamWorld)
	w.minSize, w.maxSize = spec.Answers.Sizes[0], spec.Answers.Sizes[0]
	if len(spec.Answers.Sizes) > 1 {
		w.size = make([]int32, k)
		w.minSize, w.maxSize = math.MaxInt, 0
		for c := range w.size {
			u, i := rng.Float64(), 0
			for i < len(spec.Answers.Probs)-1 && u >= spec.Answers.Probs[i] {
				u -= spec.Answers.Probs[i]
				i++
			}
			n := spec.Answers.Sizes[i]
			w.size[c] = int32(n)
			w.minSize, w.maxSize = min(w.minSize, n), max(w.maxSize, n)
		}
	}
	if spec.Alpha.Beta {
		w.alpha = make([]float64, k)
		beta := distuv.Beta{Alpha: spec.Alpha.A, Beta: spec.Alpha.B, Src: rng}
		for c := range w.alpha {
			w.alpha[c] = beta.Rand()
		}
	}

	q := make([]float64, 2*k)
	for c := range k {
		mu, a := w.Mu(c), w.Alpha(c)
		q[2*c], q[2*c+1] = mu*a, mu*(1-a)
	}
	w.table = newAliasTable(q, 1)
	return w, nil
}

func (s WorldSpec) validate() error {
	switch {
	case s.Mu.Kind == FromProfile:
		if len(s.Mu.Profile) == 0 {
			return errors.New("mu profile: empty frequency-of-frequencies table")
		}
		n := s.Mu.Profile.Distinct()
		if n > MaxPrompts {
			return fmt.Errorf("the profile counts %d prompts, more than the maximum %d", n, MaxPrompts)
		}
		if s.Prompts != 0 && int64(s.Prompts) != n {
			return fmt.Errorf("prompts K = %d, but the profile counts %d prompts", s.Prompts, n)
		}
	case s.Prompts < 1:
		return fmt.Errorf("prompts K = %d: a world needs at least one prompt", s.Prompts)
	case s.Prompts > MaxPrompts:
		return fmt.Errorf("prompts K = %d exceeds the maximum %d", s.Prompts, MaxPrompts)
	}
	if s.Mu.Kind == Zipf && (math.IsNaN(s.Mu.S) || math.IsInf(s.Mu.S, 0) || s.Mu.S < 0) {
		return fmt.Errorf("mu zipf:%v: the exponent must be a number ≥ 0", s.Mu.S)
	}
	if err := s.Answers.validate(); err != nil {
		return fmt.Errorf("answers: %w", err)
	}
	if err := s.Alpha.validate(); err != nil {
		return fmt.Errorf("alpha: %w", err)
	}
	return nil
}

// Spec returns the specification the world was drawn from, with Prompts set.
func (w *World) Spec() WorldSpec { return w.spec }

// Prompts returns K.
func (w *World) Prompts() int { return len(w.weight) }

// Mu returns μ(c).
func (w *World) Mu(c int) float64 { return w.weight[c] / w.total }

// Alpha returns α_c, the probability that an example of prompt c carries
// its answer a_c rather than IDK.
func (w *World) Alpha(c int) float64 {
	if w.alpha == nil {
		return w.spec.Alpha.Const
	}
	return w.alpha[c]
}

// Answers returns |R_c|.
func (w *World) Answers(c int) int {
	if w.size == nil {
		return w.minSize
	}
	return int(w.size[c])
}

// MinErrors returns min_c |E_c| = min_c |R_c| − 1.
func (w *World) MinErrors() int { return w.minSize - 1 }

// MaxErrors returns max_c |E_c| = max_c |R_c| − 1.
func (w *World) MaxErrors() int { return w.maxSize - 1 }

// scalars gives a world's μ(c) and α_c in the arithmetic T. In rational
// arithmetic μ(c) = w_c / Σ w_c exactly, each float64 weight read exactly.
type scalars[T iiv.Scalar[T]] struct {
	w     *World
	total T
}

func newScalars[T iiv.Scalar[T]](w *World) scalars[T] {
	var zero T
	if _, ok := any(zero).(iiv.Float); ok {
		return scalars[T]{w: w, total: zero.FromFloat(w.total)}
	}
	var total iiv.Sum[T]
	for _, x := range w.weight {
		total.Add(zero.FromFloat(x))
	}
	return scalars[T]{w: w, total: total.Value()}
}

func (s scalars[T]) mu(c int) T {
	var zero T
	return zero.FromFloat(s.w.weight[c]).Quo(s.total)
}

func (s scalars[T]) alpha(c int) T {
	var zero T
	return zero.FromFloat(s.w.Alpha(c))
}
