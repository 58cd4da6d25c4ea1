package demo

import (
	"bytes"
	"context"

	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/ngram"
	"github.com/hallu-dev/hallu/ngram/corpus"
	"github.com/hallu-dev/hallu/report"
)

// runCor2 trains n-grams of each of Cor2Orders on Moby-Dick plus the
// paper's two sentences and measures Corollary 2 on each, then analyses
// the first order's instance as hallu bound does (Theorem 1, δ_z).
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
	var inst bytes.Buffer
	if err := r[0].WriteInstance(&inst); err != nil {
		return err
	}
	b, err := iiv.Analyze[iiv.Float](ctx, &inst, iiv.DefaultTolerance)
	if err != nil {
		return err
	}
	res.Bound = report.NewBound(b)
	return nil
}
