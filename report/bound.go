package report

import (
	"fmt"
	"io"

	"github.com/hallu-dev/hallu/iiv"
)

// Bound is the JSON form of an iiv.Result: every quantity as a float64,
// and, when computed in exact arithmetic, as a fraction in Exact.
type Bound struct {
	Contexts     int     `json:"contexts"`
	Rows         int     `json:"rows"`
	ValidRows    int     `json:"valid_rows"`
	ErrorRows    int     `json:"error_rows"`
	IDKRows      int     `json:"idk_rows"`
	NonsenseRows int     `json:"nonsense_rows"`
	Err          float64 `json:"err"`
	ErrListed    float64 `json:"err_listed_errors"`
	Nonsense     float64 `json:"nonsense_mass"`
	Unlisted     float64 `json:"unlisted_mass"`
	MaxValid     int     `json:"max_valid"`
	MinValid     int     `json:"min_valid"`
	MinErrors    int     `json:"min_errors"`
	MaxErrors    int     `json:"max_errors"`
	Threshold    float64 `json:"threshold"`
	ErrIIV       float64 `json:"err_iiv"`
	PA           float64 `json:"p_A"`
	PhatA        float64 `json:"phat_A"`
	Delta        float64 `json:"delta"`
	DeltaRescale float64 `json:"delta_rescale"`
	DeltaMaxZ    float64 `json:"delta_max_z"`
	// DeltaMaxZAt is the interval [low, high) of z where δ_z is largest.
	DeltaMaxZAt [2]float64 `json:"delta_max_z_at"`
	Bound       float64    `json:"bound"`
	Slack       float64    `json:"slack"`
	Vacuous     bool       `json:"vacuous"`

	Thresholds []BoundThreshold  `json:"thresholds,omitempty"`
	Curve      []iiv.CurvePoint  `json:"delta_curve"`
	OptErrIIV  *float64          `json:"opt_err_iiv,omitempty"`
	OptAt      *[2]float64       `json:"opt_threshold_interval,omitempty"`
	OptThresh  *float64          `json:"opt_threshold,omitempty"`
	MCBound    *float64          `json:"mc_bound,omitempty"`
	MCSlack    *float64          `json:"mc_slack,omitempty"`
	Exact      map[string]string `json:"exact,omitempty"`
}

// BoundThreshold is the analysis at one caller-chosen threshold.
type BoundThreshold struct {
	Z      float64 `json:"z"`
	PA     float64 `json:"p_A"`
	PhatA  float64 `json:"phat_A"`
	Delta  float64 `json:"delta"`
	ErrIIV float64 `json:"err_iiv"`
	// Bound is 2·err_iiv − max|V_c|·z − δ, which holds for z ≥ 1/min|E_c|;
	// null below that threshold.
	Bound *float64 `json:"bound"`
}

// NewBound converts r. With exact set (r computed in iiv.Rat), the main
// quantities are also given as fractions.
func NewBound[T iiv.Scalar[T]](r iiv.Result[T]) Bound {
	b := Bound{
		Contexts: r.Contexts, Rows: r.Rows,
		ValidRows: r.ValidRows, ErrorRows: r.ErrorRows, IDKRows: r.IDKRows, NonsenseRows: r.NonsenseRows,
		Err: r.Err.Float64(), ErrListed: r.ErrListed.Float64(), Nonsense: r.Nonsense.Float64(), Unlisted: r.Unlisted.Float64(),
		MaxValid: r.MaxValid, MinValid: r.MinValid, MinErrors: r.MinErrors, MaxErrors: r.MaxErrors,
		Threshold: r.Paper.Z.Float64(), ErrIIV: r.Paper.ErrIIV.Float64(),
		PA: r.Paper.PA.Float64(), PhatA: r.Paper.PhatA.Float64(), Delta: r.Paper.Delta.Float64(),
		DeltaRescale: r.DeltaRescale.Float64(),
		DeltaMaxZ:    r.DeltaMaxZ.Float64(), DeltaMaxZAt: [2]float64{r.DeltaMaxZLow.Float64(), r.DeltaMaxZHigh.Float64()},
		Bound: r.Bound.Float64(), Slack: r.Slack.Float64(), Vacuous: r.Vacuous,
		Curve: r.Curve,
	}
	for _, t := range r.Thresholds {
		bt := BoundThreshold{Z: t.Z.Float64(), PA: t.PA.Float64(), PhatA: t.PhatA.Float64(), Delta: t.Delta.Float64(), ErrIIV: t.ErrIIV.Float64()}
		if t.BoundHolds {
			v := t.Bound.Float64()
			bt.Bound = &v
		}
		b.Thresholds = append(b.Thresholds, bt)
	}
	if r.MultipleChoice {
		opt, low, high, bound, slack := r.Opt.Float64(), r.OptLow.Float64(), r.OptHigh.Float64(), r.MCBound.Float64(), r.MCSlack.Float64()
		b.OptErrIIV, b.OptThresh, b.MCBound, b.MCSlack = &opt, &low, &bound, &slack
		b.OptAt = &[2]float64{low, high}
	}
	if ex, ok := any(r).(iiv.Result[iiv.Rat]); ok {
		b.Exact = map[string]string{
			"err": ex.Err.String(), "err_iiv": ex.Paper.ErrIIV.String(), "threshold": ex.Paper.Z.String(),
			"p_A": ex.Paper.PA.String(), "phat_A": ex.Paper.PhatA.String(), "delta": ex.Paper.Delta.String(),
			"delta_rescale": ex.DeltaRescale.String(), "delta_max_z": ex.DeltaMaxZ.String(),
			"bound": ex.Bound.String(), "slack": ex.Slack.String(), "unlisted_mass": ex.Unlisted.String(),
		}
		if ex.MultipleChoice {
			b.Exact["opt_err_iiv"] = ex.Opt.String()
			b.Exact["opt_threshold"] = ex.OptLow.String()
			b.Exact["mc_bound"] = ex.MCBound.String()
		}
	}
	return b
}

// WriteBoundText writes the tables of b as text.
func WriteBoundText(w io.Writer, name string, b Bound) error {
	return writeText(w, boundTables(name, b))
}

// boundTables builds the tables of b, text and HTML alike: every quantity
// of Theorem 1 (arXiv:2509.04664, Sections 3.1–3.2) with its meaning, and
// the analysis at other thresholds when asked for.
func boundTables(name string, b Bound) []Table {
	ex := func(key string, v float64) string {
		if s, ok := b.Exact[key]; ok && s != F(v) {
			return F(v) + "  (" + s + ")"
		}
		return F(v)
	}
	t := Table{
		Title:  fmt.Sprintf("%s: %s, %d rows (%d valid, %d idk, %d error, %d nonsense)", name, plural(b.Contexts, "context"), b.Rows, b.ValidRows, b.IDKRows, b.ErrorRows, b.NonsenseRows),
		Header: []string{"quantity", "value", "meaning"},
	}
	t.AddRow("err", ex("err", b.Err), "generative error rate p̂(E ∪ N) (Eq. 1)")
	t.AddRow("  listed errors", b.ErrListed, "p̂ on rows labelled error")
	t.AddRow("  listed nonsense", b.Nonsense, "p̂ on rows labelled nonsense")
	t.AddRow("  unlisted mass", ex("unlisted_mass", b.Unlisted), "p̂ left on strings the instance does not list")
	t.AddRow("max|V_c|, min|E_c|", fmt.Sprintf("%d, %d", b.MaxValid, b.MinErrors), "")
	t.AddRow("threshold", ex("threshold", b.Threshold), "1/min_c|E_c|: f̂ says valid iff p̂(r|c) > threshold")
	t.AddRow("err_iiv", ex("err_iiv", b.ErrIIV), "Is-It-Valid misclassification rate under D (Eq. 2)")
	t.AddRow("p(A), p̂(A)", F(b.PA)+", "+F(b.PhatA), "mass above the threshold under data and model")
	t.AddRow("delta", ex("delta", b.Delta), "|p̂(A) − p(A)|: calibration at the threshold")
	t.AddRow("delta via dL/ds", ex("delta_rescale", b.DeltaRescale), "|d/ds of cross-entropy of rescaled p̂_s| at s=1")
	t.AddRow("max_z delta_z", ex("delta_max_z", b.DeltaMaxZ), "largest δ_z, at z in "+HalfOpen(b.DeltaMaxZAt[0], b.DeltaMaxZAt[1]))
	t.AddRow("Theorem 1 bound", ex("bound", b.Bound), "err ≥ 2·err_iiv − max|V_c|/min|E_c| − δ")
	verdict := "err − bound (≥ 0 by Theorem 1)"
	if b.Vacuous {
		verdict += "; the bound is ≤ 0 here, so vacuous"
	}
	t.AddRow("slack", ex("slack", b.Slack), verdict)
	if b.OptErrIIV != nil {
		t.AddRow("opt err_iiv", ex("opt_err_iiv", *b.OptErrIIV), "best threshold t in "+HalfOpen(b.OptAt[0], b.OptAt[1])+" (|V_c| = 1: pure multiple choice)")
		t.AddRow("Theorem 3-4 bound", ex("mc_bound", *b.MCBound), fmt.Sprintf("err ≥ 2(1 − 1/C)·opt, C = %d choices", b.MinErrors+1))
		t.AddRow("slack", *b.MCSlack, "err − bound (≥ 0 by Theorem 4)")
	}
	if len(b.Thresholds) == 0 {
		return []Table{t}
	}
	tt := Table{Title: "at other thresholds (bound: 2·err_iiv − max|V_c|·z − δ, valid for z ≥ 1/min|E_c|)",
		Header: []string{"z", "p(A)", "p̂(A)", "delta", "err_iiv", "bound"}}
	for _, th := range b.Thresholds {
		bound := "n/a"
		if th.Bound != nil {
			bound = F(*th.Bound)
		}
		tt.AddRow(th.Z, th.PA, th.PhatA, th.Delta, th.ErrIIV, bound)
	}
	return []Table{t, tt}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// BoundPage renders b as an HTML page: the table of quantities and the δ_z
// curve.
func BoundPage(name string, b Bound, provenance []string) (Page, error) {
	sections, err := BoundSections(name, b)
	if err != nil {
		return Page{}, err
	}
	return Page{
		Title:      "hallu bound: " + name,
		Subtitle:   fmt.Sprintf("%s, %d rows: the reduction from generation to Is-It-Valid classification (Kalai et al. 2025, Sections 3.1–3.2 and 3.3.2).", plural(b.Contexts, "context"), b.Rows),
		Sections:   sections,
		Provenance: provenance,
	}, nil
}

// BoundSections renders b (Theorem 1, Sections 3.1–3.2 of Kalai et al.
// 2025) with the tables of WriteBoundText, and the δ_z curve.
func BoundSections(name string, b Bound) ([]Section, error) {
	var x, y []float64
	for i := len(b.Curve) - 1; i >= 0; i-- { // ascending z
		x = append(x, b.Curve[i].Low)
		y = append(y, b.Curve[i].Delta)
	}
	if n := len(b.Curve); n > 0 {
		x = append(x, b.Curve[0].High)
		y = append(y, b.Curve[0].Delta)
	}
	curve, err := Chart{
		Title: "Calibration at every threshold", XLabel: "threshold z", YLabel: "δ_z = |p̂(p̂ > z) − p(p̂ > z)|",
		Series: []Series{
			{Name: "δ_z", X: x, Y: y, Step: true},
			{Name: "paper's threshold 1/min|E_c|", X: []float64{b.Threshold, b.Threshold}, Y: []float64{0, max(b.DeltaMaxZ, 0.01)}, Dashed: true},
		},
	}.Figure(fmt.Sprintf("Largest δ_z = %s, for z in %s.", F(b.DeltaMaxZ), HalfOpen(b.DeltaMaxZAt[0], b.DeltaMaxZAt[1])))
	if err != nil {
		return nil, err
	}
	verdict := fmt.Sprintf("Theorem 1 says err ≥ %s; the model's err is %s (slack %s).", F(b.Bound), F(b.Err), F(b.Slack))
	if b.Vacuous {
		verdict = fmt.Sprintf("Theorem 1's bound is %s ≤ 0 here, so it says nothing about this model; its err is %s.", F(b.Bound), F(b.Err))
	}
	return []Section{
		{Heading: "Theorem 1", Paragraphs: []string{verdict}, Tables: boundTables(name, b)},
		{Heading: "δ_z", Paragraphs: []string{"δ at the paper's threshold is one point of this curve; a model calibrated in Dawid's strong sense has δ_z = 0 everywhere."},
			Figures: []Figure{curve}},
	}, nil
}
