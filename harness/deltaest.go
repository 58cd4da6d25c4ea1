package harness

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/hallu-dev/hallu/score"
)

// A DeltaObservation is what one question contributed to the estimate of
// δ: the model's log-probability of the question's reference answer, and
// of each answer it sampled itself. Log-probabilities are natural logs of
// q(r|c), the probability of the answer's tokens after the prompt (see
// MeasureDelta for why without an end-of-answer event).
type DeltaObservation struct {
	ID        string    `json:"id"`
	Reference float64   `json:"reference_logprob"`
	Samples   []float64 `json:"sample_logprobs"`
	Empty     int       `json:"empty_samples"`     // samples with no text, left out of Samples
	Truncated int       `json:"truncated_samples"` // samples cut by max_tokens (kept)
}

// Proportion is an estimated probability with its interval.
type Proportion struct {
	Estimate float64        `json:"estimate"`
	Above    int            `json:"above"` // observations above the threshold
	Of       int            `json:"of"`    // observations
	CI       score.Interval `json:"ci"`
	Method   string         `json:"ci_method"`
}

// DeltaEstimate is Section 3.1 of arXiv:2509.04664's calibration term at one threshold,
// estimated from a live model, with prompts as in Theorem 1 (μ uniform over the
// questions):
//
//	A      = {(c, r) : q(r|c) > τ},  τ = 1/|E| (Corollary 1) or 1/min_c|E_c| (Theorem 1)
//	p̂(A)  = E_c[ Pr_{r∼p̂(·|c)}[q(r|c) > τ] ]   from the model's own samples
//	p(A)   = E_c[ 1{q(gold_c|c) > τ} ]          from the reference answers
//	δ      = |p̂(A) − p(A)|
//
// p̂(A) − p(A) is also the derivative at s = 1 of the cross-entropy of
// the rescaled model (Section 3.1, Eq. (3) of arXiv:2509.04664): its sign says which way rescaling
// the mass above τ would lower the loss.
type DeltaEstimate struct {
	Threshold  float64    `json:"threshold"`
	Questions  int        `json:"questions"`
	ModelMass  Proportion `json:"model_mass"` // p̂(A)
	DataMass   Proportion `json:"data_mass"`  // p(A)
	Delta      float64    `json:"delta"`
	Derivative float64    `json:"derivative"` // p̂(A) − p(A)
	// DeltaCI is the percentile interval of δ over bootstrap resamples of
	// the questions.
	DeltaCI   score.Interval `json:"delta_ci"`
	Bootstrap int            `json:"bootstrap"`
	Seed      uint64         `json:"seed"`
	Empty     int            `json:"empty_samples"`
	Truncated int            `json:"truncated_samples"`
}

// EstimateDelta estimates δ at threshold τ (0 < τ < 1) from obs. p(A)
// has a Wilson interval (one reference per question); p̂(A), the mean
// over questions of the fraction of their samples above τ, and δ have
// percentile intervals over reps bootstrap resamples of the questions
// (seeded PCG), which respect that samples of one question are not
// independent of its prompt; with reps ≤ 0, p̂(A) gets a Wilson interval
// over the pooled samples and δ none. z sets the level (score.DefaultZ: 95%).
// Questions without a non-empty sample are left out of p̂(A).
func EstimateDelta(obs []DeltaObservation, tau float64, z float64, reps int, seed uint64) (DeltaEstimate, error) {
	if !(tau > 0 && tau < 1) {
		return DeltaEstimate{}, errors.New("threshold must be in (0,1)")
	}
	if len(obs) == 0 {
		return DeltaEstimate{}, errors.New("no observations")
	}
	logTau := math.Log(tau)
	n := len(obs)
	refAbove := make([]float64, n) // 1 if the reference is above τ
	fraction := make([]float64, n) // fraction of the question's samples above τ; NaN if none
	est := DeltaEstimate{Threshold: tau, Questions: n, Bootstrap: reps, Seed: seed}
	sampled := 0
	for i, o := range obs {
		if o.Reference > logTau {
			refAbove[i] = 1
			est.DataMass.Above++
		}
		est.Empty += o.Empty
		est.Truncated += o.Truncated
		fraction[i] = math.NaN()
		if len(o.Samples) == 0 {
			continue
		}
		k := 0
		for _, lp := range o.Samples {
			if lp > logTau {
				k++
			}
		}
		fraction[i] = float64(k) / float64(len(o.Samples))
		est.ModelMass.Above += k
		est.ModelMass.Of += len(o.Samples)
		sampled++
	}
	if sampled == 0 {
		return DeltaEstimate{}, errors.New("no question has a non-empty sample")
	}
	est.DataMass.Of = n
	est.DataMass.Estimate = float64(est.DataMass.Above) / float64(n)
	est.DataMass.CI = score.Wilson(est.DataMass.Above, n, z)
	est.DataMass.Method = "wilson"
	est.ModelMass.Estimate = nanMean(fraction, nil)
	est.Derivative = est.ModelMass.Estimate - est.DataMass.Estimate
	est.Delta = math.Abs(est.Derivative)

	est.ModelMass.CI = score.Wilson(est.ModelMass.Above, est.ModelMass.Of, z)
	est.ModelMass.Method = "wilson (samples pooled)"
	if reps > 0 {
		rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		idx := make([]int, n)
		model := make([]float64, 0, reps)
		delta := make([]float64, 0, reps)
		for range reps {
			for j := range idx {
				idx[j] = rng.IntN(n)
			}
			m := nanMean(fraction, idx)
			if math.IsNaN(m) {
				continue // a resample without sampled questions
			}
			d := 0.0
			for _, j := range idx {
				d += refAbove[j]
			}
			model = append(model, m)
			delta = append(delta, math.Abs(m-d/float64(n)))
		}
		alpha := 2 * (1 - normalCDF(z))
		est.ModelMass.CI = percentile(model, alpha)
		est.ModelMass.Method = "bootstrap"
		est.DeltaCI = percentile(delta, alpha)
	}
	return est, nil
}

// nanMean is the mean of x[i] over idx (all of x when idx is nil),
// skipping NaNs; NaN when every value is NaN.
func nanMean(x []float64, idx []int) float64 {
	sum, n := 0.0, 0
	add := func(v float64) {
		if !math.IsNaN(v) {
			sum += v
			n++
		}
	}
	if idx == nil {
		for _, v := range x {
			add(v)
		}
	} else {
		for _, j := range idx {
			add(x[j])
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// percentile returns the [α/2, 1−α/2] percentile interval of x, by the
// nearest-rank rule; [0, 1], the trivial interval of a probability, for
// no values.
func percentile(x []float64, alpha float64) score.Interval {
	if len(x) == 0 {
		return score.Interval{Lo: 0, Hi: 1}
	}
	x = slices.Clone(x)
	slices.Sort(x)
	rank := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(x)))) - 1
		return x[min(max(i, 0), len(x)-1)]
	}
	return score.Interval{Lo: rank(alpha / 2), Hi: rank(1 - alpha/2)}
}

func normalCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }
