package missingmass

import (
	"fmt"
	"math"
)

// Floor is everything Theorem 2 and its neighbours say about a corpus of N
// examples with singleton rate sr, at confidence 1 − γ: the lower bound on
// any model's error, the calibrated algorithm's upper bound, Lemma 1's
// interval for the missing mass, and the Kalai–Vempala (2024) bound as
// Kalai & Vempala 2024 (arXiv:2311.14648) reconstructs it. It is the result of hallu floor.
type Floor struct {
	Theorem2 `json:"-"` // the inputs; hallu floor records them as parameters
	Gamma    float64    `json:"gamma"`

	Lower   float64 `json:"lower_bound"`    // Theorem2.Lower(γ)
	Lower99 float64 `json:"lower_bound_99"` // Theorem2.Lower99
	Upper   float64 `json:"upper_bound"`    // Theorem2.Upper(γ)
	Upper99 float64 `json:"upper_bound_99"` // Theorem2.Upper99
	MMLow   float64 `json:"mm_low"`         // sr − Lemma1Radius, clipped to [0, 1]
	MMHigh  float64 `json:"mm_high"`        // sr + Lemma1Radius, clipped to [0, 1]

	// The terms Lower subtracts from sr, and the largest of them.
	TermPlausible float64 `json:"term_plausible"` // 2/min|E_c| = max|V_c|/min|E_c| with V_c = {a_c, IDK}
	TermSample    float64 `json:"term_sample"`    // 6·ln(3N/γ)/√N
	TermDelta     float64 `json:"term_delta"`     // δ
	Dominant      string  `json:"dominant_term"`  // "plausible", "sample" or "delta"
	// NWithinPoint is the smallest N at which Lower comes within 0.01 of sr
	// (with min|E_c|, δ and γ unchanged), or 0 if no N does because
	// 2/min|E_c| + δ ≥ 0.01 already.
	NWithinPoint int64 `json:"n_within_one_point"`

	// KV is Kalai & Vempala's bound, KalaiVempalaLower(N, sr, KVMis,
	// KVFactRatio, γ), a reconstruction from secondary sources.
	KV          float64 `json:"kv_bound"`
	KVMis       float64 `json:"kv_miscalibration"`
	KVFactRatio float64 `json:"kv_fact_ratio"`
}

// NewFloor computes the Floor of t at confidence 1 − γ, γ ∈ (0, 1]. For the
// Kalai–Vempala bound, kvMis is the model's miscalibration and kvFactRatio
// is e^{−s}, read as |facts|/|possible hallucinations|; the monofact rate is
// taken to be sr (they coincide when there are no abstentions).
func NewFloor(t Theorem2, gamma, kvMis, kvFactRatio float64) (Floor, error) {
	if err := t.Validate(); err != nil {
		return Floor{}, err
	}
	if !(gamma > 0 && gamma <= 1) {
		return Floor{}, fmt.Errorf("γ = %v outside (0, 1]", gamma)
	}
	if !(kvMis >= 0 && kvMis <= 1) || !(kvFactRatio >= 0 && kvFactRatio <= 1) {
		return Floor{}, fmt.Errorf("Kalai–Vempala miscalibration %v and fact ratio %v must lie in [0, 1]", kvMis, kvFactRatio)
	}
	f := Floor{
		Theorem2: t, Gamma: gamma,
		Lower: t.Lower(gamma), Lower99: t.Lower99(),
		Upper: t.Upper(gamma), Upper99: t.Upper99(),
		TermPlausible: 2 / float64(t.MinE),
		TermSample:    sampleTerm(float64(t.N), gamma),
		TermDelta:     t.Delta,
		KV:            KalaiVempalaLower(t.N, t.SR, kvMis, kvFactRatio, gamma),
		KVMis:         kvMis, KVFactRatio: kvFactRatio,
	}
	r := Lemma1Radius(t.N, gamma)
	f.MMLow, f.MMHigh = math.Max(0, t.SR-r), math.Min(1, t.SR+r)
	f.Dominant = "plausible"
	if f.TermSample > f.TermPlausible && f.TermSample >= f.TermDelta {
		f.Dominant = "sample"
	} else if f.TermDelta > f.TermPlausible {
		f.Dominant = "delta"
	}
	f.NWithinPoint = nWithin(0.01-f.TermPlausible-f.TermDelta, gamma)
	return f, nil
}

// sampleTerm is Theorem 2's finite-sample term 6·ln(3N/γ)/√N.
func sampleTerm(n, gamma float64) float64 { return 6 * math.Log(3*n/gamma) / math.Sqrt(n) }

// nWithin returns the smallest N ≥ 1 with sampleTerm(m, γ) ≤ room for every
// m ≥ N, or 0 if room ≤ 0. The term rises until ln(3N/γ) = 2 and falls
// after, so the answer lies past that peak and is found by bisection.
func nWithin(room, gamma float64) int64 {
	if room <= 0 {
		return 0
	}
	lo := math.Max(1, math.Exp(2)*gamma/3) // the peak: the term falls beyond it
	if sampleTerm(lo, gamma) <= room {
		return int64(math.Ceil(lo))
	}
	hi := lo
	for sampleTerm(hi, gamma) > room {
		hi *= 2
	}
	for hi-lo > 1 {
		mid := math.Floor((lo + hi) / 2)
		if sampleTerm(mid, gamma) <= room {
			hi = mid
		} else {
			lo = mid
		}
	}
	return int64(hi)
}
