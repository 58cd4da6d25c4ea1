package iiv

import (
	"math"
	"strconv"
	"testing"

	"pgregory.net/rapid"
)

// parseFast must agree bit for bit with strconv.ParseFloat wherever it
// answers, and answer for the short decimals instances are made of.
func TestParseFastMatchesStrconv(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var s string
		switch rapid.IntRange(0, 2).Draw(t, "kind") {
		case 0: // a float64 printed with a random number of digits
			f := rapid.Float64Range(0, 1).Draw(t, "f")
			s = strconv.FormatFloat(f, 'f', rapid.IntRange(-1, 25).Draw(t, "prec"), 64)
		case 1: // an arbitrary digit string
			s = rapid.StringMatching(`-?(0|[1-9][0-9]{0,17})(\.[0-9]{1,24})?`).Draw(t, "s")
		default: // a float64 in shortest form, as JSON encoders write it
			f := math.Float64frombits(rapid.Uint64().Draw(t, "bits"))
			if math.IsNaN(f) || math.IsInf(f, 0) {
				f = 0.5
			}
			s = strconv.FormatFloat(f, 'g', -1, 64)
		}
		want, err := strconv.ParseFloat(s, 64)
		got, ok := parseFast([]byte(s))
		if !ok {
			return
		}
		if err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("parseFast(%q) = %v (%#x), strconv: %v (%#x), %v", s, got, math.Float64bits(got), want, math.Float64bits(want), err)
		}
	})
	for _, s := range []string{"0", "1", "-0", "0.5", "0.040829077", "123456789012345", "0.000000000000000000001"} {
		if _, ok := parseFast([]byte(s)); !ok {
			t.Errorf("parseFast(%q) fell back to strconv", s)
		}
	}
	for _, s := range []string{"", "-", ".", "1.", ".5", "1e5", "1.5E-3", "1234567890123456", "0.00000000000000000000001", "0x1", "1a"} {
		if f, ok := parseFast([]byte(s)); ok {
			t.Errorf("parseFast(%q) = %v; want a fall-back to strconv", s, f)
		}
	}
}

// radixSortDescending must order points as a comparison sort does, with
// ties, zeros of both signs, subnormals and 1 among them.
func TestRadixSortDescending(t *testing.T) {
	special := []float64{0, math.Copysign(0, -1), 1, 0.5, math.SmallestNonzeroFloat64, 1e-300, 1 + 1e-7}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 3000).Draw(t, "n")
		pts := make([]point[Float], n)
		for i := range pts {
			var f float64
			switch rapid.IntRange(0, 3).Draw(t, "kind") {
			case 0:
				f = rapid.SampledFrom(special).Draw(t, "special")
			case 1:
				f = float64(rapid.IntRange(0, 8).Draw(t, "tie")) / 8
			default:
				f = rapid.Float64Range(0, 1).Draw(t, "f")
			}
			pts[i] = point[Float]{phat: Float(f), a: Float(i)}
		}
		radixSortDescending(pts, make([]point[Float], len(pts)))
		for i := 1; i < n; i++ {
			if pts[i-1].phat < pts[i].phat {
				t.Fatalf("position %d: %v before %v", i, pts[i-1].phat, pts[i].phat)
			}
		}
		seen := make([]bool, n) // a permutation: every point once
		for _, p := range pts {
			if seen[int(p.a)] {
				t.Fatalf("point %v twice", p.a)
			}
			seen[int(p.a)] = true
		}
	})
}
