package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Geometry is where a rendered chart's parts landed, in points from the
// bottom-left corner of its canvas, as gonum/plot placed them.
type Geometry struct {
	Canvas vg.Rectangle
	// Data is the data area: the rectangle the axes frame.
	Data vg.Rectangle
	// Legend is the legend's box, empty when the chart has none;
	// LegendBelow says it was put below the plot, there being no free
	// place inside.
	Legend      vg.Rectangle
	LegendBelow bool
	Markers     []Marker
	// Lines are the polylines drawn (steps expanded), Bands the shaded
	// polygons.
	Lines, Bands [][]vg.Point
}

// Marker is one marker drawn: its series and its bounding box.
type Marker struct {
	Series int
	Box    vg.Rectangle
}

// Problems lists what a reader would notice: a legend over a marker, line
// or band, or sticking out of the canvas; a marker cut by the frame of the
// data area. Nil means none.
func (g *Geometry) Problems() []string {
	var out []string
	if g.Legend != (vg.Rectangle{}) {
		if what := g.hits(g.Legend); what != "" {
			out = append(out, "the legend covers "+what)
		}
		if !inside(g.Legend, g.Canvas) {
			out = append(out, "the legend sticks out of the canvas")
		}
	}
	for i, m := range g.Markers {
		if !inside(m.Box, g.Data) {
			out = append(out, fmt.Sprintf("marker %d of series %d at %v is cut by the frame %v", i, m.Series, m.Box, g.Data))
		}
	}
	return out
}

// Hidden lists the markers that lie within a marker's radius of one of
// another series, so that one all but hides the other. Markers on one
// spot are set side by side, so this happens only where spots nearly
// coincide.
func (g *Geometry) Hidden() []string {
	var out []string
	for i, m := range g.Markers {
		for _, n := range g.Markers[:i] {
			if n.Series != m.Series && distance(centre(n.Box), centre(m.Box)) < markerRadius {
				out = append(out, fmt.Sprintf("markers of series %d and %d hide each other at %v", n.Series, m.Series, centre(m.Box)))
			}
		}
	}
	return out
}

// hits names the first marker, line or band that r overlaps, or "".
func (g *Geometry) hits(r vg.Rectangle) string {
	for _, m := range g.Markers {
		if overlaps(r, m.Box) {
			return fmt.Sprintf("a marker of series %d at %v", m.Series, centre(m.Box))
		}
	}
	for i, l := range g.Lines {
		for j := range l {
			if j > 0 && segmentHits(l[j-1], l[j], r) || len(l) == 1 && contains(r, l[0]) {
				return fmt.Sprintf("line %d near %v", i, l[j])
			}
		}
	}
	for i, b := range g.Bands {
		if polygonHits(b, r) {
			return fmt.Sprintf("band %d", i)
		}
	}
	return ""
}

// legendEntry is a legend line: a name and its thumbnail.
type legendEntry struct {
	name  string
	thumb plot.Thumbnailer
}

// legendInset is the margin inside the legend's box, legendGap the space
// between its entries.
const (
	legendInset = vg.Length(4)
	legendGap   = vg.Length(2)
)

// legendOf makes a gonum legend of entries, drawn from the top left of the
// canvas it is given.
func legendOf(entries []legendEntry) plot.Legend {
	l := plot.NewLegend()
	l.Top, l.Left = true, true
	l.Padding = legendGap
	for _, e := range entries {
		l.Add(e.name, e.thumb)
	}
	return l
}

// legendSize is the size of the legend's box, computed as gonum's
// Legend.Draw lays the entries out.
func legendSize(entries []legendEntry) (w, h vg.Length) {
	l := legendOf(entries)
	sty := l.TextStyle
	em := sty.Rectangle(" ").Max.X
	var enth vg.Length
	for _, e := range entries {
		r := sty.Rectangle(e.name)
		w = max(w, l.ThumbnailWidth+em+r.Max.X)
		enth = max(enth, r.Max.Y)
	}
	h = vg.Length(len(entries))*enth + vg.Length(max(len(entries)-1, 0))*legendGap + sty.FontExtents().Descent
	return w + 2*legendInset, h + 2*legendInset
}

// layout is a chart ready to draw: the plot, its legend, its geometry, and
// the height of the strip below the plot that holds the legend (0 when
// the legend fits inside).
type layout struct {
	plot    *plot.Plot
	entries []legendEntry
	geom    Geometry
	strip   vg.Length
}

// layout widens the axes until every marker lies inside the data area,
// sets apart markers of different series on one spot, and places the
// legend where it covers nothing.
func (c Chart) layout(w, h vg.Length) layout {
	xr, yr := c.dataRange()
	var l layout
	for pad := 0.04; ; pad += 0.04 {
		p, entries := c.build(padRange(xr, pad), padRange(yr, pad))
		dc := p.DataCanvas(draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: w, Y: h}}})
		marks := c.marks(p, dc)
		l = layout{plot: p, entries: entries, geom: c.geometry(p, dc, marks)}
		l.geom.Canvas = vg.Rectangle{Max: vg.Point{X: w, Y: h}}
		p.Add(markLayer(marks))
		fits := true
		for _, m := range l.geom.Markers {
			fits = fits && inside(m.Box, l.geom.Data)
		}
		if fits || pad > 0.4 {
			break
		}
	}
	if len(l.entries) > 0 {
		l.placeLegend(c.LegendLeft, c.LegendBottom)
	}
	return l
}

// placeLegend puts the legend in the first free spot of the data area,
// trying the preferred corner first, or below the plot.
func (l *layout) placeLegend(left, bottom bool) {
	lw, lh := legendSize(l.entries)
	d := insetRect(l.geom.Data, 2)
	xs := []vg.Length{d.Max.X - lw, d.Min.X, (d.Min.X + d.Max.X - lw) / 2}
	ys := []vg.Length{d.Max.Y - lh, d.Min.Y, (d.Min.Y + d.Max.Y - lh) / 2}
	if left {
		xs[0], xs[1] = xs[1], xs[0]
	}
	if bottom {
		ys[0], ys[1] = ys[1], ys[0]
	}
	// Corners, then the middles of the top and bottom edges, then of the sides.
	spots := [][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}, {2, 0}, {2, 1}, {0, 2}, {1, 2}}
	if lw <= d.Size().X && lh <= d.Size().Y {
		for _, s := range spots {
			r := vg.Rectangle{Min: vg.Point{X: xs[s[0]], Y: ys[s[1]]}, Max: vg.Point{X: xs[s[0]] + lw, Y: ys[s[1]] + lh}}
			if l.geom.hits(insetRect(r, -2)) == "" {
				l.geom.Legend = r
				return
			}
		}
	}
	// Below the plot: move the plot up by a strip that holds the legend.
	const gap = 4
	l.strip = lh + 2*gap
	l.geom.shift(l.strip)
	x := max(0, min(l.geom.Data.Min.X, l.geom.Canvas.Max.X-lw))
	l.geom.Legend = vg.Rectangle{Min: vg.Point{X: x, Y: gap}, Max: vg.Point{X: x + lw, Y: gap + lh}}
	l.geom.LegendBelow = true
	if l.geom.Legend.Max.X > l.geom.Canvas.Max.X {
		l.geom.Canvas.Max.X = l.geom.Legend.Max.X
	}
}

// shift moves the plot's geometry up by dy and makes the canvas as much
// taller.
func (g *Geometry) shift(dy vg.Length) {
	up := vg.Point{Y: dy}
	g.Canvas.Max.Y += dy
	g.Data = g.Data.Add(up)
	for i := range g.Markers {
		g.Markers[i].Box = g.Markers[i].Box.Add(up)
	}
	for _, ls := range [][][]vg.Point{g.Lines, g.Bands} {
		for _, l := range ls {
			for i := range l {
				l[i] = l[i].Add(up)
			}
		}
	}
}

// dataRange is the range of every drawable value, and of the fixed ranges
// the chart asks for, per axis.
func (c Chart) dataRange() (xr, yr [2]float64) {
	xr, yr = [2]float64{math.Inf(1), math.Inf(-1)}, [2]float64{math.Inf(1), math.Inf(-1)}
	take := func(r *[2]float64, v float64) { r[0], r[1] = min(r[0], v), max(r[1], v) }
	for _, s := range c.Series {
		xy, lo, hi := c.drawable(s)
		for _, pts := range []plotter.XYs{xy, lo, hi} {
			for _, p := range pts {
				take(&xr, p.X)
				take(&yr, p.Y)
			}
		}
	}
	fixed := func(r *[2]float64, lo, hi float64, log bool) {
		lo, oklo := axisValue(lo, log)
		hi, okhi := axisValue(hi, log)
		if oklo && okhi && lo != hi {
			take(r, lo)
			take(r, hi)
		}
	}
	fixed(&xr, c.XMin, c.XMax, c.LogX)
	fixed(&yr, c.YMin, c.YMax, c.LogY)
	return widen(xr, c.LogX), widen(yr, c.LogY)
}

// widen gives an empty or one-point range (in plot coordinates) some
// width: [0, 1], or [1, 10] on a log axis, when there is no data; a
// factor of 2 either side of a single value on a log axis.
func widen(r [2]float64, log bool) [2]float64 {
	switch {
	case r[0] > r[1]:
		return [2]float64{0, 1}
	case r[0] == r[1] && log:
		return [2]float64{r[0] - math.Log10(2), r[1] + math.Log10(2)}
	case r[0] == r[1]:
		d := max(math.Abs(r[0])/2, 0.5)
		return [2]float64{r[0] - d, r[1] + d}
	}
	return r
}

// padRange widens r by the fraction pad of its span on each side, unless
// that would overflow.
func padRange(r [2]float64, pad float64) [2]float64 {
	s := r[1] - r[0]
	out := [2]float64{r[0] - pad*s, r[1] + pad*s}
	if math.IsInf(out[0], 0) || math.IsInf(out[1], 0) || math.IsNaN(out[0]) || math.IsNaN(out[1]) {
		return r
	}
	return out
}

// marks places the markers of every Points series on the data canvas dc,
// setting side by side markers of different series that would land within
// a marker's radius of each other.
func (c Chart) marks(p *plot.Plot, dc draw.Canvas) []mark {
	tx, ty := p.Transforms(&dc)
	var marks []mark
	type cluster struct {
		at     vg.Point
		series []int
		idx    []int
	}
	var clusters []*cluster
	for i, s := range c.Series {
		if !s.Points {
			continue
		}
		xy, _, _ := c.drawable(s)
		style := markStyle(i, colour(i, s))
		for _, pt := range xy {
			at := vg.Point{X: tx(pt.X), Y: ty(pt.Y)}
			marks = append(marks, mark{x: pt.X, y: pt.Y, style: style, series: i})
			var home *cluster
			for _, cl := range clusters {
				if distance(cl.at, at) < markerRadius {
					home = cl
					break
				}
			}
			if home == nil {
				home = &cluster{at: at}
				clusters = append(clusters, home)
			}
			home.idx = append(home.idx, len(marks)-1)
			if !slices.Contains(home.series, i) {
				home.series = append(home.series, i)
			}
		}
	}
	step := 2*markerRadius + 1
	for _, cl := range clusters {
		k := len(cl.series)
		for _, m := range cl.idx {
			q := slices.Index(cl.series, marks[m].series)
			marks[m].dx = (vg.Length(q) - vg.Length(k-1)/2) * step
		}
	}
	return marks
}

// geometry computes where the markers, lines and bands land on dc.
func (c Chart) geometry(p *plot.Plot, dc draw.Canvas, marks []mark) Geometry {
	tx, ty := p.Transforms(&dc)
	g := Geometry{Data: dc.Rectangle}
	r := vg.Point{X: markerRadius, Y: markerRadius}
	for _, m := range marks {
		at := vg.Point{X: tx(m.x) + m.dx, Y: ty(m.y)}
		g.Markers = append(g.Markers, Marker{Series: m.series, Box: vg.Rectangle{Min: at.Sub(r), Max: at.Add(r)}})
	}
	for _, s := range c.Series {
		xy, lo, hi := c.drawable(s)
		if !s.Points && len(xy) > 0 {
			var line []vg.Point
			for i, pt := range xy {
				if s.Step && i > 0 {
					line = append(line, vg.Point{X: tx(pt.X), Y: ty(xy[i-1].Y)})
				}
				line = append(line, vg.Point{X: tx(pt.X), Y: ty(pt.Y)})
			}
			g.Lines = append(g.Lines, line)
		}
		if len(lo) >= 2 {
			var band []vg.Point
			for _, pt := range append(lo, reversed(hi)...) {
				band = append(band, vg.Point{X: tx(pt.X), Y: ty(pt.Y)})
			}
			g.Bands = append(g.Bands, band)
		}
	}
	return g
}

// logTicks labels a log axis, whose plot coordinates are log₁₀ of the
// values, densely enough to read a value off it: at 1, 2, 5 × 10^k over
// fewer than three decades, at every mantissa over less than one, at
// powers of ten (every other one beyond eight decades) otherwise, with
// unlabelled ticks in between.
type logTicks struct{}

// Ticks implements plot.Ticker; lo10 and hi10 are log₁₀ of the range.
func (logTicks) Ticks(lo10, hi10 float64) []plot.Tick {
	if !(hi10 > lo10) || hi10-lo10 > 600 {
		return nil
	}
	lo, hi := math.Pow(10, lo10), math.Pow(10, hi10)
	decades := hi10 - lo10
	labelled := func(m, e int) bool { return m == 1 && (decades <= 8 || e%2 == 0) }
	switch {
	case decades < 1:
		labelled = func(int, int) bool { return true }
	case decades < 3:
		labelled = func(m, _ int) bool { return m == 1 || m == 2 || m == 5 }
	}
	var ticks []plot.Tick
	minor := decades <= 8
	for e := int(math.Floor(lo10)); e <= int(math.Ceil(hi10)); e++ {
		for m := 1; m <= 9; m++ {
			if m > 1 && !minor {
				break
			}
			v, _ := strconv.ParseFloat(fmt.Sprintf("%de%d", m, e), 64)
			if l := math.Log10(v); l < lo10-1e-9 || l > hi10+1e-9 {
				continue
			}
			t := plot.Tick{Value: math.Log10(v)}
			if labelled(m, e) {
				t.Label = tickLabel(v, m, e)
			}
			ticks = append(ticks, t)
		}
	}
	n := 0
	for _, t := range ticks {
		if t.Label != "" {
			n++
		}
	}
	if n < 2 { // a range narrower than two labels: label its ends only
		for i := range ticks {
			ticks[i].Label = ""
		}
		ticks = append(ticks, plot.Tick{Value: lo10, Label: strconv.FormatFloat(lo, 'g', 4, 64)}, plot.Tick{Value: hi10, Label: strconv.FormatFloat(hi, 'g', 4, 64)})
	}
	return ticks
}

// tickLabel writes m·10^e (= v) plainly between 0.001 and 100000, and as
// a power of ten beyond.
func tickLabel(v float64, m, e int) string {
	if v >= 1e-3 && v < 1e5 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	p := "10" + superscript(e)
	if m != 1 {
		p = strconv.Itoa(m) + "·" + p
	}
	return p
}

func superscript(n int) string {
	const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹"
	var b strings.Builder
	if n < 0 {
		b.WriteString("⁻")
		n = -n
	}
	for _, d := range strconv.Itoa(n) {
		b.WriteString(string([]rune(digits)[d-'0']))
	}
	return b.String()
}

// Plane geometry on the canvas.

func insetRect(r vg.Rectangle, d vg.Length) vg.Rectangle {
	return vg.Rectangle{Min: vg.Point{X: r.Min.X + d, Y: r.Min.Y + d}, Max: vg.Point{X: r.Max.X - d, Y: r.Max.Y - d}}
}

func inside(a, b vg.Rectangle) bool {
	return a.Min.X >= b.Min.X && a.Min.Y >= b.Min.Y && a.Max.X <= b.Max.X && a.Max.Y <= b.Max.Y
}

func overlaps(a, b vg.Rectangle) bool {
	return a.Min.X < b.Max.X && b.Min.X < a.Max.X && a.Min.Y < b.Max.Y && b.Min.Y < a.Max.Y
}

func contains(r vg.Rectangle, p vg.Point) bool {
	return p.X >= r.Min.X && p.X <= r.Max.X && p.Y >= r.Min.Y && p.Y <= r.Max.Y
}

func centre(r vg.Rectangle) vg.Point {
	return vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}
}

func distance(a, b vg.Point) vg.Length {
	return vg.Length(math.Hypot(float64(a.X-b.X), float64(a.Y-b.Y)))
}

// segmentHits reports whether the segment from a to b meets r
// (Liang–Barsky clipping).
func segmentHits(a, b vg.Point, r vg.Rectangle) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	for _, e := range [4][2]float64{
		{-dx, float64(a.X - r.Min.X)}, {dx, float64(r.Max.X - a.X)},
		{-dy, float64(a.Y - r.Min.Y)}, {dy, float64(r.Max.Y - a.Y)},
	} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return false
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = max(t0, t)
		} else {
			t1 = min(t1, t)
		}
		if t0 > t1 {
			return false
		}
	}
	return true
}

// polygonHits reports whether the polygon poly meets r: an edge crosses
// r, or r lies inside poly.
func polygonHits(poly []vg.Point, r vg.Rectangle) bool {
	for i := range poly {
		if segmentHits(poly[i], poly[(i+1)%len(poly)], r) {
			return true
		}
	}
	// No edge meets r: r is wholly inside or wholly outside; test its centre
	// by the even–odd rule.
	c, in := centre(r), false
	for i, j := 0, len(poly)-1; i < len(poly); j, i = i, i+1 {
		a, b := poly[i], poly[j]
		if (a.Y > c.Y) != (b.Y > c.Y) && c.X < a.X+(b.X-a.X)*(c.Y-a.Y)/(b.Y-a.Y) {
			in = !in
		}
	}
	return in
}
