package score

// Behavioral is the behavioural-calibration audit of one model across the
// confidence targets it was run under (Section 4.2 of arXiv:2509.04664): a behaviourally
// calibrated model answers only when its chance of being right exceeds t, so
// its accuracy among answers should be at least t at every t, and it should
// answer less often as t rises.
type Behavioral struct {
	Model  string            `json:"model"`
	Points []BehavioralPoint `json:"points"`
	// AnswerRateNonIncreasing reports whether the answer rate never rises
	// from one target to the next.
	AnswerRateNonIncreasing bool `json:"answer_rate_non_increasing"`
}

// A BehavioralPoint is one model's behaviour under one target t.
type BehavioralPoint struct {
	T float64 `json:"t"`
	N int     `json:"n"`
	Counts
	// AnswerRate is attempted/N.
	AnswerRate float64 `json:"answer_rate"`
	// AccuracyAnswered is correct/attempted with its Wilson interval;
	// ErrorAnswered = 1 − AccuracyAnswered.
	AccuracyAnswered   float64  `json:"accuracy_answered"`
	AccuracyAnsweredCI Interval `json:"accuracy_answered_ci"`
	ErrorAnswered      float64  `json:"error_answered"`
	// MeetsTarget: AccuracyAnswered ≥ t. ConsistentWithTarget: the Wilson
	// interval reaches t, so the data do not contradict calibration.
	MeetsTarget          bool `json:"meets_target"`
	ConsistentWithTarget bool `json:"consistent_with_target"`
	// With confidences (NConfident + NUnconfident samples, split at t):
	// AbstainWhileConfident is the share of the samples with confidence
	// > t that abstained; AnswerWhileUnconfident the share of those with
	// confidence ≤ t that answered. Both are 0 when their denominator is.
	NConfident             int     `json:"n_confident"`
	NUnconfident           int     `json:"n_unconfident"`
	AbstainWhileConfident  float64 `json:"abstain_while_confident"`
	AnswerWhileUnconfident float64 `json:"answer_while_unconfident"`
}

// behavioral audits the targeted groups of one model, sorted by target.
func behavioral(model string, gs []*group, z float64) Behavioral {
	b := Behavioral{Model: model, AnswerRateNonIncreasing: true}
	for i, g := range gs {
		t := g.key.target
		c := g.counts
		pt := BehavioralPoint{T: t, N: c.N(), Counts: c}
		pt.AnswerRate = rate(c.Attempted(), c.N())
		pt.AccuracyAnswered = rate(c.Correct, c.Attempted())
		pt.AccuracyAnsweredCI = Wilson(c.Correct, c.Attempted(), z)
		if c.Attempted() > 0 {
			pt.ErrorAnswered = 1 - pt.AccuracyAnswered
		}
		pt.MeetsTarget = c.Attempted() > 0 && pt.AccuracyAnswered >= t
		pt.ConsistentWithTarget = pt.AccuracyAnsweredCI.Hi >= t
		var absConf, ansUnconf int
		for _, r := range g.recs {
			if !r.hasConf {
				continue
			}
			if r.conf > t {
				pt.NConfident++
				if r.outcome == Abstained {
					absConf++
				}
			} else {
				pt.NUnconfident++
				if r.outcome.Attempted() {
					ansUnconf++
				}
			}
		}
		pt.AbstainWhileConfident = rate(absConf, pt.NConfident)
		pt.AnswerWhileUnconfident = rate(ansUnconf, pt.NUnconfident)
		if i > 0 && pt.AnswerRate > b.Points[i-1].AnswerRate {
			b.AnswerRateNonIncreasing = false
		}
		b.Points = append(b.Points, pt)
	}
	return b
}
