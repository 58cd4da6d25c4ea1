package score

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

var genOutcome = rapid.SampledFrom([]Outcome{Correct, Wrong, Abstained, Invalid})

// TestScoreIsMeanPointsExactly checks Counts.Score against the mean of
// Points and against exact rational arithmetic at t = k/100.
func TestScoreIsMeanPointsExactly(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		os := rapid.SliceOfN(genOutcome, 1, 200).Draw(t, "outcomes")
		k := rapid.IntRange(0, 99).Draw(t, "k")
		tt := float64(k) / 100
		var c Counts
		var sum float64
		for _, o := range os {
			c.Add(o)
			sum += Points(o, tt)
		}
		got := c.Score(tt)
		if math.Abs(got-sum/float64(len(os))) > 1e-9 {
			t.Fatalf("Score %v, mean points %v", got, sum/float64(len(os)))
		}
		tr := big.NewRat(int64(k), 100)
		want, _ := ratScore(int64(c.Correct), int64(c.Wrong), int64(c.N()), tr).Float64()
		if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Fatalf("Score %v, exact %v", got, want)
		}
		if f := c.F1(); f < 0 || f > 1 || f > math.Max(c.AccuracyGivenAttempted(), rate(c.Correct, c.N()))+1e-12 {
			t.Fatalf("F1 %v out of range", f)
		}
	})
}

func TestWilsonProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 100000).Draw(t, "n")
		k := rapid.IntRange(0, n).Draw(t, "k")
		w := Wilson(k, n, DefaultZ)
		p := float64(k) / float64(n)
		if !(0 <= w.Lo && w.Lo <= p+1e-12 && p-1e-12 <= w.Hi && w.Hi <= 1) {
			t.Fatalf("Wilson(%d,%d) = %+v does not hold %v", k, n, w, p)
		}
	})
}

// genPredictions draws predictions on a coarse confidence grid so that ties
// (the hard case) are common.
func genPredictions(t *rapid.T) []Prediction {
	n := rapid.IntRange(0, 60).Draw(t, "n")
	p := make([]Prediction, n)
	for i := range p {
		p[i] = Prediction{
			Confidence: float64(rapid.IntRange(0, 10).Draw(t, "c")) / 10,
			Correct:    rapid.Bool().Draw(t, "y"),
		}
	}
	return p
}

func TestCalibrationAndSelectiveProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPredictions(t)
		bins := rapid.IntRange(1, 15).Draw(t, "bins")
		c := Calibrate(p, bins)
		s := RiskCoverage(p, rapid.Float64Range(0.01, 1).Draw(t, "cov"))
		for _, v := range []float64{c.ECE, c.MCE, c.ECEEqualMass, c.MCEEqualMass, c.Brier, s.AURC, s.SelectiveAccuracy} {
			if v < -1e-12 || v > 1+1e-12 {
				t.Fatalf("metric %v outside [0,1]: %+v %+v", v, c, s)
			}
		}
		if c.ECE > c.MCE+1e-12 || c.ECEEqualMass > c.MCEEqualMass+1e-12 {
			t.Fatalf("ECE above MCE: %+v", c)
		}
		sum := 0
		for _, b := range c.Reliability {
			sum += b.N
		}
		if sum != len(p) {
			t.Fatalf("bins hold %d of %d", sum, len(p))
		}
		// Neither metric depends on the input order.
		q := slices.Clone(p)
		rand.New(rand.NewPCG(uint64(len(p)), 7)).Shuffle(len(q), func(i, j int) { q[i], q[j] = q[j], q[i] })
		c2, s2 := Calibrate(q, bins), RiskCoverage(q, s.Coverage)
		if math.Abs(c.ECE-c2.ECE) > 1e-12 || math.Abs(c.ECEEqualMass-c2.ECEEqualMass) > 1e-12 || math.Abs(s.AURC-s2.AURC) > 1e-12 {
			t.Fatalf("order changed the metrics: %v/%v %v/%v %v/%v", c.ECE, c2.ECE, c.ECEEqualMass, c2.ECEEqualMass, s.AURC, s2.AURC)
		}
	})
}

func TestPolicyProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPredictions(t)
		others := rapid.IntRange(0, 5).Draw(t, "others")
		pc := Policy(p, others, Grid(0.05))
		for _, pt := range pc.Points {
			if pt.BestThresholdScore < pt.Score-1e-12 || pt.BestThresholdScore < 0 {
				t.Fatalf("best threshold %+v scores below the policy or below abstaining", pt)
			}
			// The best threshold's score is what answering above it
			// scores, counted directly in exact arithmetic, and no
			// threshold in [0,1] (the grid of confidences holds every
			// distinct policy) scores more.
			direct := func(tau float64) *big.Rat {
				pen := new(big.Rat).SetFrac64(int64(math.Round(pt.T*100)), 100-int64(math.Round(pt.T*100)))
				sum := new(big.Rat)
				for _, q := range p {
					if q.Confidence > tau {
						if q.Correct {
							sum.Add(sum, big.NewRat(1, 1))
						} else {
							sum.Sub(sum, pen)
						}
					}
				}
				return sum.Quo(sum, big.NewRat(int64(len(p)+others), 1))
			}
			if !(pt.BestThreshold >= 0 && pt.BestThreshold <= 1) {
				t.Fatalf("best threshold %v outside [0,1]", pt.BestThreshold)
			}
			got, _ := direct(pt.BestThreshold).Float64()
			if math.Abs(got-pt.BestThresholdScore) > 1e-12 {
				t.Fatalf("t=%v: best threshold %v reported scoring %v; answering above it scores %v", pt.T, pt.BestThreshold, pt.BestThresholdScore, got)
			}
			for c := 0; c <= 10; c++ {
				if v, _ := direct(float64(c) / 10).Float64(); v > pt.BestThresholdScore+1e-12 {
					t.Fatalf("t=%v: threshold %v scores %v, above the best %v at %v", pt.T, float64(c)/10, v, pt.BestThresholdScore, pt.BestThreshold)
				}
			}
		}
	})
}

// TestCalibratedPolicyIsOptimal checks Section 4.2 of arXiv:2509.04664's claim [I]: for a
// calibrated model (each confidence level q right on exactly a q share of
// its answers), "answer iff confidence > t" is the best threshold at t.
func TestCalibratedPolicyIsOptimal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var p []Prediction
		for q := 0; q <= 10; q++ {
			m := 10 * rapid.IntRange(0, 3).Draw(t, fmt.Sprint("m", q))
			for i := range m {
				p = append(p, Prediction{float64(q) / 10, i < m*q/10})
			}
		}
		if len(p) == 0 {
			return
		}
		for _, pt := range Policy(p, 0, Grid(0.05)).Points {
			if pt.Score < pt.BestThresholdScore-1e-9 {
				t.Fatalf("calibrated model at t=%v: policy %v below best threshold %v (τ=%v)", pt.T, pt.Score, pt.BestThresholdScore, pt.BestThreshold)
			}
		}
	})
}

func TestMultinomialProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := rapid.SliceOfN(rapid.IntRange(0, 1000), 1, 20).Draw(t, "m")
		n := 0
		for _, v := range m {
			n += v
		}
		out := make([]int, len(m))
		multinomial(rand.New(rand.NewPCG(1, uint64(n))), n, m, out)
		sum := 0
		for k, v := range out {
			if v < 0 || (m[k] == 0 && v != 0) {
				t.Fatalf("draw %v from weights %v", out, m)
			}
			sum += v
		}
		if sum != n {
			t.Fatalf("draw %v sums to %d, want %d", out, sum, n)
		}
	})
}

func TestPairedBootstrapProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 80).Draw(t, "n")
		var d Dataset
		for i := range n {
			for _, m := range []string{"a", "b"} {
				s := Sample{ID: fmt.Sprint(i), Model: m, Outcome: genOutcome.Draw(t, "o")}
				if err := d.Add(&s); err != nil {
					t.Fatal(err)
				}
			}
		}
		rep, err := Evaluate(&d, Config{Bootstrap: 200, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		score := map[[2]any]float64{}
		for _, r := range rep.Results {
			score[[2]any{r.Model, r.T}] = r.Score
		}
		for _, c := range rep.Comparisons {
			// Every question is shared and asked once, so the mean paired
			// difference is the difference of the two scores.
			want := score[[2]any{"a", c.T}] - score[[2]any{"b", c.T}]
			if c.Shared != n || math.Abs(c.MeanDiff-want) > 1e-9 {
				t.Fatalf("t=%v: shared %d mean diff %v, want %d and %v", c.T, c.Shared, c.MeanDiff, n, want)
			}
			if c.CI.Lo > c.MeanDiff+1e-9 && c.CI.Hi < c.MeanDiff-1e-9 || c.PABetter < 0 || c.PABetter > 1 {
				t.Fatalf("bootstrap %+v", c)
			}
		}
	})
}

// TestScoreIntervalInRange: the score's interval holds the score and stays
// within the score's range [−t/(1−t), 1]; at t = 0 it is the accuracy's
// Wilson interval, never the empty or negative one a normal interval gives
// to all-wrong or all-right samples.
func TestScoreIntervalInRange(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		os := rapid.SliceOfN(genOutcome, 1, 300).Draw(t, "outcomes")
		tt := float64(rapid.IntRange(0, 99).Draw(t, "k")) / 100
		var c Counts
		for _, o := range os {
			c.Add(o)
		}
		ci, method := ScoreInterval(c, tt, DefaultZ)
		s := c.Score(tt)
		if !(-Penalty(tt) <= ci.Lo && ci.Lo <= s+1e-12 && s-1e-12 <= ci.Hi && ci.Hi <= 1) {
			t.Fatalf("t=%v %+v: score %v, interval %+v (%s)", tt, c, s, ci, method)
		}
		if tt == 0 && (ci.Hi <= ci.Lo || ci != Wilson(c.Correct, c.N(), DefaultZ)) {
			t.Fatalf("binary grading: interval %+v, want Wilson's", ci)
		}
	})
}

// TestBootstrapPairsIndependent: each pair of models has its own random
// stream, so adding a third model changes neither the interval nor P(A
// better) between the first two.
func TestBootstrapPairsIndependent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(2, 60).Draw(t, "n")
		third := rapid.SampledFrom([]string{"0", "aa", "c", "zz"}).Draw(t, "third")
		var two, three Dataset
		for i := range n {
			for _, m := range []string{third, "a", "b"} { // the third model is met first
				s := Sample{ID: fmt.Sprint(i), Model: m, Outcome: genOutcome.Draw(t, "o")}
				if m != third {
					s2 := s
					if err := two.Add(&s2); err != nil {
						t.Fatal(err)
					}
				}
				if err := three.Add(&s); err != nil {
					t.Fatal(err)
				}
			}
		}
		cfg := Config{Bootstrap: 100, Seed: 7, Targets: []float64{0, 0.75}}
		r2, err := Evaluate(&two, cfg)
		if err != nil {
			t.Fatal(err)
		}
		r3, err := Evaluate(&three, cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range r2.Comparisons {
			found := false
			for _, d := range r3.Comparisons {
				if d.A == c.A && d.B == c.B && d.T == c.T {
					found = true
					if d.CI != c.CI || d.PABetter != c.PABetter {
						t.Fatalf("t=%v %s−%s: %+v with two models, %+v with %q added", c.T, c.A, c.B, c, d, third)
					}
				}
			}
			if !found {
				t.Fatalf("t=%v %s−%s missing once %q is added", c.T, c.A, c.B, third)
			}
		}
	})
}
