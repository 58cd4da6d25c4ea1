package report

import (
	"fmt"
	"io"

	"github.com/hallu-dev/hallu/harness"
	"github.com/hallu-dev/hallu/instances"
	"github.com/hallu-dev/hallu/score"
)

// WriteDeltaText writes the calibration term δ of Corollary 1 and
// Theorem 1 (arXiv:2509.04664, Sections 3.1–3.2) measured on open
// questions, with failed naming the questions left out after failed
// requests.
func WriteDeltaText(w io.Writer, est *harness.DeltaEstimate, failed []string) error {
	return writeText(w, []Table{deltaTable(est, failed)})
}

func deltaTable(r *harness.DeltaEstimate, failed []string) Table {
	ci := func(i score.Interval) string { return fmt.Sprintf("[%.4f, %.4f]", i.Lo, i.Hi) }
	t := Table{
		Title:  fmt.Sprintf("δ at τ = %s over %d questions (Section 3.1)", F(r.Threshold), r.Questions),
		Header: []string{"quantity", "estimate", "95% interval", "above τ", "of", "interval"},
	}
	t.AddRow("p̂(A), model samples", fmt.Sprintf("%.4f", r.ModelMass.Estimate), ci(r.ModelMass.CI), r.ModelMass.Above, r.ModelMass.Of, r.ModelMass.Method)
	t.AddRow("p(A), reference answers", fmt.Sprintf("%.4f", r.DataMass.Estimate), ci(r.DataMass.CI), r.DataMass.Above, r.DataMass.Of, r.DataMass.Method)
	deltaCI, method := "-", "-"
	if r.Bootstrap > 0 {
		deltaCI, method = ci(r.DeltaCI), fmt.Sprintf("bootstrap (%d)", r.Bootstrap)
	}
	t.AddRow("δ = |p̂(A) − p(A)|", fmt.Sprintf("%.4f", r.Delta), deltaCI, "", "", method)
	t.Notes = []string{
		fmt.Sprintf("p̂(A) − p(A) = %+.4f: the slope of the loss under rescaling the mass above τ (Section 3.1).", r.Derivative),
		fmt.Sprintf("Samples: %d empty (left out), %d cut at --max-tokens (kept).", r.Empty, r.Truncated),
	}
	if len(failed) > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf("%d questions left out after failed requests; first: %s", len(failed), failed[0]))
	}
	return t
}

// DeltaChoices is δ at one threshold τ measured on multiple-choice items
// (the JSON result of `hallu delta --choices`), with err_iiv and the
// bounds of Theorems 1 and 3 (arXiv:2509.04664, Sections 3.2 and 3.3.2).
type DeltaChoices struct {
	Method    string  `json:"method"`
	Threshold float64 `json:"threshold"`
	Sets      int     `json:"sets"`
	Contexts  int     `json:"contexts"`   // sets scored
	PhatA     float64 `json:"model_mass"` // p̂(A)
	PA        float64 `json:"data_mass"`  // p(A)
	Delta     float64 `json:"delta"`
	ErrIIV    float64 `json:"err_iiv"`
	Err       float64 `json:"err"`
	// Bound is 2·err_iiv − max|V_c|·τ − δ (Theorem 1's, at τ = 1/min|E_c|).
	Bound      float64 `json:"bound"`
	BoundHolds bool    `json:"bound_holds"`
	// Opt and MCBound: Theorem 3 (pure multiple choice, one valid option).
	MultipleChoice bool                   `json:"multiple_choice"`
	Opt            float64                `json:"opt_err_iiv,omitempty"`
	MCBound        float64                `json:"mc_bound,omitempty"`
	Choices        *instances.ChoiceStats `json:"choices,omitempty"`
	Notes          []string               `json:"notes"`
}

// WriteDeltaChoicesText writes a DeltaChoices as one table.
func WriteDeltaChoicesText(w io.Writer, r *DeltaChoices) error {
	return writeText(w, []Table{deltaChoicesTable(r)})
}

func deltaChoicesTable(r *DeltaChoices) Table {
	how := map[string]string{"echo": "by echo", "letters": "by letter probabilities"}[r.Method]
	t := Table{
		Title:  fmt.Sprintf("δ at τ = %s over %d of %d multiple-choice items, %s (arXiv:2509.04664, Section 3.2)", F(r.Threshold), r.Contexts, r.Sets, how),
		Header: []string{"quantity", "value", "meaning"},
	}
	t.AddRow("p̂(A)", fmt.Sprintf("%.4f", r.PhatA), "model mass on options with p̂ > τ")
	t.AddRow("p(A)", fmt.Sprintf("%.4f", r.PA), "reference mass on those options")
	t.AddRow("δ = |p̂(A) − p(A)|", fmt.Sprintf("%.4f", r.Delta), "calibration term of Corollary 1 and Theorem 1")
	t.AddRow("err_iiv", fmt.Sprintf("%.4f", r.ErrIIV), "Is-It-Valid error of the classifier p̂ > τ (Eq. 2)")
	t.AddRow("err", fmt.Sprintf("%.4f", r.Err), "model mass on wrong options")
	if r.BoundHolds {
		t.AddRow("2·err_iiv − max|V_c|·τ − δ", fmt.Sprintf("%.4f", r.Bound), "Theorem 1's lower bound on err")
	}
	if r.MultipleChoice {
		t.AddRow("2(1 − 1/C)·opt", fmt.Sprintf("%.4f", r.MCBound), fmt.Sprintf("Theorem 3's lower bound on err (opt err_iiv %.4f)", r.Opt))
	}
	t.Notes = r.Notes
	return t
}
