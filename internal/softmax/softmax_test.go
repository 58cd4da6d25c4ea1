package softmax

import (
	"math"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// Golden values by hand: softmax(ln 1, ln 2, ln 3, −∞) = (1/6, 2/6, 3/6, 0).
func TestOfByHand(t *testing.T) {
	got, err := Of([]float64{0, math.Log(2), math.Log(3), math.Inf(-1)})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{1. / 6, 2. / 6, 3. / 6, 0} {
		if math.Abs(got[i]-want) > 1e-15 {
			t.Errorf("p[%d] = %v, want %v", i, got[i], want)
		}
	}
}

// Large log-likelihoods do not overflow: the shift makes softmax(1000, 1000)
// exactly (1/2, 1/2), where exp(1000) alone is +Inf.
func TestOfStable(t *testing.T) {
	for _, z := range [][]float64{{1000, 1000}, {-1000, -1000}, {-1e308, -1e308}} {
		got, err := Of(z)
		if err != nil || got[0] != 0.5 || got[1] != 0.5 {
			t.Errorf("Of(%v) = %v, %v; want [0.5 0.5]", z, got, err)
		}
	}
}

func TestOfErrors(t *testing.T) {
	for _, tc := range []struct {
		z    []float64
		want string
	}{
		{[]float64{-1, math.NaN()}, "entry 1 is NaN"},
		{[]float64{math.Inf(1), -1}, "entry 0 is +Inf"},
		{[]float64{math.Inf(-1), math.Inf(-1)}, "all 2 entries are −Inf"},
		{nil, "all 0 entries are −Inf"},
	} {
		if _, err := Of(tc.z); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Of(%v): error %v, want %q", tc.z, err, tc.want)
		}
	}
}

// Properties: a probability vector, invariant under a common shift,
// order-preserving, and equal to the unshifted formula where that one does
// not overflow.
func TestOfProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		z := rapid.SliceOfN(rapid.Float64Range(-50, 50), 1, 12).Draw(t, "z")
		shift := rapid.Float64Range(-500, 500).Draw(t, "shift")
		p, err := Of(z)
		if err != nil {
			t.Fatal(err)
		}
		zs := make([]float64, len(z))
		var naive float64
		for i, v := range z {
			zs[i] = v + shift
			naive += math.Exp(v)
		}
		q, err := Of(zs)
		if err != nil {
			t.Fatal(err)
		}
		var sum float64
		for i := range p {
			sum += p[i]
			if p[i] < 0 || p[i] > 1 || math.Abs(p[i]-q[i]) > 1e-12 || math.Abs(p[i]-math.Exp(z[i])/naive) > 1e-12 {
				t.Fatalf("p = %v, shifted %v, z = %v", p, q, z)
			}
			for j := range p {
				if z[i] < z[j] && p[i] > p[j] {
					t.Fatalf("order: z %v, p %v", z, p)
				}
			}
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Fatalf("Σp = %v", sum)
		}
	})
}
