package harness

import (
	"math"

	"testing"

	"github.com/hallu-dev/hallu/score"
	"pgregory.net/rapid"
)

// TestEstimateDeltaByHand: τ = 0.1, log τ ≈ −2.3026.
//
//	q1: reference −1 (above);  samples −1, −3, −0.5, −5 → 2 of 4 above
//	q2: reference −4 (below);  samples −0.1, −0.2        → 2 of 2
//	q3: reference −2 (above);  3 empty samples           → no samples
//	q4: reference −10 (below); samples −10, −9, −8, −0.01 → 1 of 4
//
// p(A) = 2/4; p̂(A) = mean(1/2, 1, 1/4) = 7/12; δ = 1/12.
func TestEstimateDeltaByHand(t *testing.T) {
	obs := []DeltaObservation{
		{ID: "1", Reference: -1, Samples: []float64{-1, -3, -0.5, -5}},
		{ID: "2", Reference: -4, Samples: []float64{-0.1, -0.2}},
		{ID: "3", Reference: -2, Empty: 3},
		{ID: "4", Reference: -10, Samples: []float64{-10, -9, -8, -0.01}, Truncated: 1},
	}
	est, err := EstimateDelta(obs, 0.1, score.DefaultZ, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
	if !near(est.DataMass.Estimate, 0.5) || !near(est.ModelMass.Estimate, 7.0/12) || !near(est.Delta, 1.0/12) || !near(est.Derivative, 1.0/12) {
		t.Errorf("estimate %+v", est)
	}
	if est.ModelMass.Above != 5 || est.ModelMass.Of != 10 || est.DataMass.Above != 2 || est.DataMass.Of != 4 || est.Empty != 3 || est.Truncated != 1 {
		t.Errorf("counts %+v", est)
	}
	if w := score.Wilson(2, 4, score.DefaultZ); est.DataMass.CI != w {
		t.Errorf("p(A) interval %v, want Wilson %v", est.DataMass.CI, w)
	}
	if _, err := EstimateDelta(obs, 1, score.DefaultZ, 0, 1); err == nil {
		t.Error("τ = 1 accepted")
	}
	if _, err := EstimateDelta([]DeltaObservation{{Reference: -1, Empty: 2}}, 0.1, score.DefaultZ, 0, 1); err == nil {
		t.Error("no samples accepted")
	}
}

// TestEstimateDeltaProperty: estimates are probabilities, δ is the gap
// between them, intervals are ordered within [0,1], and the bootstrap is
// reproducible from its seed.
func TestEstimateDeltaProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		lp := rapid.Float64Range(-20, 0)
		obs := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) DeltaObservation {
			return DeltaObservation{Reference: lp.Draw(t, "ref"), Samples: rapid.SliceOfN(lp, 1, 6).Draw(t, "samples")}
		}), 1, 20).Draw(t, "obs")
		tau := rapid.Float64Range(1e-6, 0.999).Draw(t, "tau")
		reps := rapid.IntRange(0, 50).Draw(t, "reps")
		seed := rapid.Uint64().Draw(t, "seed")
		est, err := EstimateDelta(obs, tau, score.DefaultZ, reps, seed)
		if err != nil {
			t.Fatal(err)
		}
		in01 := func(x float64) bool { return x >= 0 && x <= 1 }
		for _, p := range []Proportion{est.ModelMass, est.DataMass} {
			if !in01(p.Estimate) || !in01(p.CI.Lo) || !in01(p.CI.Hi) || p.CI.Lo > p.CI.Hi {
				t.Fatalf("proportion %+v", p)
			}
		}
		if math.Abs(est.Delta-math.Abs(est.ModelMass.Estimate-est.DataMass.Estimate)) > 1e-15 {
			t.Fatalf("δ %v from %v and %v", est.Delta, est.ModelMass.Estimate, est.DataMass.Estimate)
		}
		if again, _ := EstimateDelta(obs, tau, score.DefaultZ, reps, seed); again.DeltaCI != est.DeltaCI || again.ModelMass.CI != est.ModelMass.CI {
			t.Fatal("bootstrap not reproducible")
		}
		if reps > 0 && (!in01(est.DeltaCI.Lo) || est.DeltaCI.Lo > est.DeltaCI.Hi) {
			t.Fatalf("δ interval %v", est.DeltaCI)
		}
	})
}
