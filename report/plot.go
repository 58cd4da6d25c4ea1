package report

import (
	"bytes"
	"fmt"
	"html/template"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Series is one line of a Chart.
type Series struct {
	Name string
	X, Y []float64
	// Step draws a step function: Y[i] holds from X[i] to X[i+1].
	Step bool
	// Points draws markers instead of a line.
	Points bool
	// Dashed draws a dashed line (for references such as bounds or y = x),
	// over the solid lines, so that it shows where it coincides with one.
	Dashed bool
	// Lo and Hi, when set (one value per X), draw a shaded band between
	// them under the line or points: an interval or a pair of bounds.
	Lo, Hi []float64
	// Palette picks the colour: 0 by the series' position, k > 0 the
	// palette's k-th colour (to match another series), -1 grey for
	// reference lines.
	Palette int
}

// Chart describes a 2-D plot rendered as inline SVG by gonum.org/v1/plot.
//
// The axes always take in every drawable value (a fixed range is widened
// to fit the data, never cuts it) and leave a margin so that no marker
// touches the frame. Points of different series that would land on one
// spot are set side by side. The legend goes in a part of the data area
// that holds no marker, line or band, or below the plot when there is
// none. Values a log axis cannot show (≤ 0) and non-finite values are left
// out, so that every chart of valid results renders.
type Chart struct {
	Title, XLabel, YLabel string
	Series                []Series
	LogX, LogY            bool
	// XMin… give the axis ranges to show at least (NaN or equal means
	// the data's range alone).
	XMin, XMax, YMin, YMax float64
	// Width and Height in centimetres; 0 means 22 × 12.
	Width, Height float64
	// LegendLeft and LegendBottom name the corner of the data area tried
	// first for the legend (default: top right).
	LegendLeft, LegendBottom bool
}

// grey draws reference lines (bounds, diagonals).
var grey = color.RGBA{90, 90, 90, 255}

// glyphs tell apart the points of different series where they overlap.
var glyphs = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.RingGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}}

// palette is colour-blind-safe (Okabe–Ito).
var palette = []color.RGBA{
	{0, 114, 178, 255}, {213, 94, 0, 255}, {0, 158, 115, 255}, {204, 121, 167, 255},
	{230, 159, 0, 255}, {86, 180, 233, 255}, {240, 228, 66, 255}, {0, 0, 0, 255},
}

// markerRadius is the radius of every marker.
const markerRadius = vg.Length(3.5)

func init() {
	plot.DefaultFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
}

// SVG renders the chart as an SVG document for inline use in HTML.
func (c Chart) SVG() (template.HTML, error) {
	svg, _, err := c.render()
	return svg, err
}

// Figure renders the chart as a Figure with caption, keeping where its
// legend and data landed (Geometry) for checks.
func (c Chart) Figure(caption string) (Figure, error) {
	svg, g, err := c.render()
	if err != nil {
		return Figure{}, err
	}
	return Figure{SVG: svg, Caption: caption, Geometry: g}, nil
}

// colour returns the colour of the i-th series s.
func colour(i int, s Series) color.RGBA {
	switch {
	case s.Palette > 0:
		return palette[(s.Palette-1)%len(palette)]
	case s.Palette < 0:
		return grey
	}
	return palette[i%len(palette)]
}

// render draws the chart and returns the SVG and its geometry.
func (c Chart) render() (template.HTML, *Geometry, error) {
	for _, s := range c.Series {
		if len(s.X) != len(s.Y) {
			return "", nil, fmt.Errorf("chart %q: series %q has %d x and %d y values", c.Title, s.Name, len(s.X), len(s.Y))
		}
		if (s.Lo != nil || s.Hi != nil) && (len(s.Lo) != len(s.X) || len(s.Hi) != len(s.X)) {
			return "", nil, fmt.Errorf("chart %q: series %q has %d x but %d low and %d high values", c.Title, s.Name, len(s.X), len(s.Lo), len(s.Hi))
		}
	}
	w, h := c.Width, c.Height
	if w == 0 {
		w, h = 22, 12
	}
	l := c.layout(vg.Length(w)*vg.Centimeter, vg.Length(h)*vg.Centimeter)

	canvas := vgsvg.New(l.geom.Canvas.Max.X, l.geom.Canvas.Max.Y)
	full := draw.New(canvas)
	l.plot.Draw(draw.Crop(full, 0, 0, l.strip, 0))
	if len(l.entries) > 0 {
		box := l.geom.Legend
		full.SetColor(color.White)
		full.Fill(box.Path())
		full.SetLineStyle(draw.LineStyle{Color: color.Gray{200}, Width: vg.Points(0.5)})
		full.Stroke(box.Path())
		legend := legendOf(l.entries)
		legend.Draw(draw.Canvas{Canvas: full.Canvas, Rectangle: insetRect(box, legendInset)})
	}
	var b bytes.Buffer
	if _, err := canvas.WriteTo(&b); err != nil {
		return "", nil, err
	}
	// Drop the XML prolog: the SVG is inlined in HTML.
	svg := b.Bytes()
	if i := bytes.Index(svg, []byte("<svg")); i > 0 {
		svg = svg[i:]
	}
	return template.HTML(svg), &l.geom, nil
}

// drawable returns the points of s that the chart's axes can show, in
// plot coordinates: a log axis is drawn as a linear axis over log₁₀ of the
// values (labelled with the values by logTicks), so that no value reaches
// gonum's LogScale, which panics on one ≤ 0.
func (c Chart) drawable(s Series) (xy plotter.XYs, lo, hi plotter.XYs) {
	at := func(x, y float64) (plotter.XY, bool) {
		x, okx := axisValue(x, c.LogX)
		y, oky := axisValue(y, c.LogY)
		return plotter.XY{X: x, Y: y}, okx && oky
	}
	for j := range s.X {
		if p, ok := at(s.X[j], s.Y[j]); ok {
			xy = append(xy, p)
		}
		if s.Lo != nil {
			l, okl := at(s.X[j], s.Lo[j])
			h, okh := at(s.X[j], s.Hi[j])
			if okl && okh {
				lo, hi = append(lo, l), append(hi, h)
			}
		}
	}
	return xy, lo, hi
}

// axisValue is v in plot coordinates on a linear or log axis, and whether
// the axis can show it.
func axisValue(v float64, log bool) (float64, bool) {
	if log {
		if !(v > 0) {
			return 0, false
		}
		v = math.Log10(v)
	}
	return v, !math.IsNaN(v) && !math.IsInf(v, 0)
}

// build makes the gonum plot on the given axis ranges: bands first, then
// solid lines, then dashed lines (layout adds the markers on top).
func (c Chart) build(xr, yr [2]float64) (*plot.Plot, []legendEntry) {
	p := plot.New()
	p.Title.Text = c.Title
	p.X.Label.Text = c.XLabel
	p.Y.Label.Text = c.YLabel
	p.X.Min, p.X.Max = xr[0], xr[1]
	p.Y.Min, p.Y.Max = yr[0], yr[1]
	if c.LogX {
		p.X.Tick.Marker = logTicks{}
	}
	if c.LogY {
		p.Y.Tick.Marker = logTicks{}
	}
	p.Add(plotter.NewGrid())
	var solid, dashed []plot.Plotter
	var entries []legendEntry
	for i, s := range c.Series {
		col := colour(i, s)
		xy, lo, hi := c.drawable(s)
		if len(lo) >= 2 {
			poly, err := plotter.NewPolygon(append(lo, reversed(hi)...))
			if err == nil {
				poly.Color = color.NRGBA{col.R, col.G, col.B, 48}
				poly.LineStyle.Width = 0
				p.Add(poly)
			}
		}
		if s.Points {
			if s.Name != "" {
				entries = append(entries, legendEntry{s.Name, glyphThumb(markStyle(i, col))})
			}
			continue
		}
		if len(xy) == 0 {
			continue
		}
		line, err := plotter.NewLine(xy)
		if err != nil {
			continue // NewLine refuses only non-finite values, removed above
		}
		line.Color = col
		line.Width = vg.Points(1.5)
		if s.Step {
			line.StepStyle = plotter.PostStep
		}
		if s.Dashed {
			line.Width = vg.Points(1.75)
			line.Dashes = []vg.Length{vg.Points(5), vg.Points(4)}
			dashed = append(dashed, line)
		} else {
			solid = append(solid, line)
		}
		if s.Name != "" {
			entries = append(entries, legendEntry{s.Name, line})
		}
	}
	p.Add(solid...)
	p.Add(dashed...)
	return p, entries
}

// markStyle is the marker of the i-th series.
func markStyle(i int, col color.RGBA) draw.GlyphStyle {
	return draw.GlyphStyle{Color: col, Radius: markerRadius, Shape: glyphs[i%len(glyphs)]}
}

// mark is one marker: its data coordinates, its sideways offset on the
// canvas (to stand beside markers of other series at the same spot), its
// style and series.
type mark struct {
	x, y   float64
	dx     vg.Length
	style  draw.GlyphStyle
	series int
}

// markLayer draws marks; it is a plot.Plotter.
type markLayer []mark

// Plot implements plot.Plotter.
func (m markLayer) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	for _, k := range m {
		c.DrawGlyphNoClip(k.style, vg.Point{X: tx(k.x) + k.dx, Y: ty(k.y)})
	}
}

// glyphThumb is a marker's legend thumbnail.
type glyphThumb draw.GlyphStyle

// Thumbnail implements plot.Thumbnailer.
func (g glyphThumb) Thumbnail(c *draw.Canvas) { c.DrawGlyph(draw.GlyphStyle(g), c.Center()) }

// informative returns ys with the values outside [0, 1] replaced by NaN,
// which charts leave out: a bound on an error rate that lies outside
// [0, 1] says nothing, and drawing it would squeeze what does.
func informative(ys []float64) []float64 {
	out := make([]float64, len(ys))
	for i, y := range ys {
		out[i] = y
		if !(y >= 0 && y <= 1) {
			out[i] = math.NaN()
		}
	}
	return out
}

func reversed(xy plotter.XYs) plotter.XYs {
	out := make(plotter.XYs, len(xy))
	for i, v := range xy {
		out[len(xy)-1-i] = v
	}
	return out
}
