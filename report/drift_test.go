package report

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/iiv"
	"pgregory.net/rapid"
)

// The text of every report and its HTML page are built from the same
// tables. The checks below fail when they drift apart: a table printed but
// not shown, shown but not printed, or printed with other titles, headers,
// rows or notes.

// textMatchesPage checks that text is the tables of p, each rendered as text
// exactly once, in some order, a blank line between them, and that the
// page's HTML holds every title line and header of those tables.
func textMatchesPage(text string, p Page) error {
	var tables []Table
	for _, s := range p.Sections {
		tables = append(tables, s.Tables...)
	}
	blocks := make([]string, len(tables))
	for i, t := range tables {
		var b strings.Builder
		if err := t.Render(&b); err != nil {
			return err
		}
		blocks[i] = b.String()
	}
	used := make([]bool, len(blocks))
	rest := text
	for n := 0; rest != ""; n++ {
		if n > 0 {
			if !strings.HasPrefix(rest, "\n") {
				return fmt.Errorf("no blank line between tables before %q", head(rest))
			}
			rest = rest[1:]
		}
		best := -1
		for i, b := range blocks {
			if !used[i] && strings.HasPrefix(rest, b) && (best < 0 || len(b) > len(blocks[best])) {
				best = i
			}
		}
		if best < 0 {
			return fmt.Errorf("the text prints what no table of the page holds: %q", head(rest))
		}
		used[best] = true
		rest = rest[len(blocks[best]):]
	}
	for i, u := range used {
		if !u {
			return fmt.Errorf("the page shows a table the text does not print: %q", head(blocks[i]))
		}
	}
	var html bytes.Buffer
	if err := p.WriteHTML(&html); err != nil {
		return err
	}
	for _, t := range tables {
		for _, l := range lines(t.Title) {
			if !strings.Contains(html.String(), escaped(l)) {
				return fmt.Errorf("the page lacks the title %q", l)
			}
		}
		for _, h := range t.Header {
			if !strings.Contains(html.String(), "<th>"+escaped(h)+"</th>") {
				return fmt.Errorf("the page lacks the header %q", h)
			}
		}
	}
	return nil
}

// escaped is s as the page's template writes it in an element.
func escaped(s string) string {
	var b strings.Builder
	if err := template.Must(template.New("").Parse("{{.}}")).Execute(&b, s); err != nil {
		panic(err)
	}
	return b.String()
}

func head(s string) string {
	if l, _, ok := strings.Cut(s, "\n"); ok {
		return l
	}
	return s
}

// agrees checks, for a result drawn by rapid, that the text write prints
// is the page's tables.
func agrees(t *rapid.T, p Page, write func(io.Writer) error) {
	var b strings.Builder
	if err := write(&b); err != nil {
		t.Fatalf("text: %v", err)
	}
	if err := textMatchesPage(b.String(), p); err != nil {
		t.Fatal(err)
	}
}

// TestTextMatchesPageFails checks that the check fails on a drift: a table
// missing from either side, a header renamed, a row added.
func TestTextMatchesPageFails(t *testing.T) {
	a := Table{Title: "A", Header: []string{"x", "y"}, Rows: [][]string{{"1", "2"}}, Notes: []string{"note"}}
	b := Table{Title: "B\nsecond line", Header: []string{"z"}, Rows: [][]string{{"3"}}}
	text := func(ts ...Table) string {
		var s strings.Builder
		if err := writeText(&s, ts); err != nil {
			t.Fatal(err)
		}
		return s.String()
	}
	page := Page{Sections: []Section{{Tables: []Table{b}}, {Tables: []Table{a}}}}
	if err := textMatchesPage(text(a, b), page); err != nil {
		t.Fatalf("same tables in another order: %v", err)
	}
	renamed := a
	renamed.Header = []string{"x", "w"}
	added := a
	added.Rows = append(added.Rows, []string{"4", "5"})
	for name, txt := range map[string]string{
		"table missing from the page": text(a, b, Table{Title: "C"}),
		"table missing from the text": text(a),
		"header renamed":              text(renamed, b),
		"row added":                   text(added, b),
		"no blank line":               strings.Replace(text(a, b), "\n\nB", "\nB", 1),
	} {
		if err := textMatchesPage(txt, page); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestCompareTextMatchesPage checks compare's text against its page, with
// and without pairs and notes.
func TestCompareTextMatchesPage(t *testing.T) {
	const instance = `{"context":"c1","mu":0.5,"response":"her mind","label":"valid","p":1,"phat":0.7}
{"context":"c1","mu":0.5,"response":"his mind","label":"error","p":0,"phat":0.3}
{"context":"c2","mu":0.5,"response":"his mind","label":"valid","p":1,"phat":0.4}
{"context":"c2","mu":0.5,"response":"her mind","label":"error","p":0,"phat":0.6}
`
	res, err := iiv.Analyze[iiv.Float](context.Background(), strings.NewReader(instance), iiv.DefaultTolerance)
	if err != nil {
		t.Fatal(err)
	}
	m := CompareModel{Name: "a", Questions: 2, Accuracy: 0.5, MeanConfidence: 0.65, Bound: NewBound(res)}
	n := m
	n.Name = "b"
	for _, c := range []struct {
		cmp   Compare
		notes []string
	}{
		{Compare{PairBy: "text", Reps: 10, Level: 0.95, Bins: 10, Models: []CompareModel{m}}, nil},
		{Compare{PairBy: "text", Reps: 10, Level: 0.95, Bins: 10, Models: []CompareModel{m, n},
			Pairs: []ComparePair{{A: "a", B: "b", Shared: 2}}}, []string{"read as lmeval-v03"}},
	} {
		p, err := ComparePage(c.cmp, c.notes, nil)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := WriteCompareText(&b, c.cmp, c.notes); err != nil {
			t.Fatal(err)
		}
		if err := textMatchesPage(b.String(), p); err != nil {
			t.Errorf("%d models: %v", len(c.cmp.Models), err)
		}
	}
}

// TestAgreementTextMatchesPage checks the text of hallu score --reference,
// after its heading, against its page.
func TestAgreementTextMatchesPage(t *testing.T) {
	r := 0.5
	g := AgreementGroup{Model: "m", N: 2, Agreed: 1, Agreement: &r, Kappa: &r,
		Matrix:        map[string]map[string]int{"correct": {"correct": 1, "wrong": 1}},
		Disagreements: []Disagreement{{Source: "log.jsonl:2", ID: "2", Response: "Paris", Golds: []string{"Lyon"}, Reference: "correct", Hallu: "wrong", Why: "matches no gold"}}}
	const heading = "Agreement of hallu's grading with the reference"
	var b strings.Builder
	if err := WriteAgreementText(&b, heading, []AgreementGroup{g}); err != nil {
		t.Fatal(err)
	}
	text, ok := strings.CutPrefix(b.String(), heading+"\n\n")
	if !ok {
		t.Fatalf("text does not start with its heading:\n%s", b.String())
	}
	p := AgreementPage(heading, []AgreementGroup{g}, nil)
	if err := textMatchesPage(text, p); err != nil {
		t.Error(err)
	}
	if p.Sections[0].Heading != heading {
		t.Errorf("page heading %q, want %q", p.Sections[0].Heading, heading)
	}
}
