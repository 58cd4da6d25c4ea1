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
	// Dashed draws a dashed line (for references such as bounds or y = x).
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
type Chart struct {
	Title, XLabel, YLabel string
	Series                []Series
	LogX, LogY            bool
	// XMin… fix the axis ranges when set (NaN or equal means automatic).
	XMin, XMax, YMin, YMax float64
	// Width and Height in centimetres; 0 means 22 × 12.
	Width, Height float64
	// LegendLeft and LegendBottom move the legend from the top right.
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

func init() {
	plot.DefaultFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
}

// SVG renders the chart as an SVG document for inline use in HTML.
func (c Chart) SVG() (template.HTML, error) {
	p := plot.New()
	p.Title.Text = c.Title
	p.X.Label.Text = c.XLabel
	p.Y.Label.Text = c.YLabel
	p.Add(plotter.NewGrid())
	if c.LogX {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	if c.LogY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	for i, s := range c.Series {
		if len(s.X) != len(s.Y) {
			return "", fmt.Errorf("chart %q: series %q has %d x and %d y values", c.Title, s.Name, len(s.X), len(s.Y))
		}
		col := palette[i%len(palette)]
		switch {
		case s.Palette > 0:
			col = palette[(s.Palette-1)%len(palette)]
		case s.Palette < 0:
			col = grey
		}
		if s.Lo != nil || s.Hi != nil {
			if err := addBand(p, c, s, col); err != nil {
				return "", err
			}
		}
		xy := make(plotter.XYs, 0, len(s.X))
		for j := range s.X {
			if c.LogX && s.X[j] <= 0 || c.LogY && s.Y[j] <= 0 || math.IsNaN(s.X[j]) || math.IsNaN(s.Y[j]) {
				continue // not drawable on these axes
			}
			xy = append(xy, plotter.XY{X: s.X[j], Y: s.Y[j]})
		}
		if len(xy) == 0 {
			continue
		}
		if s.Points {
			sc, err := plotter.NewScatter(xy)
			if err != nil {
				return "", err
			}
			sc.Color = col
			sc.Shape = glyphs[i%len(glyphs)]
			sc.Radius = vg.Points(3.5)
			p.Add(sc)
			p.Legend.Add(s.Name, sc)
			continue
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return "", err
		}
		l.Color = col
		l.Width = vg.Points(1.5)
		if s.Step {
			l.StepStyle = plotter.PostStep
		}
		if s.Dashed {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		p.Add(l)
		if s.Name != "" {
			p.Legend.Add(s.Name, l)
		}
	}
	p.Legend.Top = !c.LegendBottom
	p.Legend.Left = c.LegendLeft
	if c.XMin != c.XMax && !math.IsNaN(c.XMin) {
		p.X.Min, p.X.Max = c.XMin, c.XMax
	}
	if c.YMin != c.YMax && !math.IsNaN(c.YMin) {
		p.Y.Min, p.Y.Max = c.YMin, c.YMax
	}
	w, h := c.Width, c.Height
	if w == 0 {
		w, h = 22, 12
	}
	canvas := vgsvg.New(vg.Length(w)*vg.Centimeter, vg.Length(h)*vg.Centimeter)
	p.Draw(draw.New(canvas))
	var b bytes.Buffer
	if _, err := canvas.WriteTo(&b); err != nil {
		return "", err
	}
	// Drop the XML prolog: the SVG is inlined in HTML.
	svg := b.Bytes()
	if i := bytes.Index(svg, []byte("<svg")); i > 0 {
		svg = svg[i:]
	}
	return template.HTML(svg), nil
}

// addBand shades the region between s.Lo and s.Hi over s.X in a light
// tint of col, skipping points not drawable on the chart's axes.
func addBand(p *plot.Plot, c Chart, s Series, col color.RGBA) error {
	if len(s.Lo) != len(s.X) || len(s.Hi) != len(s.X) {
		return fmt.Errorf("chart %q: series %q has %d x but %d low and %d high values", c.Title, s.Name, len(s.X), len(s.Lo), len(s.Hi))
	}
	var lower, upper plotter.XYs
	for j, x := range s.X {
		lo, hi := s.Lo[j], s.Hi[j]
		if math.IsNaN(x) || math.IsNaN(lo) || math.IsNaN(hi) || c.LogX && x <= 0 || c.LogY && (lo <= 0 || hi <= 0) {
			continue
		}
		lower = append(lower, plotter.XY{X: x, Y: lo})
		upper = append(upper, plotter.XY{X: x, Y: hi})
	}
	if len(lower) < 2 {
		return nil
	}
	ring := append(lower, reversed(upper)...)
	poly, err := plotter.NewPolygon(ring)
	if err != nil {
		return err
	}
	poly.Color = color.NRGBA{col.R, col.G, col.B, 48}
	poly.LineStyle.Width = 0
	p.Add(poly)
	return nil
}

func reversed(xy plotter.XYs) plotter.XYs {
	out := make(plotter.XYs, len(xy))
	for i, v := range xy {
		out[len(xy)-1-i] = v
	}
	return out
}
