package score

import (
	"math"
	"slices"
)

// Calibration summarises how well stated confidences match accuracy over a
// set of predictions (answered samples with a confidence). N is the
// denominator of every quantity here.
type Calibration struct {
	N              int     `json:"n"`
	Bins           int     `json:"bins"`
	MeanConfidence float64 `json:"mean_confidence"`
	Accuracy       float64 `json:"accuracy"`
	// ECE is the expected calibration error with equal-width bins
	// (Naeini et al. 2015; Guo et al. 2017, eq. 3):
	//	ECE = Σ_b (n_b/N)·|acc_b − conf_b|.
	ECE float64 `json:"ece"`
	// ECEEqualMass is the same sum over equal-mass bins (Nixon et al.
	// 2019's adaptive binning): predictions sorted by confidence and cut
	// into Bins runs whose sizes differ by at most one; predictions of
	// equal confidence split by a cut share their accuracy pro rata.
	ECEEqualMass float64 `json:"ece_equal_mass"`
	// MCE is the maximum calibration error, max_b |acc_b − conf_b| over
	// non-empty equal-width bins (Naeini et al. 2015).
	MCE          float64 `json:"mce"`
	MCEEqualMass float64 `json:"mce_equal_mass"`
	// Brier is the mean of (confidence − 1[correct])² (Brier 1950).
	Brier float64 `json:"brier"`
	// NLL is the mean negative log-likelihood of the outcomes,
	// −mean(y·ln c + (1−y)·ln(1−c)), with c clipped to [ε, 1−ε], ε = 1e-15,
	// so that a confident miss costs ln(1/ε) ≈ 34.5 rather than infinity.
	// NLLClipped counts the predictions whose term the clip changed.
	NLL        float64 `json:"nll"`
	NLLClipped int     `json:"nll_clipped"`
	// Reliability is the reliability-diagram data for the equal-width
	// bins, empty bins included; ReliabilityEqualMass for equal-mass bins.
	Reliability          []Bin `json:"reliability"`
	ReliabilityEqualMass []Bin `json:"reliability_equal_mass"`
}

// A Bin is one bin of a reliability diagram. For an equal-width bin it
// holds the predictions whose confidence lies in [Lo, Hi) (the last bin
// includes 1); for an equal-mass bin Lo and Hi are the smallest and largest
// confidence it holds.
type Bin struct {
	Lo             float64 `json:"lo"`
	Hi             float64 `json:"hi"`
	N              int     `json:"n"`
	MeanConfidence float64 `json:"mean_confidence"`
	Accuracy       float64 `json:"accuracy"`
}

// nllEps is the probability clip of Calibration.NLL.
const nllEps = 1e-15

// Calibrate computes calibration metrics over p with the given number of
// bins (at least 1). With no predictions every metric is 0 and the bins are
// empty.
func Calibrate(p []Prediction, bins int) Calibration {
	if bins < 1 {
		panic("score: Calibrate needs bins ≥ 1")
	}
	p = sortedDesc(p)
	c := Calibration{N: len(p), Bins: bins}
	width := make([]Bin, bins)
	for i := range width {
		width[i].Lo = float64(i) / float64(bins)
		width[i].Hi = float64(i+1) / float64(bins)
	}
	if len(p) == 0 {
		c.Reliability = width
		c.ReliabilityEqualMass = []Bin{}
		return c
	}
	var sumConf, sumCorrect, brier, nll float64
	confSum := make([]float64, bins)
	corrSum := make([]float64, bins)
	for _, q := range p {
		y := 0.0
		if q.Correct {
			y = 1
		}
		sumConf += q.Confidence
		sumCorrect += y
		brier += (q.Confidence - y) * (q.Confidence - y)
		pr := q.Confidence
		if !q.Correct {
			pr = 1 - pr
		}
		if pr < nllEps {
			pr = nllEps
			c.NLLClipped++
		} else if pr > 1-nllEps {
			if pr != 1 {
				c.NLLClipped++
			}
			pr = 1 - nllEps
		}
		nll -= math.Log(pr)
		b := min(int(q.Confidence*float64(bins)), bins-1)
		width[b].N++
		confSum[b] += q.Confidence
		corrSum[b] += y
	}
	n := float64(len(p))
	c.MeanConfidence = sumConf / n
	c.Accuracy = sumCorrect / n
	c.Brier = brier / n
	c.NLL = nll / n
	for b := range width {
		if width[b].N > 0 {
			nb := float64(width[b].N)
			width[b].MeanConfidence = confSum[b] / nb
			width[b].Accuracy = corrSum[b] / nb
		}
	}
	c.Reliability = width
	c.ECE, c.MCE = calibrationError(width, len(p))

	// Equal-mass bins over the predictions in increasing confidence. A run
	// of equal confidences cut by a bin edge has no order, so each side
	// takes its pro-rata share of the run's correct answers (the
	// expectation over a random order within the run).
	type run struct {
		start, end int // in increasing-confidence positions
		correct    int
		conf       float64
	}
	var runs []run
	tieGroups(p, func(i, j int, conf float64, correct int) {
		runs = append(runs, run{len(p) - j, len(p) - i, correct, conf})
	})
	slices.Reverse(runs)
	mass := make([]Bin, 0, bins)
	r := 0
	for k := 0; k < bins; k++ {
		lo, hi := k*len(p)/bins, (k+1)*len(p)/bins
		if lo == hi {
			continue
		}
		b := Bin{N: hi - lo}
		for runs[r].end <= lo {
			r++
		}
		b.Lo = runs[r].conf
		var cs, ys float64
		for j := r; j < len(runs) && runs[j].start < hi; j++ {
			u := runs[j]
			overlap := float64(min(u.end, hi) - max(u.start, lo))
			cs += overlap * u.conf
			ys += overlap * float64(u.correct) / float64(u.end-u.start)
			b.Hi = u.conf
		}
		b.MeanConfidence = cs / float64(b.N)
		b.Accuracy = ys / float64(b.N)
		mass = append(mass, b)
	}
	c.ReliabilityEqualMass = mass
	c.ECEEqualMass, c.MCEEqualMass = calibrationError(mass, len(p))
	return c
}

// calibrationError returns Σ_b (n_b/n)|acc_b − conf_b| and max_b over
// non-empty bins of |acc_b − conf_b|.
func calibrationError(bins []Bin, n int) (ece, mce float64) {
	for _, b := range bins {
		if b.N == 0 {
			continue
		}
		gap := math.Abs(b.Accuracy - b.MeanConfidence)
		ece += float64(b.N) / float64(n) * gap
		mce = max(mce, gap)
	}
	return ece, mce
}
