package score

import (
	"cmp"
	"slices"
)

// A Prediction is one answered sample (correct or wrong) with the model's
// confidence that it is correct. Calibration, selective prediction and the
// threshold policy are computed over predictions.
type Prediction struct {
	Confidence float64 // in [0,1]
	Correct    bool
}

// byConfidenceDesc orders predictions from most to least confident.
func byConfidenceDesc(a, b Prediction) int { return cmp.Compare(b.Confidence, a.Confidence) }

// sortedDesc returns p sorted by decreasing confidence, copying p unless it
// is already in that order.
func sortedDesc(p []Prediction) []Prediction {
	if slices.IsSortedFunc(p, byConfidenceDesc) {
		return p
	}
	q := slices.Clone(p)
	slices.SortFunc(q, byConfidenceDesc)
	return q
}

// tieGroups calls fn for each run of equal confidence in p (sorted by
// decreasing confidence) with the run's bounds [i, j), its confidence and
// its number of correct predictions.
func tieGroups(p []Prediction, fn func(i, j int, conf float64, correct int)) {
	for i := 0; i < len(p); {
		j, c := i, 0
		for j < len(p) && p[j].Confidence == p[i].Confidence {
			if p[j].Correct {
				c++
			}
			j++
		}
		fn(i, j, p[i].Confidence, c)
		i = j
	}
}
