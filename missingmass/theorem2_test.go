package missingmass

import (
	"fmt"
	"math"
	"testing"

	"pgregory.net/rapid"
)

// Reference values computed by hand from the formulas in Theorem 2 of arXiv:2509.04664.
func TestTheorem2Golden(t *testing.T) {
	th := Theorem2{N: 1_000_000, SR: 0.2, MinE: 364, MaxE: 364, Delta: 0.01}
	// ln(1e6) = 13.815510557964274; (35 + 6·13.8155…)/1000 = 0.11789306334778564
	want := 0.2 - 2.0/364 - 0.11789306334778564 - 0.01
	if got := th.Lower99(); math.Abs(got-want) > 1e-15 {
		t.Errorf("Lower99 = %.17g, want %.17g", got, want)
	}
	// ln(3e8) = 19.519293032620475; 6·19.5192…/1000 = 0.11711575819572285
	want = 0.2 - 2.0/364 - 0.11711575819572285 - 0.01
	if got := th.Lower(0.01); math.Abs(got-want) > 1e-15 {
		t.Errorf("Lower(0.01) = %.17g, want %.17g", got, want)
	}
	// 0.2·364/365 + 13/1000
	want = 0.2*364.0/365 + 0.013
	if got := th.Upper99(); math.Abs(got-want) > 1e-15 {
		t.Errorf("Upper99 = %.17g, want %.17g", got, want)
	}
	// ln 500 = 6.2146080984221914; 5·sqrt(6.2146…/1e6) = 0.012464519130727...
	want = 0.2*364.0/365 + 5*math.Sqrt(6.2146080984221914/1e6)
	if got := th.Upper(0.01); math.Abs(got-want) > 1e-15 {
		t.Errorf("Upper(0.01) = %.17g, want %.17g", got, want)
	}
	// 4.42·sqrt(ln 500 / 1e6)
	if got, want := Lemma1Radius(1_000_000, 0.01), 4.42*math.Sqrt(6.2146080984221914/1e6); math.Abs(got-want) > 1e-15 {
		t.Errorf("Lemma1Radius = %.17g, want %.17g", got, want)
	}
}

// The printed 99% forms are the γ = 0.01 forms loosened (Theorem 2 of arXiv:2509.04664):
// 6·ln 300 ≤ 35 and 5·sqrt(ln 500) ≤ 13. Lower bounds never exceed the
// matching upper bound's δ = 0 form when min|E_c| = max|E_c|.
func TestTheorem2NinetyNineFormsAreLooser(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		minE := rapid.Int64Range(1, 1_000_000).Draw(t, "minE")
		th := Theorem2{
			N:     rapid.Int64Range(1, 1<<40).Draw(t, "N"),
			SR:    rapid.Float64Range(0, 1).Draw(t, "sr"),
			MinE:  minE,
			MaxE:  minE + rapid.Int64Range(0, 1000).Draw(t, "extra"),
			Delta: rapid.Float64Range(0, 1).Draw(t, "delta"),
		}
		if err := th.Validate(); err != nil {
			t.Fatal(err)
		}
		if lo, lo01 := th.Lower99(), th.Lower(0.01); lo > lo01 {
			t.Fatalf("Lower99 %v > Lower(0.01) %v", lo, lo01)
		}
		if up, up01 := th.Upper99(), th.Upper(0.01); up < up01 {
			t.Fatalf("Upper99 %v < Upper(0.01) %v", up, up01)
		}
		g := rapid.Float64Range(1e-9, 1).Draw(t, "gamma")
		if th.Lower(g) > th.Upper(g) {
			t.Fatalf("Lower(%v) = %v above Upper = %v", g, th.Lower(g), th.Upper(g))
		}
		// Smaller γ (more confidence) can only widen both bounds.
		if g2 := g / 2; th.Lower(g2) > th.Lower(g) || th.Upper(g2) < th.Upper(g) {
			t.Fatalf("bounds tightened when γ halved from %v", g)
		}
	})
}

func TestTheorem2Validate(t *testing.T) {
	ok := Theorem2{N: 10, SR: 0.5, MinE: 1, MaxE: 2}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid setting rejected: %v", err)
	}
	bad := []Theorem2{
		{N: 0, SR: 0.5, MinE: 1, MaxE: 1},
		{N: 10, SR: -0.1, MinE: 1, MaxE: 1},
		{N: 10, SR: math.NaN(), MinE: 1, MaxE: 1},
		{N: 10, SR: 0.5, MinE: 0, MaxE: 1},
		{N: 10, SR: 0.5, MinE: 3, MaxE: 2},
		{N: 10, SR: 0.5, MinE: 1, MaxE: 1, Delta: 1.5},
	}
	for _, b := range bad {
		if b.Validate() == nil {
			t.Errorf("Validate(%+v) = nil, want an error", b)
		}
	}
}

func TestKalaiVempalaIntroForm(t *testing.T) {
	// At γ = 0.01 the formal bound is at least the intro form
	// MF − Mis − 300·ratio − 7/√n (Kalai & Vempala 2024 (arXiv:2311.14648)).
	for _, n := range []int64{1, 10, 1000, 1 << 40} {
		got := KalaiVempalaLower(n, 0.3, 0.05, 1e-4, 0.01)
		intro := 0.3 - 0.05 - 300*1e-4 - 7/math.Sqrt(float64(n))
		if got < intro {
			t.Errorf("n=%d: formal %v below intro form %v", n, got, intro)
		}
	}
}

func ExampleTheorem2() {
	// A birthday corpus: 10^8 examples, 20% of them singleton facts,
	// 364 wrong dates per person, a calibrated model (δ = 0).
	th := Theorem2{N: 100_000_000, SR: 0.2, MinE: 364, MaxE: 364}
	fmt.Printf("floor %.4f, upper %.4f\n", th.Lower99(), th.Upper99())
	// Output: floor 0.1800, upper 0.2008
}
