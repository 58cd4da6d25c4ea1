// Package softmax turns log-likelihoods into probabilities: the one
// softmax of hallu, used wherever a model's scores over a finite set of
// answers (multiple-choice log-likelihoods, candidate sets) become p̂
// restricted to that set (Section 3.1 of arXiv:2509.04664, the plausible set X_c).
package softmax

import (
	"fmt"
	"math"
)

// Of returns exp(z_i) / Σ_j exp(z_j), computed stably by the log-sum-exp
// shift: the largest z is subtracted before exponentiating, so no term
// overflows and the largest is exactly 1. Entries of −∞ get probability 0.
// It fails on NaN or +∞ and when every entry is −∞ (no mass to
// normalise).
func Of(z []float64) ([]float64, error) {
	m := math.Inf(-1)
	for i, v := range z {
		switch {
		case math.IsNaN(v):
			return nil, fmt.Errorf("entry %d is NaN", i)
		case math.IsInf(v, 1):
			return nil, fmt.Errorf("entry %d is +Inf", i)
		}
		m = max(m, v)
	}
	if math.IsInf(m, -1) {
		return nil, fmt.Errorf("all %d entries are −Inf", len(z))
	}
	out := make([]float64, len(z))
	var sum float64
	for i, v := range z {
		out[i] = math.Exp(v - m)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out, nil
}
