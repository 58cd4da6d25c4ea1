package instances

import (
	"fmt"
	"math"
)

// Softmax returns exp(z_i) / Σ_j exp(z_j), computed stably by subtracting
// the largest z. Entries of −∞ get probability 0. It fails on NaN or +∞ and
// when every entry is −∞ (no mass to normalise).
func Softmax(z []float64) ([]float64, error) {
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
