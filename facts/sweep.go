package facts

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// SweepParam names a parameter a sweep varies.
type SweepParam uint8

const (
	// SweepN varies N, the number of training examples.
	SweepN SweepParam = iota + 1
	// SweepZipf varies the exponent S of a Zipf μ.
	SweepZipf
)

func (p SweepParam) String() string {
	switch p {
	case SweepN:
		return "n"
	case SweepZipf:
		return "zipf"
	}
	return fmt.Sprintf("SweepParam(%d)", uint8(p))
}

// Axis is one swept parameter and its values.
type Axis struct {
	Param  SweepParam
	Values []float64
}

// ParseAxis parses a sweep axis:
//
//	n=LO..HI[:P]     P values of N on a log grid from LO to HI (default: one
//	                 per decade), rounded to integers
//	zipf=LO..HI[:P]  P Zipf exponents on a linear grid (default 5)
//	n=V1,V2,…        the values listed (also zipf=…)
func ParseAxis(s string) (Axis, error) {
	name, spec, ok := strings.Cut(s, "=")
	var a Axis
	switch name {
	case "n":
		a.Param = SweepN
	case "zipf":
		a.Param = SweepZipf
	}
	if !ok || a.Param == 0 {
		return Axis{}, fmt.Errorf("sweep %q: want n=LO..HI[:P], zipf=LO..HI[:P] or PARAM=V1,V2,…", s)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("sweep %q: "+format, append([]any{s}, args...)...)
	}
	if lohi, rest, isRange := strings.Cut(spec, ".."); isRange {
		hiS, pS, hasP := strings.Cut(rest, ":")
		lo, err1 := strconv.ParseFloat(lohi, 64)
		hi, err2 := strconv.ParseFloat(hiS, 64)
		if err1 != nil || err2 != nil || !(lo <= hi) || math.IsInf(hi, 0) {
			return Axis{}, bad("want LO..HI with numbers LO ≤ HI")
		}
		points := 5
		if a.Param == SweepN {
			if !(lo >= 1) {
				return Axis{}, bad("N starts at 1")
			}
			points = int(math.Round(math.Log10(hi/lo))) + 1
		}
		if hasP {
			p, err := strconv.Atoi(pS)
			if err != nil || p < 1 || p > 10_000 {
				return Axis{}, bad("the number of points %q must be an integer in 1..10000", pS)
			}
			points = p
		}
		if lo == hi {
			points = 1
		}
		for i := range points {
			t := 0.0
			if points > 1 {
				t = float64(i) / float64(points-1)
			}
			if a.Param == SweepN {
				a.Values = append(a.Values, math.Round(lo*math.Pow(hi/lo, t)))
			} else {
				a.Values = append(a.Values, lo+(hi-lo)*t)
			}
		}
	} else {
		for _, f := range strings.Split(spec, ",") {
			v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return Axis{}, bad("%q is not a number", f)
			}
			a.Values = append(a.Values, v)
		}
	}
	for _, v := range a.Values {
		switch {
		case a.Param == SweepN && (v < 1 || v > MaxExamples || v != math.Trunc(v)):
			return Axis{}, bad("N = %v must be an integer in 1..%d", v, MaxExamples)
		case a.Param == SweepZipf && v < 0:
			return Axis{}, bad("the Zipf exponent %v must be ≥ 0", v)
		}
	}
	if a.Param == SweepN {
		a.Values = slices.Compact(a.Values)
	}
	return a, nil
}

func (a Axis) String() string {
	parts := make([]string, len(a.Values))
	for i, v := range a.Values {
		parts[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return a.Param.String() + "=" + strings.Join(parts, ",")
}
