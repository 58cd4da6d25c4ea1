package facts

import (
	"testing"

	"github.com/hallu-dev/hallu/iiv"
	"pgregory.net/rapid"
)

// exactMu returns μ(c) = w_c / Σ w_c in rational arithmetic, computed here
// independently of the package's helpers.
func exactMu(w *World) []iiv.Rat {
	total := iiv.NewRat(0, 1)
	for _, x := range w.weight {
		total = total.Add(iiv.Rat{}.FromFloat(x))
	}
	mu := make([]iiv.Rat, len(w.weight))
	for c, x := range w.weight {
		mu[c] = iiv.Rat{}.FromFloat(x).Quo(total)
	}
	return mu
}

// sums returns, over the prompts U never seen with an answer, MM = Σ μα,
// Σ μα(|R|−1)/|R| and Σ μ(|R|−1)/|R|, exactly.
func sums(w *World, s *Sample) (mm, calibratedErr, guessErr iiv.Rat) {
	mu := exactMu(w)
	mm, calibratedErr, guessErr = iiv.NewRat(0, 1), iiv.NewRat(0, 1), iiv.NewRat(0, 1)
	for c := range w.Prompts() {
		if s.Answered(c) > 0 {
			continue
		}
		alpha := iiv.Rat{}.FromFloat(w.Alpha(c))
		frac := iiv.NewRat(int64(w.Answers(c)-1), int64(w.Answers(c)))
		mm = mm.Add(mu[c].Mul(alpha))
		calibratedErr = calibratedErr.Add(mu[c].Mul(alpha).Mul(frac))
		guessErr = guessErr.Add(mu[c].Mul(frac))
	}
	return mm, calibratedErr, guessErr
}

// Appendix B's calibrated algorithm (arXiv:2509.04664): δ_z = 0 at every
// threshold z, and err = Σ_{c∈U} μ(c)·α_c·(|R_c|−1)/|R_c|, exactly, through
// iiv's enumeration of every row.
func TestCalibratedIsCalibratedAtEveryThreshold(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t)
		s := genSample(t, w)
		q := viaIIV[iiv.Rat](t, w, s, Learner{Kind: Calibrated})
		if q.deltaMaxZ.Sign() != 0 || q.delta.Sign() != 0 {
			t.Fatalf("δ = %v, max_z δ_z = %v; want 0 and 0", q.delta, q.deltaMaxZ)
		}
		_, want, _ := sums(w, s)
		if q.err.Cmp(want) != 0 {
			t.Fatalf("err = %v, want Σ_U μα(|R|−1)/|R| = %v", q.err, want)
		}
	})
}

// The abstaining model never errs, and its δ is the missing mass it refuses
// to answer: every unanswered prompt's IDK (p̂ = 1 > threshold) is in A with
// p-mass μ(1−α), so p̂(A) − p(A) = Σ_U μα = MM (Section 3.1, Eq. (3) of arXiv:2509.04664). When some
// |R_c| = 2 the paper's threshold 1/min|E_c| is 1, which no p̂ exceeds, and
// δ = 0 there; max_z δ_z is MM in every world.
func TestAbstainDeltaIsMissingMass(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t)
		s := genSample(t, w)
		q := viaIIV[iiv.Rat](t, w, s, Learner{Kind: Abstain})
		mm, _, _ := sums(w, s)
		if q.err.Sign() != 0 {
			t.Fatalf("err = %v, want 0", q.err)
		}
		if q.deltaMaxZ.Cmp(mm) != 0 {
			t.Fatalf("max_z δ_z = %v; want MM = %v", q.deltaMaxZ, mm)
		}
		wantDelta := mm
		if w.MinErrors() == 1 {
			wantDelta = iiv.NewRat(0, 1)
		}
		if q.delta.Cmp(wantDelta) != 0 {
			t.Fatalf("δ = %v at threshold %v; want %v (MM = %v)", q.delta, q.threshold, wantDelta, mm)
		}
	})
}

// The guessing model errs on Σ_{c∈U} μ(c)(|R_c|−1)/|R_c|: all of an
// unanswered prompt's mass goes to R_c, a fraction (|R_c|−1)/|R_c| of it to
// errors. When α_c = 1 this is MM·(|R|−1)/|R| for a constant |R|; with
// abstentions in the data it is more, since guess answers where p says IDK.
func TestGuessErrsOnUnansweredMass(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t)
		s := genSample(t, w)
		q := viaIIV[iiv.Rat](t, w, s, Learner{Kind: Guess})
		mm, calibratedErr, want := sums(w, s)
		if q.err.Cmp(want) != 0 {
			t.Fatalf("err = %v, want Σ_U μ(|R|−1)/|R| = %v", q.err, want)
		}
		if q.err.Cmp(calibratedErr) < 0 {
			t.Fatalf("guess err %v below calibrated err %v", q.err, calibratedErr)
		}
		if w.spec.Alpha == (Alpha{Const: 1}) && q.err.Cmp(mm) > 0 {
			t.Fatalf("α = 1: err %v exceeds MM %v", q.err, mm)
		}
	})
}

// With α_c = 1 and a constant |R|, guess errs on exactly MM·(|R|−1)/|R|.
func TestGuessWithoutAbstentions(t *testing.T) {
	w, err := NewWorld(WorldSpec{Prompts: 5, Answers: ConstAnswers(4), Alpha: Alpha{Const: 1}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	s := &Sample{N: 3, counts: []uint32{2, 0, 0, 0, 1, 0, 0, 0, 0, 0}} // prompts 0 and 2 answered
	q := viaIIV[iiv.Rat](t, w, s, Learner{Kind: Guess})
	mm, _, _ := sums(w, s)
	if want := mm.Mul(iiv.NewRat(3, 4)); q.err.Cmp(want) != 0 {
		t.Fatalf("err = %v, want MM·3/4 = %v", q.err, want)
	}
	// μ = 1/5 each and U = {1, 3, 4}: MM = 3/5.
	if want := iiv.NewRat(3, 5); mm.Cmp(want) != 0 {
		t.Fatalf("MM = %v, want %v", mm, want)
	}
}

// Add-K smoothing, by hand: a prompt seen twice with its answer and once
// with IDK, |R| = 3, K = 1: p̂(a) = 3/7, p̂(other) = 1/7 each, p̂(IDK) = 2/7.
func TestAddKPrediction(t *testing.T) {
	p := predict(Learner{Kind: AddK, K: 1}, promptData[iiv.Rat]{size: 3, answered: 2, abstained: 1})
	for _, c := range []struct {
		name      string
		got, want iiv.Rat
	}{{"answer", p.answer, iiv.NewRat(3, 7)}, {"other", p.other, iiv.NewRat(1, 7)}, {"IDK", p.idk, iiv.NewRat(2, 7)}} {
		if c.got.Cmp(c.want) != 0 {
			t.Errorf("p̂(%s) = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestParseLearner(t *testing.T) {
	for _, s := range []string{"calibrated", "calibrated-est", "guess", "abstain", "addk:1", "addk:0.5"} {
		l, err := ParseLearner(s)
		if err != nil {
			t.Fatalf("ParseLearner(%q): %v", s, err)
		}
		if l.String() != s {
			t.Errorf("ParseLearner(%q).String() = %q", s, l)
		}
	}
	for _, s := range []string{"", "bayes", "addk", "addk:0", "addk:-1", "addk:x", "addk:Inf", "addk:NaN"} {
		if _, err := ParseLearner(s); err == nil {
			t.Errorf("ParseLearner(%q) succeeded", s)
		}
	}
}
