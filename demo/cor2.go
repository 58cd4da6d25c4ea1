package demo

import (
	"context"

	"github.com/hallu-dev/hallu/ngram"
	"github.com/hallu-dev/hallu/ngram/corpus"
)

// runCor2 trains n-grams of each of Cor2Orders on Moby-Dick plus the
// paper's two sentences and measures Corollary 2 on each.
func runCor2(ctx context.Context, res *Result, _ int) error {
	tr := ngram.NewTrainer()
	if err := tr.AddText(corpus.MobyDick()); err != nil {
		return err
	}
	r, err := ngram.Corollary2(ctx, tr, ngram.Cor2Options{Orders: Cor2Orders, Repeat: 1})
	if err != nil {
		return err
	}
	res.Cor2 = r
	return nil
}
