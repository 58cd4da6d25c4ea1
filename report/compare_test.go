package report

import (
	"testing"

	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/score"
	"pgregory.net/rapid"
)

// compareModel draws one model of a comparison: reliability bins and a
// δ_z curve, degenerate ones favoured (none, one, equal values, the
// corners 0 and 1).
func compareModel(t *rapid.T, name string, threshold float64) CompareModel {
	unit := rapid.SampledFrom([]float64{0, 0.25, 0.5, 0.99, 1})
	m := CompareModel{Name: name, Bound: Bound{Threshold: threshold}}
	for range rapid.IntRange(0, 10).Draw(t, "bins") {
		m.Calibration.Reliability = append(m.Calibration.Reliability, score.Bin{
			N: rapid.IntRange(0, 3).Draw(t, "n"), MeanConfidence: unit.Draw(t, "conf"), Accuracy: unit.Draw(t, "acc")})
	}
	lo := 0.0
	for range rapid.IntRange(0, 4).Draw(t, "steps") { // descending z, as iiv gives them
		hi := min(lo+unit.Draw(t, "width"), 1)
		dz := unit.Draw(t, "dz")
		m.Bound.Curve = append([]iiv.CurvePoint{{Low: lo, High: hi, Delta: dz}}, m.Bound.Curve...)
		m.Bound.DeltaMaxZ = max(m.Bound.DeltaMaxZ, dz)
		lo = hi
	}
	return m
}

// TestComparePageTotal renders random comparisons and checks that both
// charts carry their geometry and pass its checks: the legend off the
// data and inside the canvas, every marker inside the frame.
func TestComparePageTotal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := Compare{Bins: 10}
		shared := rapid.Bool().Draw(t, "shared threshold") // draws the paper's threshold line
		for i := range rapid.IntRange(1, 4).Draw(t, "models") {
			z := 0.25
			if !shared {
				z = rapid.SampledFrom([]float64{0, 0.25, 1}).Draw(t, "threshold")
			}
			c.Models = append(c.Models, compareModel(t, string(rune('A'+i)), z))
		}
		p, err := ComparePage(c, nil, nil)
		renders(t, p, err)
		figures := 0
		for _, s := range p.Sections {
			figures += len(s.Figures)
		}
		if figures != 2 {
			t.Fatalf("%d figures, want the reliability diagrams and the δ_z curves", figures)
		}
	})
}

// TestComparePage checks a comparison page of two models: its HTML, its
// two charts and their geometry, with a bin of the same confidence and
// accuracy in both models, whose markers must be set side by side.
func TestComparePage(t *testing.T) {
	model := func(name string, acc float64) CompareModel {
		return CompareModel{Name: name,
			Calibration: score.Calibration{Reliability: []score.Bin{
				{N: 3, MeanConfidence: 0.35, Accuracy: 0.5}, {N: 0}, {N: 5, MeanConfidence: 0.75, Accuracy: acc}}},
			Bound: Bound{Threshold: 0.25, DeltaMaxZ: 0.3,
				Curve: []iiv.CurvePoint{{Low: 0.5, High: 1, Delta: 0.1}, {Low: 0, High: 0.5, Delta: 0.3}}}}
	}
	c := Compare{Bins: 10, Models: []CompareModel{model("base", 0.5), model("chat", 0.9)}}
	p, err := ComparePage(c, []string{"a note"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkPage(t, p, 2, "Reliability diagrams", "δ_z at every threshold", "base", "chat", "a note")
}
