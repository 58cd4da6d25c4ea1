package facts

import (
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Stat summarises one figure over the runs: its mean, extremes and the 5%,
// 50% and 95% quantiles (linear interpolation between order statistics).
type Stat struct {
	Mean, Min, Q05, Median, Q95, Max float64
}

func newStat(x []float64) Stat {
	slices.Sort(x)
	return Stat{
		Mean:   stat.Mean(x, nil),
		Min:    x[0],
		Q05:    stat.Quantile(0.05, stat.LinInterp, x, nil),
		Median: stat.Quantile(0.5, stat.LinInterp, x, nil),
		Q95:    stat.Quantile(0.95, stat.LinInterp, x, nil),
		Max:    x[len(x)-1],
	}
}

// Rates gives, per bound, a fraction of runs or a probability.
type Rates struct {
	Thm1, Thm2Lower, Thm2Lower99, Thm2Upper, Thm2Upper99, Lemma1 float64
}

// Summary is one learner's figures over the runs at one point.
type Summary struct {
	Learner                                                   Learner
	Runs                                                      int
	SR, MM, Err, Delta, DeltaMaxZ, ErrIIV, Abstention         Stat
	Thm1Bound, Thm2Lower, Thm2Lower99, Thm2Upper, Thm2Upper99 Stat
	// Held is the fraction of runs in which each bound held.
	Held Rates
	// Promised is the probability with which the paper promises each bound:
	// 1 for Theorem 1, 1 − γ for the general-γ forms and Lemma 1, 0.99 for
	// the printed forms, and 0 where it promises nothing (Theorem 2's upper
	// bound for any learner but Calibrated).
	Promised Rates
}

// summarize returns one Summary per learner over runs.
func summarize(runs []RunResult, cfg *Config) []Summary {
	out := make([]Summary, len(cfg.Learners))
	x := make([]float64, len(runs))
	stat := func(f func(r *RunResult, l *LearnerResult) float64, li int) Stat {
		for i := range runs {
			x[i] = f(&runs[i], &runs[i].Learners[li])
		}
		return newStat(x)
	}
	frac := func(f func(h Held) bool, li int) float64 {
		n := 0
		for i := range runs {
			if f(runs[i].Learners[li].Held) {
				n++
			}
		}
		return float64(n) / float64(len(runs))
	}
	for li, l := range cfg.Learners {
		s := Summary{Learner: l, Runs: len(runs)}
		s.SR = stat(func(r *RunResult, _ *LearnerResult) float64 { return r.SR }, li)
		s.MM = stat(func(r *RunResult, _ *LearnerResult) float64 { return r.MM }, li)
		s.Err = stat(func(_ *RunResult, q *LearnerResult) float64 { return q.Err }, li)
		s.Delta = stat(func(_ *RunResult, q *LearnerResult) float64 { return q.Delta }, li)
		s.DeltaMaxZ = stat(func(_ *RunResult, q *LearnerResult) float64 { return q.DeltaMaxZ }, li)
		s.ErrIIV = stat(func(_ *RunResult, q *LearnerResult) float64 { return q.ErrIIV }, li)
		s.Abstention = stat(func(_ *RunResult, q *LearnerResult) float64 { return q.Abstention }, li)
		s.Thm1Bound = stat(func(_ *RunResult, q *LearnerResult) float64 { return q.Thm1Bound }, li)
		s.Thm2Lower = stat(func(_ *RunResult, q *LearnerResult) float64 { return q.Thm2Lower }, li)
		s.Thm2Lower99 = stat(func(_ *RunResult, q *LearnerResult) float64 { return q.Thm2Lower99 }, li)
		s.Thm2Upper = stat(func(_ *RunResult, q *LearnerResult) float64 { return q.Thm2Upper }, li)
		s.Thm2Upper99 = stat(func(_ *RunResult, q *LearnerResult) float64 { return q.Thm2Upper99 }, li)
		s.Held = Rates{
			Thm1:        frac(func(h Held) bool { return h.Thm1 }, li),
			Thm2Lower:   frac(func(h Held) bool { return h.Thm2Lower }, li),
			Thm2Lower99: frac(func(h Held) bool { return h.Thm2Lower99 }, li),
			Thm2Upper:   frac(func(h Held) bool { return h.Thm2Upper }, li),
			Thm2Upper99: frac(func(h Held) bool { return h.Thm2Upper99 }, li),
			Lemma1:      frac(func(h Held) bool { return h.Lemma1 }, li),
		}
		s.Promised = Rates{Thm1: 1, Thm2Lower: 1 - cfg.Gamma, Thm2Lower99: 0.99, Lemma1: 1 - cfg.Gamma}
		if l.Kind == Calibrated {
			s.Promised.Thm2Upper, s.Promised.Thm2Upper99 = 1-cfg.Gamma, 0.99
		}
		out[li] = s
	}
	return out
}
