package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/hallu-dev/hallu/score"
)

// scoreCurveTs is the grid of confidence targets of the score-against-t
// chart: t ∈ [0, 0.9], where the penalty t/(1−t) reaches 9.
var scoreCurveTs = func() []float64 {
	var ts []float64
	for i := 0; i <= 90; i++ {
		ts = append(ts, float64(i)/100)
	}
	return ts
}()

// ScoreInput is what `hallu score` says about one log it read.
type ScoreInput struct {
	Path    string
	Format  string
	Samples int
	Skipped int
	// Matched counts samples graded by matching, Reclassified samples the
	// log graded wrong that the abstention detector counts as abstained.
	Matched, Reclassified int
	// Notes say what the reader decided on the user's behalf; Problems
	// are the first errors of the records skipped.
	Notes, Problems []string
}

// scoreTables are the tables of a score report, text and HTML alike.
type scoreTables struct {
	inputs      *Table // nil when no input is described
	scores      Table
	comparisons *Table  // nil without comparisons
	calibration []Table // the calibration and policy tables, when any sample has a confidence
	behavioural []Table // one per model run under stated targets
}

// all lists the tables in the order of the text.
func (t scoreTables) all() []Table {
	var out []Table
	if t.inputs != nil {
		out = append(out, *t.inputs)
	}
	out = append(out, t.scores)
	if t.comparisons != nil {
		out = append(out, *t.comparisons)
	}
	out = append(out, t.calibration...)
	return append(out, t.behavioural...)
}

// newScoreTables builds the tables of a score.Report (Section 4.2 of
// arXiv:2509.04664) and of the inputs it was read from.
func newScoreTables(inputs []ScoreInput, rep *score.Report) scoreTables {
	var st scoreTables
	if len(inputs) > 0 {
		in := Table{Title: "Inputs", Header: []string{"log", "format", "samples", "skipped", "graded by matching", "wrong→abstained"}}
		for _, i := range inputs {
			in.AddRow(i.Path, i.Format, i.Samples, i.Skipped, i.Matched, i.Reclassified)
			for _, n := range i.Notes {
				in.Notes = append(in.Notes, i.Path+": "+n)
			}
			for _, p := range i.Problems {
				in.Notes = append(in.Notes, "skipped: "+p)
			}
		}
		st.inputs = &in
	}

	rt := Table{
		Title: "Scores under confidence targets (Section 4.2 of the paper: +1 correct, −t/(1−t) wrong, 0 abstained)",
		Header: []string{"model", "t", "penalty", "n", "correct", "wrong", "abstained", "invalid",
			"acc/n", "err/n", "abst/n", "inv/n", "acc/att", "F1", "score", "95% CI", "rank", "binary rank"},
	}
	anyInvalid := false
	for _, r := range rep.Results {
		t := F(r.T)
		if r.RunTarget {
			t += " (run)"
		}
		bin := "-"
		if r.BinaryRank > 0 {
			bin = fmt.Sprintf("%d (%+d)", r.BinaryRank, r.RankChange)
		}
		rt.AddRow(r.Model, t, r.Penalty, r.N, r.Correct, r.Wrong, r.Abstained, r.Invalid,
			percent(r.Accuracy), percent(r.ErrorRate), percent(r.AbstentionRate), percent(r.InvalidRate),
			percent(r.AccuracyGivenAttempted), f4(r.F1), f4(r.Score),
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
	st.scores = rt

	if len(rep.Comparisons) > 0 {
		ct := Table{Title: "Paired bootstrap on shared questions (A − B points per question)",
			Header: []string{"t", "A", "B", "shared", "mean diff", "95% CI", "P(A better)"}}
		boot := false
		for _, c := range rep.Comparisons {
			ci, better := "-", "-" // no resamples (--bootstrap 0): nothing to show
			if c.Replicates > 0 {
				boot = true
				ci, better = fmt.Sprintf("[%+.4f, %+.4f]", c.CI.Lo, c.CI.Hi), fmt.Sprintf("%.3f", c.PABetter)
			}
			ct.AddRow(c.T, c.A, c.B, c.Shared, fmt.Sprintf("%+.4f", c.MeanDiff), ci, better)
		}
		ct.Notes = []string{leaderboardLine(rep.Results)}
		if !boot {
			ct.Title = "Mean difference on shared questions (A − B points per question)"
			ct.Notes = append(ct.Notes, "--bootstrap 0: no replicates drawn, so no interval and no P(A better).")
		}
		st.comparisons = &ct
	}

	if len(rep.Groups) > 0 {
		gt := Table{Title: "Calibration and selective prediction (answered samples with a confidence)",
			Header: []string{"model", "run t", "n conf", "ECE", "ECE mass", "MCE", "Brier", "NLL", "AURC",
				"sel.acc@cov", "policy best t", "best score"}}
		for _, g := range rep.Groups {
			run := "-"
			if g.RunTarget != nil {
				run = F(*g.RunTarget)
			}
			c := g.Calibration
			gt.AddRow(g.Model, run, c.N, f4(c.ECE), f4(c.ECEEqualMass), f4(c.MCE), f4(c.Brier), f4(c.NLL),
				f4(g.Selective.AURC), fmt.Sprintf("%s@%g", percent(g.Selective.SelectiveAccuracy), g.Selective.Coverage),
				F(g.Policy.BestT), f4(g.Policy.BestScore))
		}
		pt := Table{Title: "Policy \"answer iff confidence > t\" (over samples with a confidence)",
			Header: []string{"model", "t", "answer rate", "acc answered", "score", "best threshold", "its score"}}
		for _, g := range rep.Groups {
			for _, p := range g.Policy.Points {
				if !slices.ContainsFunc(rep.Results, func(r score.TargetResult) bool { return r.T == p.T && r.Model == g.Model }) {
					continue
				}
				pt.AddRow(g.Model, p.T, percent(p.AnswerRate), percent(p.AccuracyAnswered), f4(p.Score),
					F(p.BestThreshold), f4(p.BestThresholdScore))
			}
		}
		pt.Notes = []string{"For a calibrated model the best threshold is t itself (Section 4.2); --json has the full curve and reliability bins."}
		st.calibration = []Table{gt, pt}
	}

	for _, b := range rep.Behavioral {
		bt := Table{Title: "Behavioural calibration of " + b.Model + " (Section 4.2, behavioural calibration: accuracy among answers should be ≥ t)",
			Header: []string{"t", "n", "answer rate", "acc answered", "95% CI", "≥ t", "abstain|conf>t", "answer|conf≤t"}}
		for _, p := range b.Points {
			meets := "no"
			switch {
			case p.MeetsTarget:
				meets = "yes"
			case p.ConsistentWithTarget:
				meets = "within CI"
			}
			bt.AddRow(p.T, p.N, percent(p.AnswerRate), percent(p.AccuracyAnswered),
				fmt.Sprintf("[%s, %s]", percent(p.AccuracyAnsweredCI.Lo), percent(p.AccuracyAnsweredCI.Hi)),
				meets, percent(p.AbstainWhileConfident), percent(p.AnswerWhileUnconfident))
		}
		if !b.AnswerRateNonIncreasing {
			bt.Notes = []string{"The answer rate rises with t somewhere: not behaviourally calibrated."}
		}
		st.behavioural = append(st.behavioural, bt)
	}
	return st
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

// WriteScoreText writes the tables of a score report (Section 4.2 of
// arXiv:2509.04664) as text: the inputs, the scores at each confidence
// target, the paired comparisons, calibration and behavioural calibration.
func WriteScoreText(w io.Writer, inputs []ScoreInput, rep *score.Report) error {
	return writeText(w, newScoreTables(inputs, rep).all())
}

// ScoreSections renders a score.Report (Section 4 of Kalai et al. 2025;
// Section 4.2 of arXiv:2509.04664) with the tables of WriteScoreText: the
// inputs, the scores with the flips between binary grading and each
// confidence target in words, each model's score against t, behavioural
// calibration, and, for the models whose samples carry confidences, the
// reliability diagram and the risk–coverage curve. When no sample has a
// confidence, or none abstains, the page says so.
func ScoreSections(inputs []ScoreInput, rep *score.Report) ([]Section, error) {
	st := newScoreTables(inputs, rep)
	var sections []Section
	if st.inputs != nil {
		sections = append(sections, Section{Heading: "Inputs", Tables: []Table{*st.inputs}})
	}
	lb := Section{Heading: "Leaderboards: binary grading and confidence targets", Paragraphs: flips(rep.Results), Tables: []Table{st.scores}}
	if st.comparisons != nil {
		lb.Tables = append(lb.Tables, *st.comparisons)
	}
	curves, err := scoreCurves(rep)
	if err != nil {
		return nil, err
	}
	sections = append(sections, lb, curves)
	if len(st.behavioural) > 0 {
		sections = append(sections, Section{Heading: "Behavioural calibration",
			Paragraphs: []string{"A model run under a stated target t should answer only when it is more than t likely to be right: its accuracy among answers should be at least t, and it should answer less often as t rises (Section 4.2 of arXiv:2509.04664)."},
			Tables:     st.behavioural})
	}
	if len(rep.Groups) == 0 {
		sections = append(sections, Section{Heading: "Calibration",
			Paragraphs: []string{"No sample in these logs carries a confidence, so there is no reliability diagram, risk–coverage curve or threshold policy to show."}})
		return sections, nil
	}
	cal, err := calibrationSection(rep.Groups, st.calibration)
	if err != nil {
		return nil, err
	}
	return append(sections, cal), nil
}

// flips names in sentences each flip: a model whose rank at a target t
// differs from its rank under binary grading.
func flips(rs []score.TargetResult) []string {
	// One sentence per model and pair of ranks, naming the targets.
	type move struct {
		model      string
		from, to   int
		attempted  float64
		abst, errs float64
	}
	var moves []move
	targets := map[move][]string{}
	abstains := false
	for _, r := range rs {
		abstains = abstains || r.Abstained > 0
		if r.T == 0 || r.BinaryRank == 0 || r.RankChange == 0 {
			continue
		}
		m := move{r.Model, r.BinaryRank, r.Rank, float64(r.Attempted) / float64(max(r.N, 1)), r.AbstentionRate, r.ErrorRate}
		if _, ok := targets[m]; !ok {
			moves = append(moves, m)
		}
		targets[m] = append(targets[m], fmt.Sprintf("%g", r.T))
	}
	var out []string
	for _, m := range moves {
		dir := "climbs"
		if m.to > m.from {
			dir = "falls"
		}
		out = append(out, fmt.Sprintf("%s %s from rank %d under binary grading to rank %d at t = %s (it answers %s, abstains on %s, errs on %s).",
			m.model, dir, m.from, m.to, strings.Join(targets[m], ", "), percent(m.attempted), percent(m.abst), percent(m.errs)))
	}
	switch {
	case len(out) > 0:
		return out
	case !abstains:
		return []string{"No sample abstains, so every model's score falls with t at a rate set by its error rate alone: the order cannot change unless error rates cross."}
	}
	return []string{"The order is the same at every t."}
}

// scoreCurves plots each model's score against t (its counts re-scored, the
// line) and, for models with confidences, the policy "answer iff
// confidence > t" (dashed).
func scoreCurves(rep *score.Report) (Section, error) {
	var series []Series
	colour := map[string]int{}
	seen := map[string]bool{}
	for _, r := range rep.Results {
		if seen[r.Model] || r.RunTarget {
			continue
		}
		seen[r.Model] = true
		colour[r.Model] = len(series) + 1
		s := Series{Name: r.Model, X: scoreCurveTs, Palette: colour[r.Model]}
		for _, t := range scoreCurveTs {
			sc, se := r.Counts.Score(t), r.Counts.ScoreSE(t)
			s.Y = append(s.Y, sc)
			s.Lo = append(s.Lo, sc-score.DefaultZ*se)
			s.Hi = append(s.Hi, sc+score.DefaultZ*se)
		}
		series = append(series, s)
	}
	// The policy lines take the palette's next colours: where a policy
	// answers everything its dashed line lies on the model's solid one.
	next := len(series)
	for _, g := range rep.Groups {
		next++
		s := Series{Name: g.Model + ": answer iff confidence > t", Dashed: true, Palette: next}
		for _, p := range g.Policy.Points {
			if p.T <= scoreCurveTs[len(scoreCurveTs)-1] {
				s.X = append(s.X, p.T)
				s.Y = append(s.Y, p.Score)
			}
		}
		series = append(series, s)
	}
	fig, err := Chart{Title: "Score against the confidence target", XLabel: "confidence target t", YLabel: "mean score per sample",
		Series: series, LegendLeft: true, LegendBottom: true}.Figure("Solid: each model's responses as logged, re-scored at t, with its 95% normal interval shaded. " +
		"Dashed: the same model answering only when its confidence exceeds t (Section 4.2); where it lies on the solid line, the policy answers every question.")
	if err != nil {
		return Section{}, err
	}
	return Section{
		Heading: "Score against t",
		Paragraphs: []string{"Under binary grading (t = 0) a guess never costs anything, so answering everything scores best. " +
			"As t rises each wrong answer costs t/(1−t), and a model that says IDK when unsure overtakes one that always answers."},
		Figures: []Figure{fig},
	}, nil
}

// calibrationSection draws the reliability diagram and the risk–coverage
// curve of every model with confidences, above their tables.
func calibrationSection(groups []score.GroupReport, tables []Table) (Section, error) {
	name := func(g score.GroupReport) string {
		if g.RunTarget != nil {
			return fmt.Sprintf("%s (run at t = %g)", g.Model, *g.RunTarget)
		}
		return g.Model
	}
	var rel, risk []Series
	for _, g := range groups {
		r := Series{Name: name(g), Points: true}
		for _, b := range g.Calibration.Reliability {
			if b.N > 0 {
				r.X = append(r.X, b.MeanConfidence)
				r.Y = append(r.Y, b.Accuracy)
			}
		}
		rel = append(rel, r)
		rc := Series{Name: name(g)}
		for _, p := range g.Selective.Curve {
			rc.X = append(rc.X, p.Coverage)
			rc.Y = append(rc.Y, p.Risk)
		}
		risk = append(risk, rc)
	}
	rel = append(rel, Series{Name: "perfect calibration", X: []float64{0, 1}, Y: []float64{0, 1}, Dashed: true, Palette: -1})
	relFig, err := Chart{Title: "Reliability diagram", XLabel: "mean confidence in bin", YLabel: "accuracy in bin",
		Series: rel, XMin: 0, XMax: 1, YMin: 0, YMax: 1, LegendLeft: true}.Figure("Equal-width bins of confidence; empty bins are left out.")
	if err != nil {
		return Section{}, err
	}
	riskFig, err := Chart{Title: "Risk–coverage", XLabel: "coverage (most confident answers kept)", YLabel: "error rate among them",
		Series: risk, XMin: 0, XMax: 1, YMin: 0, YMax: 1, LegendLeft: true}.Figure("Error rate among the answers kept, keeping the most confident first.")
	if err != nil {
		return Section{}, err
	}
	var names []string
	for _, g := range groups {
		names = append(names, name(g))
	}
	return Section{
		Heading: "Calibration and selective prediction",
		Paragraphs: []string{"Confidences for " + strings.Join(names, ", ") + ". " +
			"A calibrated model's points lie on the diagonal; the risk–coverage curve shows how much error is left when only the most confident answers are kept."},
		Figures: []Figure{relFig, riskFig},
		Tables:  tables,
	}, nil
}

// ScorePage is the page of hallu score --html.
func ScorePage(inputs []ScoreInput, rep *score.Report, provenance []string) (Page, error) {
	sections, err := ScoreSections(inputs, rep)
	if err != nil {
		return Page{}, err
	}
	return Page{
		Title:      "hallu score",
		Subtitle:   "Eval logs re-scored under explicit confidence targets: +1 correct, −t/(1−t) wrong, 0 for IDK (Kalai et al. 2025, Section 4).",
		Sections:   sections,
		Provenance: provenance,
	}, nil
}

func f4(x float64) string { return fmt.Sprintf("%.4f", x) }
