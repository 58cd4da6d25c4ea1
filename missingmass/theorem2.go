package missingmass

import (
	"errors"
	"fmt"
	"math"
)

// Theorem2 holds the quantities Theorem 2 (Arbitrary Facts; Theorem 2 of arXiv:2509.04664,
// Appendix B of the paper) is stated in. Its methods return the theorem's
// bounds on the generative error rate err = p̂(E) as they are written, without
// clipping to [0, 1]: a lower bound ≤ 0 or an upper bound ≥ 1 is vacuous, and
// callers that display it should say so.
type Theorem2 struct {
	N     int64   // training examples, abstentions (IDK) included (Definition 2)
	SR    float64 // singleton rate sr (Definition 2); see SingletonRate
	MinE  int64   // min_c |E_c|, the fewest erroneous responses of any prompt (|R_c| − 1 in Definition 1)
	MaxE  int64   // L = max_c |E_c|, the most erroneous responses of any prompt
	Delta float64 // δ of Theorem 1 at the threshold 1/min_c |E_c|; 0 for a calibrated model
}

// Validate reports whether t is a setting in which Theorem 2 applies:
// N ≥ 1, 0 ≤ SR ≤ 1, 1 ≤ MinE ≤ MaxE and 0 ≤ Delta ≤ 1.
func (t Theorem2) Validate() error {
	var errs []error
	if t.N < 1 {
		errs = append(errs, fmt.Errorf("N = %d: need at least one training example", t.N))
	}
	if !(t.SR >= 0 && t.SR <= 1) {
		errs = append(errs, fmt.Errorf("singleton rate %v outside [0, 1]", t.SR))
	}
	if t.MinE < 1 {
		errs = append(errs, fmt.Errorf("min |E_c| = %d: every prompt needs at least one erroneous response", t.MinE))
	}
	if t.MaxE < t.MinE {
		errs = append(errs, fmt.Errorf("max |E_c| = %d below min |E_c| = %d", t.MaxE, t.MinE))
	}
	if !(t.Delta >= 0 && t.Delta <= 1) {
		errs = append(errs, fmt.Errorf("δ = %v outside [0, 1]", t.Delta))
	}
	return errors.Join(errs...)
}

// Lower returns Theorem 2's general-γ lower bound (arXiv:2509.04664, proved via
// Lemma 2 in Appendix B): with probability at least 1 − γ over the facts and the N
// samples, every algorithm's output p̂ has
//
//	err ≥ sr − 2/min_c|E_c| − 6·ln(3N/γ)/√N − δ.
//
// γ must lie in (0, 1]; t must satisfy Validate.
func (t Theorem2) Lower(gamma float64) float64 {
	n := float64(t.N)
	return t.SR - 2/float64(t.MinE) - 6*math.Log(3*n/gamma)/math.Sqrt(n) - t.Delta
}

// Lower99 returns Theorem 2's lower bound as printed in the paper, holding
// with probability at least 99% (Theorem 2 of arXiv:2509.04664):
//
//	err ≥ sr − 2/min_c|E_c| − (35 + 6·ln N)/√N − δ.
//
// It is Lower(0.01) loosened by 6·ln 300 = 34.22… ≤ 35, so Lower99() ≤ Lower(0.01).
func (t Theorem2) Lower99() float64 {
	n := float64(t.N)
	return t.SR - 2/float64(t.MinE) - (35+6*math.Log(n))/math.Sqrt(n) - t.Delta
}

// Upper returns Theorem 2's general-γ upper bound (arXiv:2509.04664 and the
// algorithm of Appendix B): the calibrated (δ = 0) algorithm that memorises every
// answered prompt and answers unseen ones uniformly at random over R_c has,
// with probability at least 1 − γ,
//
//	err ≤ sr − sr/(L+1) + 5·sqrt(ln(5/γ)/N),  L = max_c|E_c|.
//
// The constant 5 is Lemma 1's 4.42 loosened, as in the proof of Appendix B
// of arXiv:2509.04664. MinE and Delta do not enter. γ must lie in (0, 1].
func (t Theorem2) Upper(gamma float64) float64 {
	return t.SR - t.SR/float64(t.MaxE+1) + 5*math.Sqrt(math.Log(5/gamma)/float64(t.N))
}

// Upper99 returns Theorem 2's upper bound as printed in the paper, holding
// with probability at least 99% (Theorem 2 of arXiv:2509.04664):
//
//	err ≤ sr − sr/(L+1) + 13/√N.
//
// It is Upper(0.01) loosened by 5·sqrt(ln 500) = 12.46… ≤ 13.
func (t Theorem2) Upper99() float64 {
	return t.SR - t.SR/float64(t.MaxE+1) + 13/math.Sqrt(float64(t.N))
}

// Lemma1Radius returns the half-width of Lemma 1's interval (Appendix B of arXiv:2509.04664):
// for all N ≥ 1 and γ ∈ (0, 1], with probability at least 1 − γ the
// abstention-aware missing mass MM (Section 3.3.1) satisfies
//
//	|MM − sr| ≤ 4.42·sqrt(ln(5/γ)/N).
func Lemma1Radius(n int64, gamma float64) float64 {
	return 4.42 * math.Sqrt(math.Log(5/gamma)/float64(n))
}

// KalaiVempalaLower returns the lower bound on the hallucination rate of a
// calibrated model from Kalai & Vempala, "Calibrated Language Models Must
// Hallucinate" (STOC 2024), in the formal form reconstructed in Kalai & Vempala 2024 (arXiv:2311.14648)
// from secondary sources [S] (the paper's exact definitions of "regular" and
// "s-sparse" are unconfirmed): with probability at least 1 − γ over n
// training documents,
//
//	g(H) ≥ MF − Mis − 3·e^{−s}/γ − sqrt(6·ln(6/γ)/n),
//
// where monofact is the monofact rate MF (the fraction of the n examples
// whose fact occurs exactly once), miscal is the miscalibration Mis_b(g, p)
// and factRatio is e^{−s}, read as |facts| / |possible hallucinations|.
// At γ = 0.01 this is at least the intro's form
// MF − Mis − 300·factRatio − 7/√n, since sqrt(6·ln 600) = 6.195… ≤ 7.
func KalaiVempalaLower(n int64, monofact, miscal, factRatio, gamma float64) float64 {
	return monofact - miscal - 3*factRatio/gamma - math.Sqrt(6*math.Log(6/gamma)/float64(n))
}
