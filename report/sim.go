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
	// Theorem 2 at the first point's N, δ = 0, as sr runs over [0, 1].
	var grid, lower, upper []float64
	for i := 0; i <= 100; i++ {
		sr := float64(i) / 100
		th := missingmass.Theorem2{N: int64(first.N), SR: sr, MinE: minE, MaxE: maxE}
		grid = append(grid, sr)
		lower = append(lower, th.Lower(e.Gamma))
		upper = append(upper, th.Upper(e.Gamma))
	}
	series = append(series,
		Series{Name: "Theorem 2 lower bound (δ = 0)", X: grid, Y: lower, Dashed: true, Palette: -1},
		Series{Name: "Theorem 2 upper bound (calibrated)", X: grid, Y: upper, Palette: -1},
	)
	svg, err := Chart{
		Title: "Error rate against singleton rate", XLabel: "singleton rate sr", YLabel: "error rate err",
		Series: series, XMin: 0, XMax: 1, YMin: 0, YMax: 1.05, LegendLeft: true,
	}.SVG()
	if err != nil {
		return nil, err
	}

	runs := len(first.Runs)
	t := Table{Header: []string{"learner", "sr", "err", "δ", "p̂(IDK)", "Thm 2 lower", "Thm 2 upper", "err ≥ lower", "err ≤ upper"}}
	for _, p := range sim.Points {
		for _, s := range p.Summaries {
			upperHeld := percent(s.Held.Thm2Upper)
			if s.Promised.Thm2Upper == 0 {
				upperHeld += " (not promised)"
			}
			t.AddRow(s.Learner.String(), s.SR.Mean, s.Err.Mean, s.Delta.Mean, s.Abstention.Mean,
				s.Thm2Lower.Mean, s.Thm2Upper.Mean, percent(s.Held.Thm2Lower), upperHeld)
		}
	}
	t.Title = fmt.Sprintf("means over %d run(s); the last two columns give the fraction of runs in which the bound held", runs)
	world := fmt.Sprintf("World: %d prompts, μ %v, |R_c| %v, α_c %v; N = %d training examples; %d run(s) from seed %d; γ = %g.",
		first.Prompts, first.Mu, e.World.Answers, e.World.Alpha, first.N, runs, e.Seed, e.Gamma)
	return []Section{{
		Heading:    "Learners against Theorem 2",
		Paragraphs: []string{world, simVerdict(first)},
		Figures: []Figure{{SVG: svg, Caption: fmt.Sprintf("One point per learner (mean over runs). Grey: Theorem 2's bounds (dashed: lower, solid: upper) at N = %d, min|E_c| = %d, γ = %g; "+
			"the lower bound holds for every learner, the upper for the calibrated one.", first.N, minE, e.Gamma)}},
		Tables: []Table{t},
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
