package score

import "math"

// Interval is a two-sided confidence interval [Lo, Hi].
type Interval struct {
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
}

// DefaultZ is the normal quantile for two-sided 95% intervals.
const DefaultZ = 1.959963984540054

// Wilson returns the Wilson score interval for k successes in n trials at
// normal quantile z (Wilson 1927; Brown, Cai & DasGupta 2001, eq. 4):
//
//	centre = (p̂ + z²/2n) / (1 + z²/n)
//	half   = z·√(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n)
//
// With n = 0 it returns [0, 1]. It panics unless 0 ≤ k ≤ n and z > 0.
func Wilson(k, n int, z float64) Interval {
	if k < 0 || k > n || !(z > 0) {
		panic("score: Wilson needs 0 ≤ k ≤ n and z > 0")
	}
	if n == 0 {
		return Interval{0, 1}
	}
	nf := float64(n)
	p := float64(k) / nf
	z2 := z * z
	den := 1 + z2/nf
	centre := (p + z2/(2*nf)) / den
	half := z * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / den
	lo, hi := centre-half, centre+half
	// Clamp rounding at the ends: k = 0 gives lo = 0 exactly in exact
	// arithmetic, k = n gives hi = 1.
	if k == 0 || lo < 0 {
		lo = 0
	}
	if k == n || hi > 1 {
		hi = 1
	}
	return Interval{lo, hi}
}
