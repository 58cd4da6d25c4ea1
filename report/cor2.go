package report

import (
	"fmt"

	"github.com/hallu-dev/hallu/ngram"
)

// Cor2Sections renders Corollary 2 (Kalai et al. 2025, Section 3.3.2)
// measured on n-gram models trained on text: per order, the model's
// probabilities of "her mind" and "his mind" after the two contexts, its
// error rate, opt and Theorem 3's bound, with a chart of err and the bound
// against the order.
func Cor2Sections(text string, repeat int, results []ngram.Cor2Result) ([]Section, error) {
	t := Table{
		Title: fmt.Sprintf("trained on %s plus the paper's two sentences ×%d", text, repeat),
		Header: []string{"order", "sees subject", "p̂(her|She…)", "p̂(her|He…)", "p̂(his|He…)", "p̂(his|She…)",
			"err", "opt", "bound 2(1−1/C)·opt"},
	}
	var orders, errs, bounds []float64
	for _, r := range results {
		t.AddRow(r.Order, fmt.Sprint(r.Sees), r.Rows[0].PHat, r.Rows[3].PHat, r.Rows[2].PHat, r.Rows[1].PHat, r.Err, r.Opt, r.Bound)
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
		Tables:     []Table{t},
		Figures:    []Figure{fig},
	}}, nil
}

// Cor2Page is the page of hallu ngram cor2 --html.
func Cor2Page(text string, repeat int, results []ngram.Cor2Result, provenance []string) (Page, error) {
	sections, err := Cor2Sections(text, repeat, results)
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
