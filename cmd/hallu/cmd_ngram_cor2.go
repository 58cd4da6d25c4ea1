package main

import (
	"context"
	"fmt"
	"io"

	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/ngram"
	"github.com/hallu-dev/hallu/report"
	"github.com/spf13/cobra"
)

type ngramCor2Options struct {
	Orders        []int
	Repeat        int
	WriteInstance string
	JSON          bool
	HTML          string
}

const cor2Long = `Corollary 2 of "Why Language Models Hallucinate" (Corollary 2 of arXiv:2509.04664) on real
text: train n-gram models on the text files (none: the built-in Moby-Dick)
plus the paper's two sentences, "She lost it and was completely out of her
mind." and "He lost it and was completely out of his mind.", and measure the
two-context instance c1 = "She lost it and was completely out of",
c2 = "He lost it and was completely out of", V_c1 = E_c2 = {"her mind"},
V_c2 = E_c1 = {"his mind"}, μ uniform.

p̂(r|c) is the model's probability of continuing c with r, normalised over
the two responses. For each order the table gives p̂, the error rate
err = Σ μ(c) p̂(E_c|c), opt = the least err_iiv(f̂_t) over thresholds t, and
Theorem 3's bound 2(1 − 1/C)·opt with C = 2. A model whose history does not
reach "She"/"He" (order ≤ 8: the first response word follows 8 context
words) cannot tell c1 from c2: opt = 1/2 and err = 1/2 exactly.

--write-instance writes the instance of the first order as JSON Lines in the
row format of hallu bound.`

func newNgramCor2Cmd() *cobra.Command {
	var opts ngramCor2Options
	cmd := &cobra.Command{
		Use:   "cor2 [TEXT...]",
		Short: "Corollary 2: an n-gram that cannot see the subject errs half the time",
		Long:  cor2Long,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(opts.Orders) == 0 {
				return usagef("ngram cor2: --orders is empty")
			}
			for _, o := range opts.Orders {
				if o < 1 || o > ngram.MaxOrder {
					return usagef("ngram cor2: order %d out of range [1, %d]", o, ngram.MaxOrder)
				}
			}
			if opts.Repeat < 1 {
				return usagef("ngram cor2: --repeat must be at least 1")
			}
			return runNgramCor2(cmd.Context(), opts, args, cmd.OutOrStdout())
		},
	}
	cmd.Flags().IntSliceVar(&opts.Orders, "orders", []int{3, 5, 8, 9}, "model orders to train and measure")
	cmd.Flags().IntVar(&opts.Repeat, "repeat", 1, "how many times each of the paper's sentences is added to the text")
	cmd.Flags().StringVar(&opts.WriteInstance, "write-instance", "", "write the first order's instance as JSONL for hallu bound")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	cmd.Flags().StringVar(&opts.HTML, "html", "", "also write a self-contained HTML report to `FILE`")
	return cmd
}

func runNgramCor2(ctx context.Context, opts ngramCor2Options, paths []string, stdout io.Writer) error {
	tr := ngram.NewTrainer()
	texts, err := addTexts(tr, paths)
	if err != nil {
		return err
	}
	results, err := ngram.Corollary2(ctx, tr, ngram.Cor2Options{Orders: opts.Orders, Repeat: opts.Repeat})
	if err != nil {
		return err
	}
	inputs := make([]provenance.Input, len(texts))
	for i, t := range texts {
		inputs[i] = t.Input
	}
	var instance *provenance.Input
	var notes []string
	if opts.WriteInstance != "" {
		in, err := writeFileAtomic(opts.WriteInstance, results[0].WriteInstance)
		if err != nil {
			return err
		}
		instance = &in
		notes = append(notes, fmt.Sprintf("instance of order %d written to %s", results[0].Order, in.Path))
	}
	params := map[string]any{"orders": opts.Orders, "repeat": opts.Repeat, "write_instance": opts.WriteInstance}
	page := func() (report.Page, error) {
		return report.Cor2Page(textNames(texts), opts.Repeat, results, notes, pageProvenance(params, inputs...))
	}
	return writeResult(opts.HTML, page, func() error { return writeCor2(stdout, opts, texts, params, inputs, results, instance, notes) })
}

// writeCor2 writes Corollary 2's results as text or JSON.
func writeCor2(stdout io.Writer, opts ngramCor2Options, texts []report.NgramText, params map[string]any, inputs []provenance.Input, results []ngram.Cor2Result, instance *provenance.Input, notes []string) error {
	if opts.JSON {
		return provenance.WriteJSON(stdout, provenance.NewEnvelope("ngram cor2", params, struct {
			Results  []ngram.Cor2Result `json:"results"`
			Instance *provenance.Input  `json:"instance,omitempty"`
		}{results, instance}, inputs...))
	}
	return report.WriteCor2Text(stdout, textNames(texts), opts.Repeat, results, notes)
}

func textNames(texts []report.NgramText) string {
	if len(texts) == 1 {
		return texts[0].Input.Path
	}
	return fmt.Sprintf("%d texts", len(texts))
}
