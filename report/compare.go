package report

import (
	"fmt"
	"io"

	"github.com/hallu-dev/hallu/score"
)

// Compare is the JSON form of a comparison (instances.Compare): several models on the
// same multiple-choice questions, side by side.
type Compare struct {
	PairBy string         `json:"pair_by"`
	Reps   int            `json:"bootstrap_reps"`
	Level  float64        `json:"interval_level"`
	Seed   uint64         `json:"seed"`
	Bins   int            `json:"ece_bins"`
	Models []CompareModel `json:"models"`
	Pairs  []ComparePair  `json:"pairs"`
}

// CompareModel is one model's figures on all its questions.
type CompareModel struct {
	Name           string  `json:"name"`
	Questions      int     `json:"questions"`
	Accuracy       float64 `json:"accuracy"`
	MeanConfidence float64 `json:"mean_confidence"`
	ECE            float64 `json:"ece"`
	// Bound holds err, err_iiv, δ, max_z δ_z, Theorem 1's bound, the best
	// threshold's err_iiv and Theorem 3's bound.
	Bound         Bound             `json:"bound"`
	DeltaCI       Interval          `json:"delta_ci"`
	Seed          uint64            `json:"seed"`
	DuplicateKeys int               `json:"duplicate_keys"`
	Calibration   score.Calibration `json:"calibration"`
}

// ComparePair is two models on the questions they share.
type ComparePair struct {
	A      string   `json:"a"`
	B      string   `json:"b"`
	Shared int      `json:"shared"`
	OnlyA  int      `json:"only_a"`
	OnlyB  int      `json:"only_b"`
	DeltaA float64  `json:"delta_a"`
	DeltaB float64  `json:"delta_b"`
	Diff   float64  `json:"delta_a_minus_b"`
	DiffCI Interval `json:"delta_a_minus_b_ci"`
	Seed   uint64   `json:"seed"`
}

// Interval is a bootstrap percentile interval.
type Interval struct {
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
}

func interval(i Interval) string { return "[" + F(i.Lo) + ", " + F(i.Hi) + "]" }

// compareTables returns the per-model and per-pair tables.
func compareTables(c Compare) (models, bounds, pairs Table) {
	pct := fmt.Sprintf("%g%%", 100*c.Level)
	models = Table{Title: "Calibration and δ (Kalai et al. 2025, Sections 3.1–3.2)",
		Header: []string{"model", "questions", "accuracy", "mean conf", fmt.Sprintf("ECE (%d bins)", c.Bins), "err", "err_iiv", "δ at 1/min|E_c|", "δ " + pct + " interval", "max_z δ_z"}}
	bounds = Table{Title: "Theorem 1 and Theorem 3 (Sections 3.2 and 3.3.2)",
		Header: []string{"model", "Theorem 1 bound", "Theorem 1", "best-threshold err_iiv", "Theorem 3 bound", "Theorem 3", "err"}}
	for _, m := range c.Models {
		b := m.Bound
		models.AddRow(m.Name, m.Questions, m.Accuracy, m.MeanConfidence, m.ECE, b.Err, b.ErrIIV, b.Delta, interval(m.DeltaCI), b.DeltaMaxZ)
		t1 := "bites"
		if b.Vacuous {
			t1 = "vacuous (≤ 0)"
		}
		opt, mc, t3 := "n/a", "n/a", "n/a (some question has several valid answers)"
		if b.MCBound != nil {
			opt, mc, t3 = F(*b.OptErrIIV), F(*b.MCBound), "bites"
			if *b.MCBound <= 0 {
				t3 = "vacuous (≤ 0)"
			}
		}
		bounds.AddRow(m.Name, b.Bound, t1, opt, mc, t3, b.Err)
	}
	pairs = Table{Title: "δ on shared questions, paired by " + c.PairBy + fmt.Sprintf(" (%d bootstrap resamples of the shared questions)", c.Reps),
		Header: []string{"A", "B", "shared", "only A", "only B", "δ_A", "δ_B", "δ_A − δ_B", pct + " interval"}}
	for _, p := range c.Pairs {
		pairs.AddRow(p.A, p.B, p.Shared, p.OnlyA, p.OnlyB, p.DeltaA, p.DeltaB, p.Diff, interval(p.DiffCI))
	}
	return models, bounds, pairs
}

// compareVerdicts says in words how often each theorem bites.
func compareVerdicts(c Compare) []string {
	vacuous, mcBites, both := 0, 0, 0
	for _, m := range c.Models {
		mc := m.Bound.MCBound != nil && *m.Bound.MCBound > 0
		if m.Bound.Vacuous {
			vacuous++
		}
		if mc {
			mcBites++
		}
		if m.Bound.Vacuous && mc {
			both++
		}
	}
	n := len(c.Models)
	return []string{
		fmt.Sprintf("Theorem 1's bound is vacuous (≤ 0) for %d of %d models; Theorem 3's bound is positive for %d of %d, including %d of those where Theorem 1 is vacuous.", vacuous, n, mcBites, n, both),
		"p̂ is each model's distribution restricted to the choices the benchmark offers (the softmax of their scores), not over all answers: err and δ describe the model on these choices only.",
	}
}

// compareText lists the tables of c in order, the verdicts and notes
// under the last, text and HTML alike.
func compareText(c Compare, notes []string) []Table {
	models, bounds, pairs := compareTables(c)
	tables := []Table{models, bounds}
	if len(c.Pairs) > 0 {
		tables = append(tables, pairs)
	}
	last := &tables[len(tables)-1]
	for i, s := range append(compareVerdicts(c), notes...) {
		if i == 0 {
			s = "\n" + "Note: " + s
		} else {
			s = "Note: " + s
		}
		last.Notes = append(last.Notes, s)
	}
	return tables
}

// WriteCompareText writes the tables of c and the verdicts as text.
func WriteCompareText(w io.Writer, c Compare, notes []string) error {
	return writeText(w, compareText(c, notes))
}

// ComparePage renders c as an HTML page: the tables, and the models'
// reliability diagrams and δ_z curves overlaid, one chart each.
func ComparePage(c Compare, notes, provenance []string) (Page, error) {
	tables := compareText(c, notes)
	var rel, curves []Series
	for k, m := range c.Models {
		var x, y []float64
		for _, b := range m.Calibration.Reliability {
			if b.N > 0 {
				x, y = append(x, b.MeanConfidence), append(y, b.Accuracy)
			}
		}
		rel = append(rel, Series{Name: m.Name, X: x, Y: y, Points: true, Palette: k + 1})
		x, y = nil, nil
		cv := m.Bound.Curve
		for i := len(cv) - 1; i >= 0; i-- { // ascending z
			x, y = append(x, cv[i].Low), append(y, cv[i].Delta)
		}
		if len(cv) > 0 {
			x, y = append(x, cv[0].High), append(y, cv[0].Delta)
		}
		curves = append(curves, Series{Name: m.Name, X: x, Y: y, Step: true, Palette: k + 1})
	}
	rel = append(rel, Series{Name: "perfect calibration", X: []float64{0, 1}, Y: []float64{0, 1}, Dashed: true, Palette: -1})
	relFig, err := Chart{Title: "Reliability diagrams", XLabel: "mean confidence of the chosen answer (bin)", YLabel: "accuracy (bin)",
		Series: rel, XMin: 0, XMax: 1, YMin: 0, YMax: 1, LegendLeft: true}.Figure("")
	if err != nil {
		return Page{}, err
	}
	if z, same := paperThreshold(c); same {
		top := 0.01
		for _, m := range c.Models {
			top = max(top, m.Bound.DeltaMaxZ)
		}
		curves = append(curves, Series{Name: "paper's threshold 1/min|E_c|", X: []float64{z, z}, Y: []float64{0, top}, Dashed: true, Palette: -1})
	}
	curveFig, err := Chart{Title: "δ_z at every threshold", XLabel: "threshold z", YLabel: "δ_z = |p̂(p̂ > z) − p(p̂ > z)|",
		Series: curves, XMin: 0, XMax: 1}.Figure("")
	if err != nil {
		return Page{}, err
	}
	sections := []Section{
		{Heading: "Models", Tables: tables[:2]},
		{Heading: "Reliability", Paragraphs: []string{fmt.Sprintf("Each point is one of %d equal-width bins of the chosen answer's p̂; points under the diagonal are overconfident.", c.Bins)},
			Figures: []Figure{relFig}},
		{Heading: "δ_z", Paragraphs: []string{"δ at the paper's threshold 1/min|E_c| is one point of each curve; a model calibrated in Dawid's strong sense has δ_z = 0 everywhere."},
			Figures: []Figure{curveFig}},
	}
	if len(tables) > 2 {
		sections = append(sections, Section{Heading: "Pairs", Tables: tables[2:]})
	}
	return Page{
		Title:      "hallu compare",
		Subtitle:   fmt.Sprintf("%d models on multiple-choice questions: calibration, δ and the bounds of Kalai et al. 2025 (Sections 3.1–3.2, 3.3.2).", len(c.Models)),
		Sections:   sections,
		Provenance: provenance,
	}, nil
}

// paperThreshold returns the models' threshold 1/min|E_c| and whether
// they all share it.
func paperThreshold(c Compare) (float64, bool) {
	if len(c.Models) == 0 {
		return 0, false
	}
	for _, m := range c.Models {
		if m.Bound.Threshold != c.Models[0].Bound.Threshold {
			return 0, false
		}
	}
	return c.Models[0].Bound.Threshold, true
}
