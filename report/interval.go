package report

import (
	"fmt"
	"strconv"
)

// HalfOpen formats the interval [lo, hi) with as many significant digits
// as it takes (from 6) for the two ends to read differently, so that a
// non-empty interval never prints as an empty one like [0.148981, 0.148981).
// lo = hi is the point lo (the top step of a threshold sweep, z = 1),
// printed closed: [lo, lo].
func HalfOpen(lo, hi float64) string {
	if lo == hi {
		return fmt.Sprintf("[%s, %[1]s]", F(lo))
	}
	a, b := F(lo), F(hi)
	for p := 7; a == b && lo != hi && p <= 17; p++ {
		a, b = strconv.FormatFloat(lo, 'g', p, 64), strconv.FormatFloat(hi, 'g', p, 64)
	}
	return fmt.Sprintf("[%s, %s)", a, b)
}
