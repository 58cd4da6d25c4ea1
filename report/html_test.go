package report

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/internal/atomicfile"
)

// TestPageIsSelfContained: the page loads nothing from the network: no
// scripts, no external stylesheets, images or fonts.
func TestPageIsSelfContained(t *testing.T) {
	svg, err := Chart{Title: "t", Series: []Series{{Name: "s", X: []float64{0, 1}, Y: []float64{0, 1}}}}.SVG()
	if err != nil {
		t.Fatal(err)
	}
	tb := Table{Header: []string{"a", "b"}}
	tb.AddRow("<script>", 1.5)
	p := Page{Title: "T & T", Sections: []Section{{Heading: "h", Figures: []Figure{{SVG: svg}}, Tables: []Table{tb}}}}
	path := filepath.Join(t.TempDir(), "p.html")
	if err := atomicfile.Write(path, func(f *os.File) error { return p.WriteHTML(f) }); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	html := string(b)
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`<script`), regexp.MustCompile(`(src|href)\s*=\s*"(https?:)?//`),
		regexp.MustCompile(`url\(`), regexp.MustCompile(`@import`),
	} {
		if bad.MatchString(html) {
			t.Errorf("page matches %v", bad)
		}
	}
	if !strings.Contains(html, "&lt;script&gt;") || !strings.Contains(html, "T &amp; T") {
		t.Error("table cells and titles are not HTML-escaped")
	}
	if !strings.Contains(html, "<svg") {
		t.Error("no inline SVG")
	}
}

func TestChartBand(t *testing.T) {
	band := Series{Name: "s", X: []float64{0, 1, 2}, Y: []float64{1, 2, 3}, Lo: []float64{0, 1, 2}, Hi: []float64{2, 3, 4}}
	svg, err := Chart{Series: []Series{band}}.SVG()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(svg), "fill-opacity") && !strings.Contains(string(svg), "rgba") && !strings.Contains(string(svg), "fill:") {
		t.Error("band drawn without a fill")
	}
	band.Lo = band.Lo[:2]
	if _, err := (Chart{Series: []Series{band}}).SVG(); err == nil {
		t.Error("a band with fewer low values than x values was accepted")
	}
}
