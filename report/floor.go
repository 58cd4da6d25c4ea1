package report

import (
	"fmt"
	"io"
	"math"

	"github.com/hallu-dev/hallu/missingmass"
)

// WriteFloorText writes a missingmass.Floor as a table with the formula
// behind each number.
func WriteFloorText(w io.Writer, f missingmass.Floor) error {
	return writeText(w, []Table{floorTable(f)})
}

// floorTable tabulates Theorem 2's bounds (arXiv:2509.04664, Section 3.3.1)
// for one (N, sr), text and HTML alike.
func floorTable(f missingmass.Floor) Table {
	vacuous := func(x float64, lower bool) string {
		if lower && x <= 0 {
			return "  (≤ 0: vacuous)"
		}
		if !lower && x >= 1 {
			return "  (≥ 1: vacuous)"
		}
		return ""
	}
	t := Table{
		Title: fmt.Sprintf("Theorem 2 for N = %d examples, singleton rate sr = %s, min|E_c| = %d, max|E_c| = %d, δ = %s, γ = %s",
			f.N, F(f.SR), f.MinE, f.MaxE, F(f.Delta), F(f.Gamma)),
		Header: []string{"bound", "value", "formula"},
	}
	t.AddRow(fmt.Sprintf("lower, any model (prob ≥ %s)", F(1-f.Gamma)), F(f.Lower)+vacuous(f.Lower, true), "sr − 2/min|E_c| − 6·ln(3N/γ)/√N − δ")
	t.AddRow("lower, 99% form as printed", F(f.Lower99)+vacuous(f.Lower99, true), "sr − 2/min|E_c| − (35 + 6·ln N)/√N − δ")
	t.AddRow(fmt.Sprintf("upper, calibrated algorithm (prob ≥ %s)", F(1-f.Gamma)), F(f.Upper)+vacuous(f.Upper, false), "sr − sr/(max|E_c|+1) + 5·sqrt(ln(5/γ)/N)")
	t.AddRow("upper, 99% form as printed", F(f.Upper99)+vacuous(f.Upper99, false), "sr − sr/(max|E_c|+1) + 13/√N")
	t.AddRow("missing mass MM (Lemma 1)", fmt.Sprintf("[%s, %s]", F(f.MMLow), F(f.MMHigh)), "sr ± 4.42·sqrt(ln(5/γ)/N)")
	t.AddRow("Kalai–Vempala 2024 (reconstruction)", F(f.KV)+vacuous(f.KV, true), fmt.Sprintf("MF − Mis − 3·e^−s/γ − sqrt(6·ln(6/γ)/N), MF = sr, Mis = %s, e^−s = %s", F(f.KVMis), F(f.KVFactRatio)))
	names := map[string]string{"plausible": "2/min|E_c|", "sample": "the finite-sample term", "delta": "δ"}
	t.Notes = append(t.Notes,
		fmt.Sprintf("\nThe lower bound subtracts from sr: 2/min|E_c| = %s, 6·ln(3N/γ)/√N = %s, δ = %s; the largest is %s.",
			F(f.TermPlausible), F(f.TermSample), F(f.TermDelta), names[f.Dominant]))
	if f.NWithinPoint > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf("The lower bound comes within one point (0.01) of sr from N = %d on.", f.NWithinPoint))
	} else {
		t.Notes = append(t.Notes, fmt.Sprintf("No N brings the lower bound within one point of sr: 2/min|E_c| + δ = %s already exceeds 0.01.", F(f.TermPlausible+f.TermDelta)))
	}
	t.Notes = append(t.Notes, "The Kalai–Vempala bound (arXiv:2311.14648) is reconstructed from secondary sources; its exact hypotheses are unconfirmed.")
	return t
}

// FloorSections renders Theorem 2's bounds for one (N, sr): the table of
// WriteFloorText and, as a chart, how the lower and upper bounds approach sr as N
// grows with sr, |E_c| and δ held fixed (Theorem 2 of arXiv:2509.04664).
func FloorSections(f missingmass.Floor) ([]Section, error) {
	var ns, lower, upper, sr []float64
	for e := 2.0; e <= 9.01; e += 0.125 {
		n := math.Pow(10, e)
		th := f.Theorem2
		th.N = int64(n)
		ns = append(ns, n)
		lower = append(lower, th.Lower(f.Gamma))
		upper = append(upper, th.Upper(f.Gamma))
		sr = append(sr, f.SR)
	}
	fig, err := Chart{
		Title: "Theorem 2 as N grows", XLabel: "training examples N", YLabel: "error rate", LogX: true,
		Series: []Series{
			{Name: "lower bound", X: ns, Y: informative(lower)},
			{Name: "upper bound (calibrated)", X: ns, Y: informative(upper)},
			{Name: "sr", X: ns, Y: sr, Dashed: true},
			{Name: "lower bound at this N", X: []float64{float64(f.N)}, Y: informative([]float64{f.Lower}), Points: true, Palette: 1},
		},
		YMin: 0, YMax: 1,
	}.Figure(fmt.Sprintf("sr = %s, min|E_c| = %d, max|E_c| = %d, δ = %s, γ = %s held fixed; the point marks this N. Bounds are drawn where they lie in [0, 1]; outside it they say nothing.", F(f.SR), f.MinE, f.MaxE, F(f.Delta), F(f.Gamma)))
	if err != nil {
		return nil, err
	}
	verdict := fmt.Sprintf("With N = %d and sr = %s, any model errs on at least %s (probability %s); the largest term subtracted from sr is the %s one.",
		f.N, F(f.SR), F(f.Lower), F(1-f.Gamma), map[string]string{"plausible": "2/min|E_c|", "sample": "finite-sample", "delta": "δ"}[f.Dominant])
	if f.Lower <= 0 {
		verdict = fmt.Sprintf("With N = %d and sr = %s the lower bound is %s ≤ 0: it says nothing yet.", f.N, F(f.SR), F(f.Lower))
	}
	return []Section{{
		Heading:    "Theorem 2",
		Paragraphs: []string{verdict},
		Tables:     []Table{floorTable(f)},
		Figures:    []Figure{fig},
	}}, nil
}

// FloorPage is the page of hallu floor --html.
func FloorPage(f missingmass.Floor, provenance []string) (Page, error) {
	sections, err := FloorSections(f)
	if err != nil {
		return Page{}, err
	}
	return Page{
		Title:      "hallu floor",
		Subtitle:   "Theorem 2's finite-sample bounds from N, the singleton rate and |E_c| (Kalai et al. 2025, Theorem 2, Lemma 1).",
		Sections:   sections,
		Provenance: provenance,
	}, nil
}
