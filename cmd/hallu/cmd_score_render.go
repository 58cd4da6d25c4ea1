package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/hallu-dev/hallu/report"
	"github.com/hallu-dev/hallu/score"
)

// renderScore prints the result of `hallu score` as text tables.
func renderScore(w io.Writer, res *scoreResult) error {
	var tables []report.Table
	in := report.Table{Title: "Inputs", Header: []string{"log", "format", "samples", "skipped", "graded by matching", "wrong→abstained"}}
	var notes []string
	for _, i := range res.Inputs {
		in.AddRow(i.Path, string(i.Format), i.Samples, i.Skipped, i.Matched, i.Reclassified)
		for _, n := range i.Notes {
			notes = append(notes, i.Path+": "+n)
		}
		for _, p := range i.Problems {
			notes = append(notes, "skipped: "+p)
		}
	}
	in.Notes = notes
	tables = append(tables, in)

	rt := report.Table{
		Title: "Scores under confidence targets (Section 4.2 of the paper: +1 correct, −t/(1−t) wrong, 0 abstained)",
		Header: []string{"model", "t", "penalty", "n", "correct", "wrong", "abstained", "invalid",
			"acc/n", "err/n", "abst/n", "inv/n", "acc/att", "F1", "score", "95% CI", "rank", "binary rank"},
	}
	anyInvalid := false
	for _, r := range res.Results {
		t := report.F(r.T)
		if r.RunTarget {
			t += " (run)"
		}
		bin := "-"
		if r.BinaryRank > 0 {
			bin = fmt.Sprintf("%d (%+d)", r.BinaryRank, r.RankChange)
		}
		rt.AddRow(r.Model, t, r.Penalty, r.N, r.Correct, r.Wrong, r.Abstained, r.Invalid,
			pct(r.Accuracy), pct(r.ErrorRate), pct(r.AbstentionRate), pct(r.InvalidRate),
			pct(r.AccuracyGivenAttempted), fmt.Sprintf("%.4f", r.F1), fmt.Sprintf("%.4f", r.Score),
			fmt.Sprintf("[%.4f, %.4f]", r.ScoreCI.Lo, r.ScoreCI.Hi), r.Rank, bin)
		anyInvalid = anyInvalid || r.Invalid > 0
	}
	rt.Notes = []string{
		"Rates /n are over all samples, invalid included; acc/att = correct/(correct+wrong); F1 is SimpleQA's.",
		"Abstained and invalid samples score 0. binary rank: rank at t = 0 (change to the rank at t).",
		"95% CI of the score: Wilson's interval of the accuracy at t = 0 (where the score is the accuracy); the normal interval clipped to the score's range [−t/(1−t), 1] at t > 0.",
	}
	if anyInvalid {
		rt.Notes = append(rt.Notes, "Invalid samples present: JSON score_invalid_as_wrong gives the score had each been wrong.")
	}
	tables = append(tables, rt)

	if len(res.Comparisons) > 0 {
		ct := report.Table{Title: "Paired bootstrap on shared questions (A − B points per question)",
			Header: []string{"t", "A", "B", "shared", "mean diff", "95% CI", "P(A better)"}}
		boot := false
		for _, c := range res.Comparisons {
			ci, better := "-", "-"
			if c.Replicates > 0 {
				boot = true
				ci, better = fmt.Sprintf("[%+.4f, %+.4f]", c.CI.Lo, c.CI.Hi), fmt.Sprintf("%.3f", c.PABetter)
			}
			ct.AddRow(c.T, c.A, c.B, c.Shared, fmt.Sprintf("%+.4f", c.MeanDiff), ci, better)
		}
		ct.Notes = []string{leaderboardLine(res.Results)}
		if !boot {
			ct.Title = "Mean difference on shared questions (A − B points per question)"
			ct.Notes = append(ct.Notes, "--bootstrap 0: no replicates drawn, so no interval and no P(A better).")
		}
		tables = append(tables, ct)
	}

	if len(res.Groups) > 0 {
		gt := report.Table{Title: "Calibration and selective prediction (answered samples with a confidence)",
			Header: []string{"model", "run t", "n conf", "ECE", "ECE mass", "MCE", "Brier", "NLL", "AURC",
				"sel.acc@cov", "policy best t", "best score"}}
		for _, g := range res.Groups {
			run := "-"
			if g.RunTarget != nil {
				run = report.F(*g.RunTarget)
			}
			c := g.Calibration
			gt.AddRow(g.Model, run, c.N, f4(c.ECE), f4(c.ECEEqualMass), f4(c.MCE), f4(c.Brier), f4(c.NLL),
				f4(g.Selective.AURC), fmt.Sprintf("%s@%g", pct(g.Selective.SelectiveAccuracy), g.Selective.Coverage),
				report.F(g.Policy.BestT), f4(g.Policy.BestScore))
		}
		tables = append(tables, gt)
		pt := report.Table{Title: "Policy \"answer iff confidence > t\" (over samples with a confidence)",
			Header: []string{"model", "t", "answer rate", "acc answered", "score", "best threshold", "its score"}}
		for _, g := range res.Groups {
			for _, p := range g.Policy.Points {
				if !slices.ContainsFunc(res.Results, func(r score.TargetResult) bool { return r.T == p.T && r.Model == g.Model }) {
					continue
				}
				pt.AddRow(g.Model, p.T, pct(p.AnswerRate), pct(p.AccuracyAnswered), f4(p.Score),
					report.F(p.BestThreshold), f4(p.BestThresholdScore))
			}
		}
		pt.Notes = []string{"For a calibrated model the best threshold is t itself (Section 4.2); --json has the full curve and reliability bins."}
		tables = append(tables, pt)
	}

	for _, b := range res.Behavioral {
		bt := report.Table{Title: "Behavioural calibration of " + b.Model + " (Section 4.2, behavioural calibration: accuracy among answers should be ≥ t)",
			Header: []string{"t", "n", "answer rate", "acc answered", "95% CI", "≥ t", "abstain|conf>t", "answer|conf≤t"}}
		for _, p := range b.Points {
			bt.AddRow(p.T, p.N, pct(p.AnswerRate), pct(p.AccuracyAnswered),
				fmt.Sprintf("[%s, %s]", pct(p.AccuracyAnsweredCI.Lo), pct(p.AccuracyAnsweredCI.Hi)),
				cmp.Or(map[bool]string{true: "yes"}[p.MeetsTarget], map[bool]string{true: "within CI"}[p.ConsistentWithTarget], "no"),
				pct(p.AbstainWhileConfident), pct(p.AnswerWhileUnconfident))
		}
		if !b.AnswerRateNonIncreasing {
			bt.Notes = []string{"The answer rate rises with t somewhere: not behaviourally calibrated."}
		}
		tables = append(tables, bt)
	}

	for i := range tables {
		if i > 0 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		if err := tables[i].Render(w); err != nil {
			return err
		}
	}
	return nil
}

// leaderboardLine summarises the order of the models at each t.
func leaderboardLine(rs []score.TargetResult) string {
	ts, byT := score.Leaderboards(rs)
	var parts []string
	for _, t := range ts {
		var names []string
		for _, r := range byT[t] {
			names = append(names, r.Model)
		}
		label := fmt.Sprintf("t=%g", t)
		if t == 0 {
			label = "binary"
		}
		parts = append(parts, label+": "+strings.Join(names, " > "))
	}
	return "Leaderboards — " + strings.Join(parts, "; ")
}

func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }
func f4(x float64) string  { return fmt.Sprintf("%.4f", x) }
