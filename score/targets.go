package score

import "slices"

// DefaultTargets are the confidence targets scored when none are given:
// binary grading (0) and the three targets Section 4.2 of arXiv:2509.04664 names.
var DefaultTargets = []float64{0, 0.5, 0.75, 0.9}

// sortedTargets returns ts sorted increasing without duplicates.
func sortedTargets(ts []float64) []float64 {
	ts = slices.Clone(ts)
	slices.Sort(ts)
	return slices.Compact(ts)
}
