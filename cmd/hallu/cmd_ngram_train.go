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

type ngramTrainOptions struct {
	Order int
	Out   string
	JSON  bool
}

// ngramTrainResult describes a trained model.
type ngramTrainResult struct {
	Model     provenance.Input `json:"model"`
	Order     int              `json:"order"`
	Tokens    int              `json:"tokens"`
	Vocab     int              `json:"vocab"`
	NGrams    []int            `json:"ngrams"`
	Discounts []ngram.Discount `json:"discounts"`
	Texts     []textSource     `json:"texts"`
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
	res := ngramTrainResult{Model: file, Order: m.Order(), Tokens: m.TrainingTokens(), Vocab: m.VocabSize(),
		NGrams: m.NGrams(), Discounts: m.Discounts(), Texts: texts}
	if opts.JSON {
		inputs := make([]provenance.Input, len(texts))
		for i, t := range texts {
			inputs[i] = t.Input
		}
		return provenance.WriteJSON(stdout, provenance.NewEnvelope("ngram train", map[string]any{"order": opts.Order, "out": opts.Out}, res, inputs...))
	}
	t := report.Table{
		Title:  fmt.Sprintf("%s: order %d, %d training tokens, vocabulary %d, %d bytes", file.Path, res.Order, res.Tokens, res.Vocab, file.Bytes),
		Header: []string{"order", "n-grams", "D1", "D2", "D3+", "n1", "n2", "n3", "n4", "discounts"},
	}
	for k, d := range res.Discounts {
		how := "estimated"
		if d.Fallback {
			how = "fallback"
		}
		t.AddRow(k+1, res.NGrams[k], d.D1, d.D2, d.D3, d.N[0], d.N[1], d.N[2], d.N[3], how)
	}
	for _, s := range texts {
		note := fmt.Sprintf("text %s (%s)", s.Input.Path, s.Kind)
		if s.Kind == "brown" {
			note += fmt.Sprintf(": %d files, %d sentences; skipped %v", s.Files, s.Sentences, s.Skipped)
		}
		t.Notes = append(t.Notes, note)
	}
	return t.Render(stdout)
}
