package missingmass

import (
	"cmp"
	"fmt"
	"slices"
)

// Class is one row of a frequency-of-frequencies table: F distinct prompts
// were each seen exactly J times with a non-abstaining answer.
type Class struct {
	J int64 `json:"j"`
	F int64 `json:"f"`
}

// FreqOfFreq is a frequency-of-frequencies table (f_j in Good 1953; the
// "abundance frequency counts" of SpadeR and iNEXT): rows sorted by J
// ascending, every J ≥ 1 and every F ≥ 1, no J repeated. Prompts seen only
// with IDK have answered count 0 and no row; they still count toward N in
// Definition 2 (arXiv:2509.04664).
type FreqOfFreq []Class

// Tabulate returns the frequency-of-frequencies table of per-prompt answered
// counts. Zero counts (prompts seen only with IDK) are skipped; negative
// counts are an error.
func Tabulate(counts []int64) (FreqOfFreq, error) {
	m := make(map[int64]int64)
	for i, c := range counts {
		if c < 0 {
			return nil, fmt.Errorf("count %d at index %d is negative", c, i)
		}
		if c > 0 {
			m[c]++
		}
	}
	return FromMap(m)
}

// FromMap returns the table whose row J has F = m[J]. Rows with F = 0 are
// dropped; J < 1 or F < 0 is an error.
func FromMap(m map[int64]int64) (FreqOfFreq, error) {
	t := make(FreqOfFreq, 0, len(m))
	for j, f := range m {
		if j < 1 || f < 0 {
			return nil, fmt.Errorf("frequency-of-frequencies row j=%d f=%d: need j ≥ 1 and f ≥ 0", j, f)
		}
		if f > 0 {
			t = append(t, Class{J: j, F: f})
		}
	}
	slices.SortFunc(t, func(a, b Class) int { return cmp.Compare(a.J, b.J) })
	return t, nil
}

// Validate reports whether t is well formed: J strictly increasing from at
// least 1, every F ≥ 1, and Σ J·F not overflowing int64.
func (t FreqOfFreq) Validate() error {
	var total int64
	for i, c := range t {
		if c.J < 1 || c.F < 1 {
			return fmt.Errorf("row %d (j=%d f=%d): need j ≥ 1 and f ≥ 1", i+1, c.J, c.F)
		}
		if i > 0 && c.J <= t[i-1].J {
			return fmt.Errorf("row %d (j=%d): j not strictly increasing after j=%d", i+1, c.J, t[i-1].J)
		}
		if c.F > (1<<63-1-total)/c.J {
			return fmt.Errorf("row %d (j=%d f=%d): total count overflows int64", i+1, c.J, c.F)
		}
		total += c.J * c.F
	}
	return nil
}

// F returns f_j, the number of prompts seen exactly j times with an answer.
func (t FreqOfFreq) F(j int64) int64 {
	i, ok := slices.BinarySearchFunc(t, j, func(c Class, j int64) int { return cmp.Compare(c.J, j) })
	if !ok {
		return 0
	}
	return t[i].F
}

// Distinct returns Σ_j f_j, the number of distinct prompts seen with an answer.
func (t FreqOfFreq) Distinct() int64 {
	var s int64
	for _, c := range t {
		s += c.F
	}
	return s
}

// Answered returns Σ_j j·f_j, the number of examples with a non-abstaining answer.
func (t FreqOfFreq) Answered() int64 {
	var s int64
	for _, c := range t {
		s += c.J * c.F
	}
	return s
}

// Merge returns the table of the union of two disjoint sets of prompts: the
// row-wise sum of t and u. (Tables of overlapping prompt sets cannot be
// merged; their counts must be added per prompt first.)
func (t FreqOfFreq) Merge(u FreqOfFreq) FreqOfFreq {
	out := make(FreqOfFreq, 0, len(t)+len(u))
	i, k := 0, 0
	for i < len(t) || k < len(u) {
		switch {
		case k == len(u) || (i < len(t) && t[i].J < u[k].J):
			out = append(out, t[i])
			i++
		case i == len(t) || u[k].J < t[i].J:
			out = append(out, u[k])
			k++
		default:
			out = append(out, Class{J: t[i].J, F: t[i].F + u[k].F})
			i++
			k++
		}
	}
	return out
}

// SingletonRate returns sr = |S|/N of Definition 2 (arXiv:2509.04664): the
// number of prompts seen exactly once with a non-abstaining answer (f_1 of
// t, IDK occurrences ignored) divided by n, the number of all training
// examples including abstentions. sr of an empty sample (n = 0) is 0. It is
// an error for n to be smaller than the answered examples t accounts for.
func SingletonRate(t FreqOfFreq, n int64) (float64, error) {
	if a := t.Answered(); n < a {
		return 0, fmt.Errorf("singleton rate: N = %d examples is fewer than the %d answered examples in the table", n, a)
	}
	if n == 0 {
		return 0, nil
	}
	return float64(t.F(1)) / float64(n), nil
}
