package report

import "testing"

func TestHalfOpen(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   string
	}{
		{0.25, 0.5, "[0.25, 0.5)"},
		{0.1489812, 0.1489814, "[0.1489812, 0.1489814)"},        // %.6g prints both as 0.148981
		{0.14898100000000001, 0.148981, "[0.148981, 0.148981]"}, // the same float64: the interval is a point
		{1, 1, "[1, 1]"},
	} {
		if got := HalfOpen(c.lo, c.hi); got != c.want {
			t.Errorf("HalfOpen(%v, %v) = %s, want %s", c.lo, c.hi, got, c.want)
		}
	}
}
