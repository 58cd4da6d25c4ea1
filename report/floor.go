package report

import (
	"fmt"
	"io"

	"github.com/hallu-dev/hallu/missingmass"
)

// WriteFloorText renders a missingmass.Floor as a table with the formula
// behind each number.
func WriteFloorText(w io.Writer, f missingmass.Floor) error {
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
	t.Notes = append(t.Notes, "The Kalai–Vempala bound is reconstructed from secondary sources (paper.md §7.2); its exact hypotheses are unconfirmed.")
	return t.Render(w)
}
