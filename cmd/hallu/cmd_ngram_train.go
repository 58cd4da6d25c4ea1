package main

import (
	"context"
	"io"

	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/ngram"
	"github.com/hallu-dev/hallu/report"
	"github.com/spf13/cobra"
)

type ngramTrainOptions struct {
	Order int
	Out   string
	JSON  bool
}

func newNgramTrainCmd() *cobra.Command {
	var opts ngramTrainOptions
	cmd := &cobra.Command{
		Use:   "train --out MODEL [TEXT...]",
		Short: "Train an n-gram model on text files and write it to a model file",
		Long: `Train an n-gram model with interpolated modified Kneser–Ney smoothing on the
given text files (plain text or the Brown corpus archive, possibly
compressed; none: the built-in Moby-Dick) and write it to MODEL, through a
temporary file renamed into place.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Out == "" {
				return usagef("ngram train: --out is required")
			}
			if opts.Order < 1 || opts.Order > ngram.MaxOrder {
				return usagef("ngram train: --order %d out of range [1, %d]", opts.Order, ngram.MaxOrder)
			}
			return runNgramTrain(cmd.Context(), opts, args, cmd.OutOrStdout())
		},
	}
	cmd.Flags().IntVar(&opts.Order, "order", ngram.DefaultOrder, "n-gram order n: the model conditions on n−1 words")
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "model file to write")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return cmd
}

func runNgramTrain(ctx context.Context, opts ngramTrainOptions, paths []string, stdout io.Writer) error {
	tr := ngram.NewTrainer()
	texts, err := addTexts(tr, paths)
	if err != nil {
		return err
	}
	m, err := tr.Train(ctx, opts.Order)
	if err != nil {
		return err
	}
	file, err := writeFileAtomic(opts.Out, func(w io.Writer) error {
		_, err := m.WriteTo(w)
		return err
	})
	if err != nil {
		return err
	}
	res := report.NgramTrain{Model: file, Order: m.Order(), Tokens: m.TrainingTokens(), Vocab: m.VocabSize(),
		NGrams: m.NGrams(), Discounts: m.Discounts(), Texts: texts}
	if opts.JSON {
		inputs := make([]provenance.Input, len(texts))
		for i, t := range texts {
			inputs[i] = t.Input
		}
		return provenance.WriteJSON(stdout, provenance.NewEnvelope("ngram train", map[string]any{"order": opts.Order, "out": opts.Out}, res, inputs...))
	}
	return report.WriteNgramTrainText(stdout, &res)
}
