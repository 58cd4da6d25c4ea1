package facts

import (
	"slices"
	"strings"
	"testing"
)

func TestParseAxis(t *testing.T) {
	for _, c := range []struct {
		in    string
		param SweepParam
		want  []float64
	}{
		{"n=1e3..1e7", SweepN, []float64{1e3, 1e4, 1e5, 1e6, 1e7}},
		{"n=100..1000:3", SweepN, []float64{100, 316, 1000}},
		{"n=10..12:5", SweepN, []float64{10, 11, 12}}, // rounded, then deduplicated
		{"n=500..500", SweepN, []float64{500}},
		{"n=1000,5000", SweepN, []float64{1000, 5000}},
		{"zipf=0.5..1.5", SweepZipf, []float64{0.5, 0.75, 1, 1.25, 1.5}},
		{"zipf=0..2:3", SweepZipf, []float64{0, 1, 2}},
		{"zipf=1.1", SweepZipf, []float64{1.1}},
	} {
		a, err := ParseAxis(c.in)
		if err != nil {
			t.Errorf("ParseAxis(%q): %v", c.in, err)
			continue
		}
		if a.Param != c.param || !slices.Equal(a.Values, c.want) {
			t.Errorf("ParseAxis(%q) = %v, want %v=%v", c.in, a, c.param, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"n", "want n=LO..HI"},
		{"alpha=0..1", "want n=LO..HI"},
		{"n=0..100", "N starts at 1"},
		{"n=100..10", "LO ≤ HI"},
		{"n=1..10:0", "number of points"},
		{"n=1.5,3", "integer"},
		{"n=1..x", "LO ≤ HI"},
		{"zipf=-1,1", "≥ 0"},
		{"zipf=a,b", "not a number"},
	} {
		if _, err := ParseAxis(c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseAxis(%q): error %v, want one containing %q", c.in, err, c.want)
		}
	}
}
