package demo

import (
	"context"
	"math"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/rescore"
	"github.com/hallu-dev/hallu/score"
)

// runScore reads the embedded lm-eval log, grading as `hallu score` does,
// into two leaderboard entries: the model's answers as logged (Model), and
// the same answers with IDK in place of every one whose confidence is at
// most AbstainAbove (Cautious), which keeps no confidence. It scores both
// at Targets (Section 4.2 of arXiv:2509.04664) and finds where their scores cross.
func runScore(ctx context.Context, res *Result, _ int) error {
	r, err := rescore.NewReader(rescore.Options{Format: evallog.LMEval, Model: Model, Open: open})
	if err != nil {
		return err
	}
	var d score.Dataset
	_, _, err = r.Read(ctx, OutputsFile, nil, func(s *score.Sample) error {
		if err := d.Add(s); err != nil {
			return err
		}
		c := *s
		c.Model, c.Confidence = Cautious(), nil
		if s.Outcome.Attempted() && s.Confidence != nil && *s.Confidence <= AbstainAbove {
			c.Outcome, c.Reason = score.Abstained, "demo: confidence at most the cautious entry's threshold"
		}
		return d.Add(&c)
	})
	if err != nil {
		return err
	}
	rep, err := rescore.Evaluate(&d, score.Config{Targets: Targets, Seed: Seed})
	if err != nil {
		return err
	}
	res.Score = rep
	res.Flip = crossing(rep.Results, Model, Cautious())
	return nil
}

// crossing returns the confidence target t at which models a and b score
// the same, NaN if none in [0, 1) does. A score (correct − k·wrong)/n is
// linear in the penalty k = t/(1−t), so the crossing is at
// k* = (Δcorrect/n)/(Δwrong/n) and t = k*/(1 + k*).
func crossing(rs []score.TargetResult, a, b string) float64 {
	var ra, rb *score.TargetResult
	for i := range rs {
		switch r := &rs[i]; {
		case r.T == 0 && r.Model == a:
			ra = r
		case r.T == 0 && r.Model == b:
			rb = r
		}
	}
	if ra == nil || rb == nil {
		return math.NaN()
	}
	dc := ra.Accuracy - rb.Accuracy
	dw := ra.ErrorRate - rb.ErrorRate
	if dw == 0 || dc/dw < 0 {
		return math.NaN()
	}
	k := dc / dw
	return k / (1 + k)
}
