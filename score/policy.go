package score

import "math"

// PolicyCurve is the score of the policy "answer iff confidence > t" played
// under target t, for t along a grid: the strategy Section 4.2 of arXiv:2509.04664 shows to be
// optimal for a calibrated model (answering with probability q of being
// right earns (q−t)/(1−t) in expectation, positive iff q > t).
//
// The denominator N counts every sample with a confidence: answered ones
// (the predictions) and Others, abstained or invalid samples with a
// confidence, which the policy leaves as they are and which score 0.
type PolicyCurve struct {
	N      int           `json:"n"`
	Points []PolicyPoint `json:"points"`
	// BestT is the grid target at which the policy's score is highest,
	// and BestScore that score.
	BestT     float64 `json:"best_t"`
	BestScore float64 `json:"best_score"`
}

// A PolicyPoint is the policy at one target t.
type PolicyPoint struct {
	T       float64 `json:"t"`
	Penalty float64 `json:"penalty"`
	// AnswerRate is the share of the N samples answered (confidence > t).
	AnswerRate float64 `json:"answer_rate"`
	// AccuracyAnswered is the accuracy among those answered (0 if none).
	AccuracyAnswered float64 `json:"accuracy_answered"`
	// Score is the mean points per sample of the policy under target t.
	Score float64 `json:"score"`
	// BestThreshold is the threshold τ for which "answer iff confidence >
	// τ" scores best under target t's penalty, BestThresholdScore its
	// score: for a calibrated model τ ≈ t. τ is in [0,1]: the confidence
	// of the most confident prediction left unanswered, or 0 when
	// answering all is best. A prediction of confidence 0 is answered by
	// no such τ, so the best threshold never answers it.
	BestThreshold      float64 `json:"best_threshold"`
	BestThresholdScore float64 `json:"best_threshold_score"`
}

// Policy scores the threshold policy over the predictions p plus others
// unanswered samples at each target in ts (each in [0,1)).
func Policy(p []Prediction, others int, ts []float64) PolicyCurve {
	p = sortedDesc(p)
	n := len(p) + others
	pc := PolicyCurve{N: n, Points: make([]PolicyPoint, 0, len(ts))}
	if n == 0 {
		return pc
	}
	// Prefix counts at tie-group ends: answering the first end[g]
	// predictions (all of confidence ≥ conf[g]) gives corr[g] right answers.
	type cut struct {
		end, corr int
		conf      float64
	}
	var cuts []cut
	corr := 0
	tieGroups(p, func(i, j int, conf float64, c int) {
		corr += c
		cuts = append(cuts, cut{j, corr, conf})
	})
	nf := float64(n)
	best := math.Inf(-1)
	for _, t := range ts {
		pen := Penalty(t)
		pt := PolicyPoint{T: t, Penalty: pen}
		// Answer iff confidence > t: the groups with conf > t.
		k, c := 0, 0
		for _, g := range cuts {
			if g.conf <= t {
				break
			}
			k, c = g.end, g.corr
		}
		pt.AnswerRate = float64(k) / nf
		if k > 0 {
			pt.AccuracyAnswered = float64(c) / float64(k)
		}
		pt.Score = (float64(c) - pen*float64(k-c)) / nf
		// Best cut under this penalty: answer nothing, or up to a group end
		// of positive confidence (a τ ≥ 0 answers none of confidence 0);
		// among equal scores the cut with fewer answers wins.
		bestVal, bestK := 0.0, 0
		for _, g := range cuts {
			if g.conf <= 0 {
				break
			}
			v := float64(g.corr) - pen*float64(g.end-g.corr)
			if v > bestVal {
				bestVal, bestK = v, g.end
			}
		}
		pt.BestThresholdScore = bestVal / nf
		switch {
		case bestK == len(p):
			pt.BestThreshold = 0
		default:
			pt.BestThreshold = p[bestK].Confidence
		}
		if pt.Score > best {
			best, pc.BestT, pc.BestScore = pt.Score, t, pt.Score
		}
		pc.Points = append(pc.Points, pt)
	}
	return pc
}

// Grid returns 0, step, 2·step, … below 1, merged with extra targets, sorted
// and without duplicates. step must be in (0,1).
func Grid(step float64, extra ...float64) []float64 {
	if !(step > 0 && step < 1) {
		panic("score: Grid step must be in (0,1)")
	}
	var ts []float64
	for i := 0; ; i++ {
		t := math.Round(float64(i)*step*1e12) / 1e12
		if t >= 1 {
			break
		}
		ts = append(ts, t)
	}
	return sortedTargets(append(ts, extra...))
}
