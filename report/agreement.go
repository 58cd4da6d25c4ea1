package report

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/hallu-dev/hallu/score"
)

// AgreementGroup is one model's (or all models') agreement between a
// reference grading and hallu's, in the form `hallu score --reference`
// prints as JSON.
type AgreementGroup struct {
	Model string `json:"model"` // "all" for every sample
	N     int    `json:"n"`
	// Matrix[reference][hallu] counts samples by bucket name.
	Matrix map[string]map[string]int `json:"matrix"`
	Agreed int                       `json:"agreed"`
	// Rates are null when their denominator is 0.
	Agreement           *float64       `json:"agreement"`
	Kappa               *float64       `json:"kappa"`
	BinaryAgreement     *float64       `json:"correct_vs_not_agreement"`
	BinaryKappa         *float64       `json:"correct_vs_not_kappa"`
	AbstentionPrecision *float64       `json:"abstention_precision"`
	HalluAbstained      int            `json:"hallu_abstained"`
	AbstentionRecall    *float64       `json:"abstention_recall"`
	ReferenceAbstained  int            `json:"reference_abstained"`
	Disagreements       []Disagreement `json:"disagreements,omitempty"`
}

// Disagreement is one sample graded differently, with hallu's reason.
type Disagreement struct {
	Source    string   `json:"source"`
	ID        string   `json:"id"`
	Question  string   `json:"question,omitempty"`
	Response  string   `json:"response"`
	Golds     []string `json:"golds,omitempty"`
	Reference string   `json:"reference"`
	Hallu     string   `json:"hallu"`
	Why       string   `json:"why"`
}

func rate(x float64) *float64 {
	if math.IsNaN(x) {
		return nil
	}
	return &x
}

// NewAgreementGroup summarises a.
func NewAgreementGroup(model string, a *score.Agreement) AgreementGroup {
	g := AgreementGroup{Model: model, N: a.N(), Agreed: a.Agreed(), Matrix: map[string]map[string]int{},
		Agreement: rate(a.Rate()), Kappa: rate(a.Kappa()), BinaryAgreement: rate(a.BinaryRate()), BinaryKappa: rate(a.BinaryKappa())}
	p, np := a.AbstentionPrecision()
	r, nr := a.AbstentionRecall()
	g.AbstentionPrecision, g.HalluAbstained, g.AbstentionRecall, g.ReferenceAbstained = rate(p), np, rate(r), nr
	for i, ref := range score.Buckets {
		g.Matrix[ref.String()] = map[string]int{}
		for j, h := range score.Buckets {
			g.Matrix[ref.String()][h.String()] = a.Matrix[i][j]
		}
	}
	for _, d := range a.Disagreements {
		s := d.Sample
		g.Disagreements = append(g.Disagreements, Disagreement{Source: s.Source.String(), ID: s.ID, Question: s.Question,
			Response: s.Response, Golds: s.Golds, Reference: d.Reference.String(), Hallu: d.Hallu.String(), Why: s.Reason})
	}
	return g
}

func fmtRate(x *float64, k, n int) string {
	if x == nil {
		return fmt.Sprintf("n/a (0 of %d)", n)
	}
	return fmt.Sprintf("%.3f (%d of %d)", *x, k, n)
}

func fmtKappa(x *float64) string {
	if x == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", *x)
}

// matrixTables returns, for each group, its confusion matrix and its
// figures; the matrix's rows are the reference's buckets, its columns
// hallu's.
func matrixTables(gs []AgreementGroup) []Table {
	var ts []Table
	for _, g := range gs {
		m := Table{Title: fmt.Sprintf("%s: reference (rows) against hallu (columns), %d samples", g.Model, g.N),
			Header: []string{"reference \\ hallu", "correct", "wrong", "abstained", "invalid", "total"}}
		for _, ref := range score.Buckets {
			row := []any{ref.String()}
			total := 0
			for _, h := range score.Buckets {
				row = append(row, g.Matrix[ref.String()][h.String()])
				total += g.Matrix[ref.String()][h.String()]
			}
			m.AddRow(append(row, total)...)
		}
		ts = append(ts, m)
		bin := 0
		if g.BinaryAgreement != nil {
			bin = int(math.Round(*g.BinaryAgreement * float64(g.N)))
		}
		pk, rk := 0, 0
		if g.AbstentionPrecision != nil {
			pk = g.Matrix["abstained"]["abstained"]
		}
		if g.AbstentionRecall != nil {
			rk = g.Matrix["abstained"]["abstained"]
		}
		f := Table{Title: g.Model + ": agreement", Header: []string{"measure", "value", "Cohen's κ"}}
		f.AddRow("agreement over the four buckets", fmtRate(g.Agreement, g.Agreed, g.N), fmtKappa(g.Kappa))
		f.AddRow("agreement on correct vs not correct", fmtRate(g.BinaryAgreement, bin, g.N), fmtKappa(g.BinaryKappa))
		if g.ReferenceAbstained == 0 {
			f.AddRow("abstention precision (of hallu's abstentions)", fmt.Sprintf("n/a: the reference has no abstentions (hallu: %d)", g.HalluAbstained), "")
		} else {
			f.AddRow("abstention precision (of hallu's abstentions)", fmtRate(g.AbstentionPrecision, pk, g.HalluAbstained), "")
		}
		f.AddRow("abstention recall (of the reference's)", fmtRate(g.AbstentionRecall, rk, g.ReferenceAbstained), "")
		ts = append(ts, f)
	}
	return ts
}

// agreementTables are the tables of an agreement check, text and HTML
// alike: each group's confusion matrix and figures, then each group's
// disagreeing samples.
func agreementTables(gs []AgreementGroup) []Table {
	ts := matrixTables(gs)
	for _, g := range gs {
		if len(g.Disagreements) == 0 {
			continue
		}
		t := Table{Title: fmt.Sprintf("%s: %d of %d disagreements shown", g.Model, len(g.Disagreements), g.N-g.Agreed), Stacked: true,
			Header: []string{"source", "reference", "hallu", "question", "response", "gold", "why"}}
		for _, d := range g.Disagreements {
			t.AddRow(d.Source, d.Reference, d.Hallu, oneLine(d.Question), oneLine(d.Response), oneLine(strings.Join(d.Golds, " | ")), d.Why)
		}
		ts = append(ts, t)
	}
	return ts
}

// WriteAgreementText writes the heading, then the agreement tables and the
// disagreeing samples as text.
func WriteAgreementText(w io.Writer, heading string, gs []AgreementGroup) error {
	if _, err := fmt.Fprintf(w, "%s\n\n", heading); err != nil {
		return err
	}
	return writeText(w, agreementTables(gs))
}

// oneLine shortens s to one line of at most 300 characters.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 300 {
		s = string(r[:297]) + "…"
	}
	return s
}

// AgreementPage is the HTML page of `hallu score --reference`: the tables
// of WriteAgreementText under its heading.
func AgreementPage(heading string, gs []AgreementGroup, provenance []string) Page {
	sec := Section{Heading: heading, Paragraphs: []string{
		"Before scoring under a confidence target (Kalai et al. 2025, Section 4: +1 correct, −t/(1−t) wrong, 0 for an abstention), check that the grades are right: " +
			"a missed abstention is charged t/(1−t) instead of 0. Cohen's κ corrects the agreement for chance."},
		Tables: agreementTables(gs)}
	return Page{Title: "hallu score --reference", Subtitle: "How hallu's grading agrees with the reference labels in the log.",
		Sections: []Section{sec}, Provenance: provenance}
}
