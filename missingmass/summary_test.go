package missingmass

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"pgregory.net/rapid"
)

func TestSummarizeEmpty(t *testing.T) {
	s, err := Summarize(nil, 0, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	want := Summary{MissingMassHigh: 1}
	if s != want {
		t.Fatalf("Summarize(empty) = %+v, want %+v", s, want)
	}
}

func TestSummarizeInvariants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		counts := rapid.SliceOf(rapid.Int64Range(0, 30)).Draw(t, "counts")
		fof, _ := Tabulate(counts)
		n := fof.Answered() + rapid.Int64Range(0, 100).Draw(t, "idk")
		s, err := Summarize(fof, n, rapid.Float64Range(1e-6, 0.99).Draw(t, "gamma"))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []float64{s.SingletonRate, s.MissingMassLow, s.MissingMassHigh, s.Coverage} {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("rate %v outside [0, 1] in %+v", v, s)
			}
		}
		if !(s.MissingMassLow <= s.MissingMass && s.MissingMass <= s.MissingMassHigh) {
			t.Fatalf("interval [%v, %v] misses the estimate %v", s.MissingMassLow, s.MissingMassHigh, s.MissingMass)
		}
		if n > 0 && s.Coverage+s.SingletonRate != 1 {
			t.Fatalf("coverage %v + sr %v ≠ 1", s.Coverage, s.SingletonRate)
		}
	})
}

// Lemma 1 (Appendix B of arXiv:2509.04664) on simulated Arbitrary Facts samples (Definition 1):
// the exact abstention-aware missing mass MM lies within Lemma1Radius of sr
// in at least a 1 − γ fraction of draws. The lemma is loose, so this checks
// that sr and MM are the quantities the lemma relates, not its constant.
func TestLemma1Coverage(t *testing.T) {
	const (
		prompts = 2000
		n       = 3000
		trials  = 200
		gamma   = 0.1
	)
	rng := rand.New(rand.NewPCG(1, 2))
	mu := make([]float64, prompts)    // Zipf(1.1) prompt distribution
	alpha := make([]float64, prompts) // answer probabilities
	var z float64
	for c := range mu {
		mu[c] = math.Pow(float64(c+1), -1.1)
		z += mu[c]
		alpha[c] = rng.Float64()
	}
	cdf := make([]float64, prompts)
	var acc float64
	for c := range mu {
		mu[c] /= z
		acc += mu[c]
		cdf[c] = acc
	}
	radius := Lemma1Radius(n, gamma)
	inside := 0
	for range trials {
		answered := make([]int64, prompts)
		for range n {
			u := rng.Float64()
			c := min(prompts-1, lowerBound(cdf, u))
			if rng.Float64() < alpha[c] {
				answered[c]++
			}
		}
		var mm float64
		for c := range answered {
			if answered[c] == 0 {
				mm += mu[c] * alpha[c]
			}
		}
		fof, _ := Tabulate(answered)
		sr, _ := SingletonRate(fof, n)
		if math.Abs(mm-sr) <= radius {
			inside++
		}
	}
	if float64(inside) < (1-gamma)*trials {
		t.Fatalf("|MM − sr| ≤ %v in %d of %d draws, fewer than 1−γ", radius, inside, trials)
	}
}

func lowerBound(cdf []float64, u float64) int {
	lo, hi := 0, len(cdf)
	for lo < hi {
		m := (lo + hi) / 2
		if cdf[m] < u {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

func ExampleSummarize() {
	// 10 examples: prompts seen 1, 1, 1, 2 and 3 times with an answer, and 2 abstentions.
	fof, _ := Tabulate([]int64{1, 1, 1, 2, 3})
	s, _ := Summarize(fof, 10, 0.01)
	fmt.Printf("sr %.2f, MM in [%.2f, %.2f], coverage %.2f, Chao1 %.2f\n",
		s.SingletonRate, s.MissingMassLow, s.MissingMassHigh, s.Coverage, s.Estimate)
	// Output: sr 0.30, MM in [0.00, 1.00], coverage 0.70, Chao1 8.94
}
