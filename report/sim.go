package report

import (
	"fmt"
	"io"
	"slices"

	"github.com/hallu-dev/hallu/facts"
	"github.com/hallu-dev/hallu/missingmass"
)

// SimSections renders a simulation of the Arbitrary Facts model (Def. 1,
// App. B of Kalai et al. 2025): each learner's error against the singleton
// rate, beside Theorem 2's lower bound (any learner) and upper bound (the
// calibrated learner) as functions of sr, and the tables of WriteSimText:
// per sweep point, every learner's figures and which bounds held. A sweep
// gives one point per grid point and learner; the bound lines are drawn
// for the first point's N.
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

	verdict := simVerdict(first)
	if len(sim.Points) > 1 {
		verdict = fmt.Sprintf("At the first of %d sweep points, t", len(sim.Points)) + verdict[1:]
	}
	return []Section{{
		Heading:    "Learners against Theorem 2",
		Paragraphs: []string{verdict},
		Figures:    []Figure{fig},
		Tables:     simTables(e, sim),
	}}, nil
}

// simTables builds, per sweep point, a table of the learners' figures,
// captioned with the world and the run-level figures, and a table of the
// bounds that held: the values of a single run, or means over the runs with
// the fraction of runs in which each bound held.
func simTables(e facts.Experiment, sim *facts.Simulation) []Table {
	var tables []Table
	for _, p := range sim.Points {
		runs := len(p.Runs)
		title := fmt.Sprintf("world: %d prompts, μ %v, |R_c| %v, α_c %v; N = %d; %d run(s) from seed %d; γ = %g\n",
			p.Prompts, p.Mu, e.World.Answers, e.World.Alpha, p.N, runs, e.Seed, e.Gamma)
		s0 := p.Summaries[0]
		if runs == 1 {
			r := p.Runs[0]
			held := "held"
			if !r.Lemma1Held {
				held = "FAILED"
			}
			title += fmt.Sprintf("sr %s (%d singletons), MM %s; Lemma 1: MM ∈ [%s, %s] (%s)\n",
				F(r.SR), r.Singletons, F(r.MM), F(r.MMLow), F(r.MMHigh), held)
		} else {
			title += fmt.Sprintf("sr mean %s [5%% %s, 95%% %s], MM mean %s [%s, %s]; Lemma 1's interval held in %s of runs (promised %s)\n\n",
				F(s0.SR.Mean), F(s0.SR.Q05), F(s0.SR.Q95), F(s0.MM.Mean), F(s0.MM.Q05), F(s0.MM.Q95),
				percent(s0.Held.Lemma1), percent(s0.Promised.Lemma1))
			title += fmt.Sprintf("means over %d runs", runs)
		}
		t := Table{Title: title, Header: []string{"learner", "err", "δ", "max δ_z", "err_iiv", "p̂(IDK)", "Thm 1", "Thm 2 lower", "lower 99%", "Thm 2 upper", "upper 99%"}}
		for _, s := range p.Summaries {
			t.AddRow(s.Learner.String(), s.Err.Mean, s.Delta.Mean, s.DeltaMaxZ.Mean, s.ErrIIV.Mean, s.Abstention.Mean,
				s.Thm1Bound.Mean, s.Thm2Lower.Mean, s.Thm2Lower99.Mean, s.Thm2Upper.Mean, s.Thm2Upper99.Mean)
		}
		h := Table{Title: "bounds held", Header: []string{"learner", "err ≥ Thm 1", "err ≥ Thm 2 lower", "≥ lower 99%", "err ≤ Thm 2 upper", "≤ upper 99%"}}
		if runs > 1 {
			h.Title = "fraction of runs in which each bound held (promised)"
		}
		for _, s := range p.Summaries {
			held, promised := boundRates(s.Held), boundRates(s.Promised)
			row := []any{s.Learner.String()}
			for i := range held {
				row = append(row, heldCell(runs, held[i], promised[i]))
			}
			h.AddRow(row...)
		}
		h.Notes = []string{"Theorem 2's upper bound is promised for the calibrated learner only; its lower bound for every learner."}
		tables = append(tables, t, h)
	}
	return tables
}

// boundRates lists a learner's rates for Theorem 1 and Theorem 2's four
// bounds, in the order of the bounds-held table.
func boundRates(r facts.Rates) []float64 {
	return []float64{r.Thm1, r.Thm2Lower, r.Thm2Lower99, r.Thm2Upper, r.Thm2Upper99}
}

// heldCell says whether a bound held in a single run, or in what fraction
// of runs against the probability promised.
func heldCell(runs int, held, promised float64) string {
	if runs == 1 {
		switch {
		case held == 1:
			return "yes"
		case promised > 0:
			return "NO"
		}
		return "no"
	}
	if promised == 0 {
		return percent(held) + " (—)"
	}
	return percent(held) + " (" + percent(promised) + ")"
}

// WriteSimText writes the tables of a simulation of the Arbitrary Facts
// model (Def. 1, App. B of arXiv:2509.04664) as text.
func WriteSimText(w io.Writer, e facts.Experiment, sim *facts.Simulation) error {
	return writeText(w, simTables(e, sim))
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
