package ngram

// A Discount holds the three discounts of modified Kneser–Ney smoothing for
// one order (Chen & Goodman 1998, eq. 26), estimated from that order's
// count-of-counts of adjusted counts:
//
//	Y = n₁/(n₁ + 2n₂),  D₁ = 1 − 2Y·n₂/n₁,  D₂ = 2 − 3Y·n₃/n₂,  D₃₊ = 3 − 4Y·n₄/n₃
type Discount struct {
	D1, D2, D3 float64 // subtracted from adjusted counts of 1, 2 and 3 or more
	N          [4]int  // n₁…n₄: how many n-grams have adjusted count 1, 2, 3, 4
	// Fallback is true when n₁, n₂ or n₃ is zero or an estimate falls outside
	// (0, k] for the count k it discounts; D1, D2, D3 are then 0.5, 1 and 1.5
	// (KenLM's --discount_fallback defaults).
	Fallback bool
}

// Fallback discounts for orders whose count-of-counts cannot support the
// estimate.
const (
	fallbackD1 = 0.5
	fallbackD2 = 1.0
	fallbackD3 = 1.5
)

// of returns D(a): the discount for an n-gram of adjusted count a.
func (d Discount) of(a int32) float64 {
	switch {
	case a <= 0:
		return 0
	case a == 1:
		return d.D1
	case a == 2:
		return d.D2
	}
	return d.D3
}

// estimateDiscount counts the adjusted counts a (zeros ignored) and estimates
// the discounts from them.
func estimateDiscount(a []int32) Discount {
	var d Discount
	for _, c := range a {
		if c >= 1 && c <= 4 {
			d.N[c-1]++
		}
	}
	n1, n2, n3, n4 := float64(d.N[0]), float64(d.N[1]), float64(d.N[2]), float64(d.N[3])
	if n1 > 0 && n2 > 0 && n3 > 0 {
		y := n1 / (n1 + 2*n2)
		d.D1 = 1 - 2*y*n2/n1
		d.D2 = 2 - 3*y*n3/n2
		d.D3 = 3 - 4*y*n4/n3
		if d.D1 > 0 && d.D1 <= 1 && d.D2 > 0 && d.D2 <= 2 && d.D3 > 0 && d.D3 <= 3 {
			return d
		}
	}
	d.D1, d.D2, d.D3, d.Fallback = fallbackD1, fallbackD2, fallbackD3, true
	return d
}
