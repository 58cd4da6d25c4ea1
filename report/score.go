package report

import (
	"fmt"
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

// ScoreSections renders a score.Report (Section 4 of Kalai et al. 2025;
// Section 4.2 of arXiv:2509.04664): the leaderboard under binary grading beside the
// leaderboard at each confidence target t and the flips between them, each
// model's score against t, and, for the models whose samples carry
// confidences, the reliability diagram and the risk–coverage curve. When no
// sample has a confidence, or none abstains, the page says so.
func ScoreSections(rep *score.Report) ([]Section, error) {
	board, flips := leaderboard(rep.Results)
	lb := Section{Heading: "Leaderboards: binary grading and confidence targets", Paragraphs: flips, Tables: []Table{board, scoreCards(rep.Results)}}
	if len(rep.Comparisons) > 0 {
		lb.Tables = append(lb.Tables, comparisons(rep.Comparisons))
	}

	curves, err := scoreCurves(rep)
	if err != nil {
		return nil, err
	}
	sections := []Section{lb, curves}
	if len(rep.Behavioral) > 0 {
		sections = append(sections, behavioralSection(rep.Behavioral))
	}
	if len(rep.Groups) == 0 {
		sections = append(sections, Section{Heading: "Calibration",
			Paragraphs: []string{"No sample in these logs carries a confidence, so there is no reliability diagram, risk–coverage curve or threshold policy to show."}})
		return sections, nil
	}
	cal, err := calibrationSection(rep.Groups)
	if err != nil {
		return nil, err
	}
	return append(sections, cal), nil
}

// leaderboard builds the table of models ranked at each t, binary grading
// first, and sentences naming each flip: a model whose rank at t differs
// from its rank under binary grading.
func leaderboard(rs []score.TargetResult) (Table, []string) {
	ts, byT := score.Leaderboards(rs)
	t := Table{Header: []string{"rank"}}
	rows := 0
	for _, x := range ts {
		label := fmt.Sprintf("t = %g (penalty %s)", x, F(score.Penalty(x)))
		if x == 0 {
			label = "binary grading (t = 0)"
		}
		t.Header = append(t.Header, label)
		rows = max(rows, len(byT[x]))
	}
	for i := range rows {
		row := []string{fmt.Sprint(i + 1)}
		for _, x := range ts {
			cell := ""
			if l := byT[x]; i < len(l) {
				cell = fmt.Sprintf("%s (%.4f)", l[i].Model, l[i].Score)
			}
			row = append(row, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	t.Notes = []string{"Score: +1 per correct answer, −t/(1−t) per wrong one, 0 for IDK, averaged over all samples."}

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
	var flips []string
	for _, m := range moves {
		dir := "climbs"
		if m.to > m.from {
			dir = "falls"
		}
		flips = append(flips, fmt.Sprintf("%s %s from rank %d under binary grading to rank %d at t = %s (it answers %s, abstains on %s, errs on %s).",
			m.model, dir, m.from, m.to, strings.Join(targets[m], ", "), percent(m.attempted), percent(m.abst), percent(m.errs)))
	}
	switch {
	case len(flips) > 0:
	case !abstains:
		flips = []string{"No sample abstains, so every model's score falls with t at a rate set by its error rate alone: the order cannot change unless error rates cross."}
	default:
		flips = []string{"The order is the same at every t."}
	}
	return t, flips
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
// curve of every model with confidences, and tabulates their metrics.
func calibrationSection(groups []score.GroupReport) (Section, error) {
	name := func(g score.GroupReport) string {
		if g.RunTarget != nil {
			return fmt.Sprintf("%s (run at t = %g)", g.Model, *g.RunTarget)
		}
		return g.Model
	}
	var rel, risk []Series
	t := Table{Header: []string{"model", "n", "mean confidence", "accuracy", "ECE", "Brier", "AURC", "best t for the policy", "its score"}}
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
		c := g.Calibration
		t.AddRow(name(g), c.N, c.MeanConfidence, c.Accuracy, c.ECE, c.Brier, g.Selective.AURC, g.Policy.BestT, g.Policy.BestScore)
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
		Tables:  []Table{t},
	}, nil
}

// ScorePage is the page of hallu score --html.
func ScorePage(rep *score.Report, provenance []string) (Page, error) {
	sections, err := ScoreSections(rep)
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

// scoreCards tabulates every (model, t) row with its four outcome buckets.
func scoreCards(rs []score.TargetResult) Table {
	t := Table{Title: "Score cards (rates over all samples, invalid included)",
		Header: []string{"model", "t", "n", "correct", "wrong", "abstained", "invalid", "score", "95% interval", "rank", "binary rank"}}
	for _, r := range rs {
		tt := F(r.T)
		if r.RunTarget {
			tt += " (run)"
		}
		bin := "–"
		if r.BinaryRank > 0 {
			bin = fmt.Sprint(r.BinaryRank)
		}
		t.AddRow(r.Model, tt, r.N, r.Correct, r.Wrong, r.Abstained, r.Invalid, fmt.Sprintf("%.4f", r.Score),
			fmt.Sprintf("[%.4f, %.4f]", r.ScoreCI.Lo, r.ScoreCI.Hi), r.Rank, bin)
	}
	return t
}

// comparisons tabulates the paired bootstraps between models.
func comparisons(cs []score.Comparison) Table {
	t := Table{Title: "Paired bootstrap on shared questions (A − B points per question)",
		Header: []string{"t", "A", "B", "shared", "mean difference", "95% interval", "P(A better)"}}
	for _, c := range cs {
		interval, better := "-", "-" // no resamples (--bootstrap 0): nothing to show
		if c.Replicates > 0 {
			interval, better = fmt.Sprintf("[%+.4f, %+.4f]", c.CI.Lo, c.CI.Hi), fmt.Sprintf("%.3f", c.PABetter)
		}
		t.AddRow(c.T, c.A, c.B, c.Shared, fmt.Sprintf("%+.4f", c.MeanDiff), interval, better)
	}
	return t
}

// behavioralSection tabulates behavioural calibration (Section 4.2 of arXiv:2509.04664):
// models run under stated targets should be right at least a fraction t
// of the times they answer.
func behavioralSection(bs []score.Behavioral) Section {
	sec := Section{Heading: "Behavioural calibration",
		Paragraphs: []string{"A model run under a stated target t should answer only when it is more than t likely to be right: its accuracy among answers should be at least t, and it should answer less often as t rises (Section 4.2 of arXiv:2509.04664)."}}
	for _, b := range bs {
		t := Table{Title: b.Model, Header: []string{"t", "n", "answer rate", "accuracy among answers", "95% interval", "≥ t"}}
		for _, p := range b.Points {
			meets := "no"
			switch {
			case p.MeetsTarget:
				meets = "yes"
			case p.ConsistentWithTarget:
				meets = "within the interval"
			}
			t.AddRow(p.T, p.N, percent(p.AnswerRate), percent(p.AccuracyAnswered),
				"["+percent(p.AccuracyAnsweredCI.Lo)+", "+percent(p.AccuracyAnsweredCI.Hi)+"]", meets)
		}
		if !b.AnswerRateNonIncreasing {
			t.Notes = []string{"The answer rate rises with t somewhere: not behaviourally calibrated."}
		}
		sec.Tables = append(sec.Tables, t)
	}
	return sec
}
