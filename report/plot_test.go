package report

import (
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"pgregory.net/rapid"
)

// checkFigures fails t for every figure of p whose legend covers data,
// whose markers are cut by the frame, or whose markers hide one another.
func checkFigures(t *testing.T, p Page) {
	t.Helper()
	for _, s := range p.Sections {
		for _, f := range s.Figures {
			if f.Geometry == nil {
				t.Errorf("section %q: a figure without geometry (not made by Chart.Figure)", s.Heading)
				continue
			}
			for _, msg := range append(f.Geometry.Problems(), f.Geometry.Hidden()...) {
				t.Errorf("section %q: %s", s.Heading, msg)
			}
		}
	}
}

// value draws a chart value, often one that tests the layout's edges: 0,
// negative, non-finite, huge, tiny, repeated.
func value(t *rapid.T, label string) float64 {
	return rapid.OneOf(
		rapid.SampledFrom([]float64{0, 1, -1, 0.5, math.NaN(), math.Inf(1), math.Inf(-1), 1e-300, 1e300, -1e300, 71, 26645}),
		rapid.Float64Range(-10, 10),
		rapid.Float64Range(0, 1),
	).Draw(t, label)
}

// TestChartTotal renders random charts, degenerate ones included, and
// checks that each renders, keeps its legend off the data and inside the
// canvas, and keeps every marker inside the frame.
func TestChartTotal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := Chart{
			Title: "t", XLabel: "x", YLabel: "y",
			LogX: rapid.Bool().Draw(t, "logx"), LogY: rapid.Bool().Draw(t, "logy"),
			XMin: value(t, "xmin"), XMax: value(t, "xmax"), YMin: value(t, "ymin"), YMax: value(t, "ymax"),
			LegendLeft: rapid.Bool().Draw(t, "left"), LegendBottom: rapid.Bool().Draw(t, "bottom"),
		}
		for range rapid.IntRange(0, 5).Draw(t, "series") {
			n := rapid.IntRange(0, 8).Draw(t, "n")
			s := Series{
				Name:   rapid.SampledFrom([]string{"", "s", "a rather long series name, as models have"}).Draw(t, "name"),
				Points: rapid.Bool().Draw(t, "points"), Step: rapid.Bool().Draw(t, "step"), Dashed: rapid.Bool().Draw(t, "dashed"),
				Palette: rapid.IntRange(-1, 9).Draw(t, "palette"),
			}
			band := rapid.Bool().Draw(t, "band")
			for range n {
				s.X = append(s.X, value(t, "x"))
				s.Y = append(s.Y, value(t, "y"))
				if band {
					s.Lo, s.Hi = append(s.Lo, value(t, "lo")), append(s.Hi, value(t, "hi"))
				}
			}
			c.Series = append(c.Series, s)
		}
		f, err := c.Figure("caption")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(f.SVG), "<svg") {
			t.Fatalf("not an SVG: %.80s", f.SVG)
		}
		if p := f.Geometry.Problems(); p != nil {
			t.Fatal(p)
		}
	})
}

// TestLegendAvoidsData puts data in every corner and the middle of every
// edge: the legend must go below the plot, and the canvas grow for it.
func TestLegendAvoidsData(t *testing.T) {
	xs := []float64{0, 0.5, 1, 0, 1, 0, 0.5, 1}
	ys := []float64{0, 0, 0, 0.5, 0.5, 1, 1, 1}
	f, err := Chart{Series: []Series{{Name: "everywhere", X: xs, Y: ys, Points: true}}}.Figure("")
	if err != nil {
		t.Fatal(err)
	}
	g := f.Geometry
	if !g.LegendBelow || g.Legend.Max.Y > g.Data.Min.Y {
		t.Errorf("legend at %v, data at %v: want it below", g.Legend, g.Data)
	}
	if want := 12 * vg.Centimeter; g.Canvas.Max.Y <= want {
		t.Errorf("canvas height %v, want more than %v", g.Canvas.Max.Y, want)
	}
	if p := g.Problems(); p != nil {
		t.Error(p)
	}

	// One point in the top right: the legend moves to the top left.
	f, err = Chart{Series: []Series{{Name: "one", X: []float64{0, 1}, Y: []float64{0, 1}, Points: true}}}.Figure("")
	if err != nil {
		t.Fatal(err)
	}
	g = f.Geometry
	if g.LegendBelow || g.Legend.Min.X > g.Data.Min.X+10 || g.Legend.Max.Y < g.Data.Max.Y-10 {
		t.Errorf("legend at %v in data area %v: want the top left corner", g.Legend, g.Data)
	}
}

// TestSideBySide checks that markers of different series on one spot are
// set apart by more than a marker's width, around the spot.
func TestSideBySide(t *testing.T) {
	f, err := Chart{Series: []Series{
		{Name: "err", X: []float64{3, 9}, Y: []float64{0.5, 0.5}, Points: true},
		{Name: "bound", X: []float64{3, 9}, Y: []float64{0.5, 0.25}, Points: true},
	}}.Figure("")
	if err != nil {
		t.Fatal(err)
	}
	m := f.Geometry.Markers
	if len(m) != 4 {
		t.Fatalf("%d markers, want 4", len(m))
	}
	a, b := centre(m[0].Box), centre(m[2].Box) // (3, 0.5) of each series
	if a.Y != b.Y || b.X-a.X < 2*markerRadius {
		t.Errorf("markers at %v and %v: want side by side, %v apart at least", a, b, 2*markerRadius)
	}
	if c, d := centre(m[1].Box), centre(m[3].Box); c.X != d.X { // (9, 0.5) and (9, 0.25) do not collide
		t.Errorf("markers at different heights moved: %v, %v", c, d)
	}
	if h := f.Geometry.Hidden(); h != nil {
		t.Error(h)
	}
}

// TestLogTicks checks the labels of log axes: the audit's j from 1 to 71
// is labelled 1, 2, 5, 10, 20, 50; nine decades only at powers of ten.
func TestLogTicks(t *testing.T) {
	labels := func(lo, hi float64) []string {
		var out []string
		for _, tk := range (logTicks{}).Ticks(math.Log10(lo), math.Log10(hi)) {
			if tk.Label != "" {
				out = append(out, tk.Label)
			}
		}
		return out
	}
	for _, tc := range []struct {
		lo, hi float64
		want   []string
	}{
		{0.8, 80, []string{"1", "2", "5", "10", "20", "50"}},
		{0.9, 30000, []string{"1", "10", "100", "1000", "10000"}},
		{100, 1e9, []string{"100", "1000", "10000", "10⁵", "10⁶", "10⁷", "10⁸", "10⁹"}},
		{0.45, 0.9, []string{"0.5", "0.6", "0.7", "0.8", "0.9"}},
		{100, 100.5, []string{"100", "100.5"}},
	} {
		if got := labels(tc.lo, tc.hi); !slices.Equal(got, tc.want) {
			t.Errorf("[%g, %g]: labels %q, want %q", tc.lo, tc.hi, got, tc.want)
		}
	}
}

// TestSegmentAndPolygonHits checks the intersection tests on cases worked
// by hand.
func TestSegmentAndPolygonHits(t *testing.T) {
	r := vg.Rectangle{Min: vg.Point{X: 10, Y: 10}, Max: vg.Point{X: 20, Y: 20}}
	pt := func(x, y vg.Length) vg.Point { return vg.Point{X: x, Y: y} }
	for _, tc := range []struct {
		a, b vg.Point
		want bool
	}{
		{pt(0, 0), pt(30, 30), true},   // through the diagonal
		{pt(0, 15), pt(5, 15), false},  // stops short
		{pt(15, 15), pt(16, 16), true}, // wholly inside
		{pt(0, 21), pt(30, 21), false}, // passes above
		{pt(0, 29), pt(29, 0), true},   // cuts the top-right corner region: x + y = 29 meets (10..20)²
		{pt(0, 41), pt(41, 0), false},  // x + y = 41 misses it
		{pt(15, 0), pt(15, 5), false},  // vertical, below
	} {
		if got := segmentHits(tc.a, tc.b, r); got != tc.want {
			t.Errorf("segment %v–%v: hits %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	around := []vg.Point{pt(0, 0), pt(100, 0), pt(100, 100), pt(0, 100)}
	apart := []vg.Point{pt(50, 50), pt(60, 50), pt(60, 60)}
	if !polygonHits(around, r) {
		t.Error("a polygon around the rectangle does not hit it")
	}
	if polygonHits(apart, r) {
		t.Error("a polygon away from the rectangle hits it")
	}
}
