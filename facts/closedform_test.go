package facts

import (
	"context"
	"math"
	"testing"

	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/internal/proptest"
	"pgregory.net/rapid"
)

// TestMain raises rapid's default number of cases to 1,000, so that every
// property runs over a thousand random worlds unless -rapid.checks says
// otherwise.
func TestMain(m *testing.M) { proptest.Main(m, 1000) }

// genWorld draws a small world: 1–6 prompts, |R_c| in 2–6 (constant or
// mixed), α_c constant (often 0 or 1) or Beta-distributed, μ uniform or
// Zipf.
func genWorld(t *rapid.T) *World {
	spec := WorldSpec{Prompts: rapid.IntRange(1, 6).Draw(t, "K")}
	if rapid.Bool().Draw(t, "zipf") {
		spec.Mu = Mu{Kind: Zipf, S: float64(rapid.IntRange(0, 8).Draw(t, "s4")) / 4}
	}
	if rapid.Bool().Draw(t, "mixedSizes") {
		spec.Answers = Answers{Sizes: []int{2, rapid.IntRange(3, 6).Draw(t, "size2")}, Probs: []float64{0.5, 0.5}}
	} else {
		spec.Answers = ConstAnswers(rapid.IntRange(2, 6).Draw(t, "size"))
	}
	if rapid.Bool().Draw(t, "beta") {
		spec.Alpha = Alpha{Beta: true, A: 0.5, B: 0.5}
	} else {
		spec.Alpha = Alpha{Const: rapid.SampledFrom([]float64{0, 0.25, 0.5, 0.9, 1}).Draw(t, "alpha")}
	}
	w, err := NewWorld(spec, rapid.Uint64().Draw(t, "worldSeed"))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// genSample draws per-prompt counts directly (0–3 answered, 0–2 IDK, none
// answered where α_c = 0 and no IDK where α_c = 1, as p allows) and an N of
// at least their total.
func genSample(t *rapid.T, w *World) *Sample {
	s := &Sample{Seed: rapid.Uint64().Draw(t, "runSeed"), counts: make([]uint32, 2*w.Prompts())}
	total := 0
	for c := range w.Prompts() {
		if w.Alpha(c) > 0 {
			s.counts[2*c] = uint32(rapid.IntRange(0, 3).Draw(t, "answered"))
		}
		if w.Alpha(c) < 1 {
			s.counts[2*c+1] = uint32(rapid.IntRange(0, 2).Draw(t, "abstained"))
		}
		total += int(s.counts[2*c] + s.counts[2*c+1])
	}
	s.N = max(1, total)
	return s
}

var genLearner = rapid.SampledFrom([]Learner{
	{Kind: Calibrated}, {Kind: CalibratedEst}, {Kind: Guess}, {Kind: Abstain},
	{Kind: AddK, K: 1}, {Kind: AddK, K: 0.5}, {Kind: AddK, K: 3},
})

func answeredTotal(s *Sample) int {
	n := 0
	for c := range s.Prompts() {
		n += s.Answered(c)
	}
	return n
}

// viaIIV computes learner l's quantities by listing every row through
// iiv.Accumulator, in arithmetic T.
func viaIIV[T iiv.Scalar[T]](t interface{ Fatal(...any) }, w *World, s *Sample, l Learner) quantities[T] {
	var zero T
	q, err := enumerate(context.Background(), w, s, newScalars[T](w), l, zero.Frac(int64(answeredTotal(s)), int64(s.N)))
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// viaClosedForm computes them in closed form over prompt classes.
func viaClosedForm[T iiv.Scalar[T]](w *World, s *Sample, l Learner) quantities[T] {
	var zero T
	var cl classes[T]
	cl.build(w, s)
	return closedForm(w, &cl, newScalars[T](w).total, l, zero.Frac(int64(answeredTotal(s)), int64(s.N)), &curve[T]{})
}

func (q quantities[T]) fields() map[string]T {
	return map[string]T{
		"err": q.err, "threshold": q.threshold, "p(A)": q.pA, "p̂(A)": q.phatA, "δ": q.delta,
		"max δ_z": q.deltaMaxZ, "err_iiv": q.errIIV, "Theorem 1 bound": q.thm1Bound, "abstention": q.abstention,
	}
}

// The closed form over prompt classes and iiv's enumeration of every row
// agree exactly in rational arithmetic, for every learner, on random small
// worlds and samples; in float64 they agree with each other to 1e-12.
func TestClosedFormMatchesIIV(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t)
		s := genSample(t, w)
		l := genLearner.Draw(t, "learner")
		exact, closed := viaIIV[iiv.Rat](t, w, s, l).fields(), viaClosedForm[iiv.Rat](w, s, l).fields()
		for name, want := range exact {
			if got := closed[name]; got.Cmp(want) != 0 {
				t.Errorf("%v: %s closed form = %v, iiv = %v", l, name, got, want)
			}
		}
		// Rounding can put a float64 p̂ on the other side of a threshold it
		// equals exactly (1 − 2/3 > 1/3 in float64), so float64 results are
		// compared with each other, not with the exact ones.
		fIIV, fClosed := viaIIV[iiv.Float](t, w, s, l).fields(), viaClosedForm[iiv.Float](w, s, l).fields()
		for name, want := range fIIV {
			if got := fClosed[name]; math.Abs(float64(got-want)) > 1e-12 {
				t.Errorf("%v: %s float64 closed form = %v, iiv = %v", l, name, got, want)
			}
		}
	})
}
