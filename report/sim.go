package report

import (
	"fmt"
	"slices"

	"github.com/hallu-dev/hallu/facts"
	"github.com/hallu-dev/hallu/missingmass"
)

// SimSections renders a simulation of the Arbitrary Facts model (Def. 1,
// App. B of Kalai et al. 2025): each learner's error against the singleton
// rate, beside Theorem 2's lower bound (any learner) and upper bound (the
// calibrated learner) as functions of sr, and a table of every learner's
// figures and which bounds held. A sweep gives one point per grid point
// and learner; the bound lines are drawn for the first point's N.
func SimSections(e facts.Experiment, sim *facts.Simulation) ([]Section, error) {
	if len(sim.Points) == 0 {
		return nil, fmt.Errorf("simulation has no points")
	}
	minE, maxE := int64(slices.Min(e.World.Answers.Sizes)-1), int64(slices.Max(e.World.Answers.Sizes)-1)
	first := sim.Points[0]

	var series []Series
	for li := range first.Summaries {
		s := Series{Name: first.Summaries[li].Learner.String(), Points: true}
		for _, p := range sim.Points {
			sm := p.Summaries[li]
			s.X = append(s.X, sm.SR.Mean)
			s.Y = append(s.Y, sm.Err.Mean)
		}
		series = append(series, s)
	}
	caption := fmt.Sprintf("One point per learner (mean over runs). Grey: Theorem 2's bounds (dashed: lower, solid: upper) at N = %d, min|E_c| = %d, γ = %g, as sr varies; "+
		"the lower bound holds for every learner, the upper for the calibrated one.", first.N, minE, e.Gamma)
	if len(sim.Points) == 1 {
		// Theorem 2 at the point's N, δ = 0, as sr runs over [0, 1].
		var grid, lower, upper []float64
		for i := 0; i <= 100; i++ {
			sr := float64(i) / 100
			th := missingmass.Theorem2{N: int64(first.N), SR: sr, MinE: minE, MaxE: maxE}
			grid = append(grid, sr)
			lower = append(lower, th.Lower(e.Gamma))
			upper = append(upper, th.Upper(e.Gamma))
		}
		series = append(series,
			Series{Name: "Theorem 2 lower bound (δ = 0)", X: grid, Y: informative(lower), Dashed: true, Palette: -1},
			Series{Name: "Theorem 2 upper bound (calibrated)", X: grid, Y: informative(upper), Palette: -1},
		)
	} else {
		// A sweep: each point has its own N, so its own bounds.
		lower := Series{Name: "Theorem 2 lower bound (δ = 0) at the point's N", Points: true, Palette: -1}
		upper := Series{Name: "Theorem 2 upper bound at the point's N", Points: true, Palette: -1}
		for _, p := range sim.Points {
			th := missingmass.Theorem2{N: int64(p.N), SR: p.Summaries[0].SR.Mean, MinE: minE, MaxE: maxE}
			lower.X, lower.Y = append(lower.X, th.SR), append(lower.Y, th.Lower(e.Gamma))
			upper.X, upper.Y = append(upper.X, th.SR), append(upper.Y, th.Upper(e.Gamma))
		}
		lower.Y, upper.Y = informative(lower.Y), informative(upper.Y)
		series = append(series, lower, upper)
		caption = fmt.Sprintf("One point per learner and sweep point (mean over runs). Grey: Theorem 2's bounds at each point's N and sr (min|E_c| = %d, γ = %g, δ = 0).", minE, e.Gamma)
	}
	caption += " Bounds are drawn where they lie in [0, 1]; outside it they say nothing. Learners with the same sr and err are drawn side by side."
	fig, err := Chart{
		Title: "Error rate against singleton rate", XLabel: "singleton rate sr", YLabel: "error rate err",
		Series: series, XMin: 0, XMax: 1, YMin: 0, YMax: 1, LegendLeft: true,
	}.Figure(caption)
	if err != nil {
		return nil, err
	}

	runs := len(first.Runs)
	t := Table{Header: []string{"N", "μ", "learner", "sr", "err", "δ", "p̂(IDK)", "Thm 2 lower", "Thm 2 upper", "err ≥ lower", "err ≤ upper"}}
	for _, p := range sim.Points {
		for _, s := range p.Summaries {
			upperHeld := percent(s.Held.Thm2Upper)
			if s.Promised.Thm2Upper == 0 {
				upperHeld += " (not promised)"
			}
			t.AddRow(p.N, p.Mu.String(), s.Learner.String(), s.SR.Mean, s.Err.Mean, s.Delta.Mean, s.Abstention.Mean,
				s.Thm2Lower.Mean, s.Thm2Upper.Mean, percent(s.Held.Thm2Lower), upperHeld)
		}
	}
	// Keep the N and μ columns only where the sweep varies them.
	varies := func(f func(p facts.Point) string) bool {
		return slices.ContainsFunc(sim.Points, func(p facts.Point) bool { return f(p) != f(first) })
	}
	var keep []int
	for i := range t.Header {
		switch {
		case i == 0 && !varies(func(p facts.Point) string { return fmt.Sprint(p.N) }):
		case i == 1 && !varies(func(p facts.Point) string { return p.Mu.String() }):
		default:
			keep = append(keep, i)
		}
	}
	t.Header = pick(t.Header, keep)
	for i := range t.Rows {
		t.Rows[i] = pick(t.Rows[i], keep)
	}
	t.Title = fmt.Sprintf("means over %d run(s); the last two columns give the fraction of runs in which the bound held", runs)
	verdict := simVerdict(first)
	if len(sim.Points) > 1 {
		verdict = fmt.Sprintf("At the first of %d sweep points, t", len(sim.Points)) + verdict[1:]
	}
	world := fmt.Sprintf("World: %d prompts, μ %v, |R_c| %v, α_c %v; N = %d training examples; %d run(s) from seed %d; γ = %g.",
		first.Prompts, first.Mu, e.World.Answers, e.World.Alpha, first.N, runs, e.Seed, e.Gamma)
	return []Section{{
		Heading:    "Learners against Theorem 2",
		Paragraphs: []string{world, verdict},
		Figures:    []Figure{fig},
		Tables:     []Table{t},
	}}, nil
}

// simVerdict says where the calibrated learner sits between the bounds.
func simVerdict(p facts.Point) string {
	for _, s := range p.Summaries {
		if s.Learner.Kind == facts.Calibrated {
			lower := F(s.Thm2Lower.Mean)
			if s.Thm2Lower.Mean <= 0 {
				lower += " (≤ 0: vacuous at this N)"
			}
			return fmt.Sprintf("The calibrated learner errs on %s of prompts, between Theorem 2's lower bound %s and upper bound %s; sr = %s. "+
				"A learner that says IDK on prompts it has not seen escapes the floor only by being miscalibrated: its δ, which the lower bound subtracts, is the mass it withholds.",
				F(s.Err.Mean), lower, F(s.Thm2Upper.Mean), F(s.SR.Mean))
		}
	}
	return ""
}

// SimPage is the page of hallu sim --html.
func SimPage(e facts.Experiment, sim *facts.Simulation, provenance []string) (Page, error) {
	sections, err := SimSections(e, sim)
	if err != nil {
		return Page{}, err
	}
	return Page{
		Title:      "hallu sim",
		Subtitle:   "The Arbitrary Facts model simulated, and Theorem 2 checked against learners trained on it (Kalai et al. 2025, Def. 1, Theorem 2, App. B).",
		Sections:   sections,
		Provenance: provenance,
	}, nil
}

// pick returns the elements of xs at the indices in keep.
func pick(xs []string, keep []int) []string {
	out := make([]string, len(keep))
	for i, k := range keep {
		out[i] = xs[k]
	}
	return out
}
