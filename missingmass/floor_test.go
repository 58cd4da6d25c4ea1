package missingmass

import (
	"math"
	"testing"
)

func TestFloorByHand(t *testing.T) {
	// N = 10^6, sr = 0.2, birthdays (364 errors per prompt), δ = 0, γ = 0.01.
	f, err := NewFloor(Theorem2{N: 1_000_000, SR: 0.2, MinE: 364, MaxE: 364}, 0.01, 0, 1.0/364)
	if err != nil {
		t.Fatal(err)
	}
	sample := 6 * math.Log(3e6/0.01) / 1000 // 6·ln(3·10^8)/10^3 = 0.117…
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"lower", f.Lower, 0.2 - 2.0/364 - sample},
		{"lower99", f.Lower99, 0.2 - 2.0/364 - (35+6*math.Log(1e6))/1000},
		{"upper", f.Upper, 0.2 - 0.2/365 + 5*math.Sqrt(math.Log(500)/1e6)},
		{"upper99", f.Upper99, 0.2 - 0.2/365 + 13.0/1000},
		{"mm_low", f.MMLow, 0.2 - 4.42*math.Sqrt(math.Log(500)/1e6)},
		{"mm_high", f.MMHigh, 0.2 + 4.42*math.Sqrt(math.Log(500)/1e6)},
		{"kv", f.KV, 0.2 - 300.0/364 - math.Sqrt(6*math.Log(600)/1e6)},
	} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s = %.15g, want %.15g", c.name, c.got, c.want)
		}
	}
	if f.Dominant != "sample" {
		t.Errorf("dominant term %q, want sample (%.4f vs 2/364 = %.4f)", f.Dominant, sample, 2.0/364)
	}
	// The 99% form is the general form at γ = 0.01, loosened.
	if f.Lower99 > f.Lower || f.Upper99 < f.Upper {
		t.Errorf("99%% forms are not looser: lower %v vs %v, upper %v vs %v", f.Lower99, f.Lower, f.Upper99, f.Upper)
	}
}

func TestFloorHorizon(t *testing.T) {
	tt := Theorem2{N: 1000, SR: 0.3, MinE: 364, MaxE: 364}
	f, err := NewFloor(tt, 0.01, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := f.NWithinPoint
	room := 0.01 - 2.0/364
	if n <= 0 || sampleTerm(float64(n), 0.01) > room || sampleTerm(float64(n-1), 0.01) <= room {
		t.Fatalf("NWithinPoint = %d: term there %g, one less %g, room %g", n, sampleTerm(float64(n), 0.01), sampleTerm(float64(n-1), 0.01), room)
	}
	// At that N, the lower bound is within one point of sr.
	tt.N = n
	if g, _ := NewFloor(tt, 0.01, 0, 0); tt.SR-g.Lower > 0.01+1e-12 {
		t.Errorf("at N = %d, sr − lower = %g > 0.01", n, tt.SR-g.Lower)
	}
	// With 2 errors per prompt the plausible term alone is a whole point.
	tt.MinE, tt.MaxE = 2, 2
	if g, _ := NewFloor(tt, 0.01, 0, 0); g.NWithinPoint != 0 || g.Dominant != "plausible" {
		t.Errorf("min|E_c| = 2: NWithinPoint %d, dominant %q; want 0, plausible", g.NWithinPoint, g.Dominant)
	}
}

func TestFloorRejects(t *testing.T) {
	for _, c := range []struct {
		t     Theorem2
		gamma float64
	}{
		{Theorem2{N: 0, SR: 0.1, MinE: 1, MaxE: 1}, 0.01},
		{Theorem2{N: 10, SR: 1.5, MinE: 1, MaxE: 1}, 0.01},
		{Theorem2{N: 10, SR: 0.1, MinE: 0, MaxE: 1}, 0.01},
		{Theorem2{N: 10, SR: 0.1, MinE: 3, MaxE: 2}, 0.01},
		{Theorem2{N: 10, SR: 0.1, MinE: 1, MaxE: 1}, 0},
		{Theorem2{N: 10, SR: 0.1, MinE: 1, MaxE: 1, Delta: -0.1}, 0.5},
	} {
		if _, err := NewFloor(c.t, c.gamma, 0, 0); err == nil {
			t.Errorf("NewFloor(%+v, %v) accepted", c.t, c.gamma)
		}
	}
}
