package report

import (
	"fmt"
	"io"
	"slices"

	"github.com/hallu-dev/hallu/ngram"
)

// cor2Table tabulates Corollary 2 (arXiv:2509.04664, Section 3.3.2)
// measured on n-gram models trained on text, text and HTML alike: per
// order, the model's probabilities of "her mind" and "his mind" after the
// two contexts, its error rate, opt and Theorem 3's bound. notes are added
// under the table.
func cor2Table(text string, repeat int, results []ngram.Cor2Result, notes []string) Table {
	t := Table{
		Title: fmt.Sprintf("Corollary 2 on %s plus the paper's two sentences ×%d", text, repeat),
		Header: []string{"order", "sees subject", "p̂(her|She…)", "p̂(her|He…)", "p̂(his|He…)", "p̂(his|She…)",
			"err", "opt", "best t", "bound 2(1−1/C)opt"},
	}
	for _, r := range results {
		t.AddRow(r.Order, fmt.Sprint(r.Sees), r.Rows[0].PHat, r.Rows[3].PHat, r.Rows[2].PHat, r.Rows[1].PHat,
			r.Err, r.Opt, r.Threshold, r.Bound)
	}
	t.Notes = append(t.Notes,
		"p̂: the model's probability of the response after the context, normalised over the two responses.",
		"err = ½p̂(his|She…) + ½p̂(her|He…); opt = min over t of err_iiv(f̂_t); Theorem 3: err ≥ bound.")
	if i := slices.IndexFunc(results, func(r ngram.Cor2Result) bool { return r.Sees }); i >= 0 && results[i].Opt > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf("Order %d sees the subject but the sentence was seen only %d time(s): its top-order discount leaves most mass to lower orders (try --repeat 2).", results[i].Order, repeat))
	}
	t.Notes = append(t.Notes, notes...)
	return t
}

// WriteCor2Text writes the table of Corollary 2's results as text.
func WriteCor2Text(w io.Writer, text string, repeat int, results []ngram.Cor2Result, notes []string) error {
	return writeText(w, []Table{cor2Table(text, repeat, results, notes)})
}

// Cor2Sections renders Corollary 2 (Kalai et al. 2025, Section 3.3.2)
// measured on n-gram models trained on text: the table of WriteCor2Text,
// with a chart of err and the bound against the order.
func Cor2Sections(text string, repeat int, results []ngram.Cor2Result, notes []string) ([]Section, error) {
	var orders, errs, bounds []float64
	for _, r := range results {
		orders = append(orders, float64(r.Order))
		errs = append(errs, r.Err)
		bounds = append(bounds, r.Bound)
	}
	fig, err := Chart{
		Title: "Corollary 2: error against model order", XLabel: "n-gram order", YLabel: "error rate",
		Series: []Series{{Name: "err", X: orders, Y: errs, Points: true}, {Name: "Theorem 3 bound", X: orders, Y: bounds, Points: true}},
		YMin:   0, YMax: 1,
	}.Figure("err = ½p̂(his|She…) + ½p̂(her|He…); the bound is 2(1 − 1/C)·opt with C = 2. Where err equals the bound, the two markers stand side by side.")
	if err != nil {
		return nil, err
	}
	para := "The two contexts differ only in their first word, \"She\" or \"He\". " +
		"A model whose history does not reach back to it gives both contexts the same continuation probabilities, " +
		"so it cannot tell which response is valid and, by Theorem 3, errs on at least half of them."
	if len(results) > 0 && !results[0].Sees {
		r := results[0]
		para += fmt.Sprintf(" The order-%d model's error rate is %s; Theorem 3's bound is %s.", r.Order, F(r.Err), F(r.Bound))
	}
	return []Section{{
		Heading:    "Corollary 2: a model that cannot see the subject",
		Paragraphs: []string{para},
		Tables:     []Table{cor2Table(text, repeat, results, notes)},
		Figures:    []Figure{fig},
	}}, nil
}

// Cor2Page is the page of hallu ngram cor2 --html.
func Cor2Page(text string, repeat int, results []ngram.Cor2Result, notes, provenance []string) (Page, error) {
	sections, err := Cor2Sections(text, repeat, results, notes)
	if err != nil {
		return Page{}, err
	}
	return Page{
		Title:      "hallu ngram cor2",
		Subtitle:   "Corollary 2 on real text: \"She/He lost it and was completely out of …\" (Kalai et al. 2025, Section 3.3.2).",
		Sections:   sections,
		Provenance: provenance,
	}, nil
}
