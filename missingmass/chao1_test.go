package missingmass

import (
	"math"
	"testing"

	"pgregory.net/rapid"
)

// Reference values: the formulas of Chao (1984, 1987) as SpadeR writes them,
// evaluated by hand in Python on the abundance vectors themselves. The
// Girdled spider data are iNEXT's `spider$Girdled`; its Chao1 estimate,
// 43.893, is the one iNEXT's documentation prints.
func TestChao1Golden(t *testing.T) {
	cases := []struct {
		name                string
		abundance           []int64
		gamma               float64
		estimate, low, high float64
	}{
		{"girdled, f1>0 f2>0", []int64{46, 22, 17, 15, 15, 9, 8, 6, 6, 4, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
			0.05, 43.89285714285714, 30.51104813296176, 96.97116397303745},
		{"f2=0, f1>1", []int64{7, 3, 1, 1, 1, 1}, 0.05, 11.571428571428571, 6.8953825391766586, 40.66765875853903},
		{"f1=1, f2=0", []int64{5, 3, 1}, 0.05, 3, 3, 4.642220085189153},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fof, err := Tabulate(c.abundance)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Chao1(fof, c.gamma)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range []struct {
				name      string
				got, want float64
			}{{"estimate", r.Estimate, c.estimate}, {"low", r.Low, c.low}, {"high", r.High, c.high}} {
				if math.Abs(v.got-v.want) > 1e-9*math.Max(1, v.want) {
					t.Errorf("%s = %.15g, want %.15g", v.name, v.got, v.want)
				}
			}
		})
	}
}

func TestChao1Invariants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		counts := rapid.SliceOfN(rapid.Int64Range(1, 50), 1, 200).Draw(t, "counts")
		fof, _ := Tabulate(counts)
		r, err := Chao1(fof, rapid.Float64Range(0.001, 0.5).Draw(t, "gamma"))
		if err != nil {
			t.Fatal(err)
		}
		sObs := float64(fof.Distinct())
		if !(sObs <= r.Low && r.Low <= r.Estimate && r.Estimate <= r.High) || math.IsNaN(r.High) || math.IsInf(r.High, 0) {
			t.Fatalf("S_obs %v, interval %v ≤ %v ≤ %v out of order or not finite", sObs, r.Low, r.Estimate, r.High)
		}
	})
}

func TestChao1Empty(t *testing.T) {
	r, err := Chao1(nil, 0.05)
	if err != nil || r != (Richness{}) {
		t.Fatalf("Chao1(empty) = %+v, %v; want zeros", r, err)
	}
}
