package main

import (
	"context"
	"fmt"
	"io"

	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/ngram"
	"github.com/hallu-dev/hallu/report"
	"github.com/spf13/cobra"
)

type ngramPerplexityOptions struct {
	Model string
	JSON  bool
}

func newNgramPerplexityCmd() *cobra.Command {
	var opts ngramPerplexityOptions
	cmd := &cobra.Command{
		Use:   "perplexity [--model MODEL] TEXT...",
		Short: "Perplexity of a model on held-out text files",
		Long: `Score every token of each text (tokenized as training text is, sentence
boundaries included) and print the perplexity exp(−Σ ln p / tokens), with
unknown words counted as <unk>, and without them.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("ngram perplexity: give at least one text file")
			}
			return runNgramPerplexity(cmd.Context(), opts, args, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVarP(&opts.Model, "model", "m", "", "model file (default: a trigram of the built-in Moby-Dick)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return cmd
}

func runNgramPerplexity(ctx context.Context, opts ngramPerplexityOptions, paths []string, stdout io.Writer) error {
	m, model, err := loadModel(ctx, opts.Model)
	if err != nil {
		return err
	}
	var rows []report.NgramPerplexity
	for _, p := range paths {
		row, err := perplexityOf(ctx, m, p)
		if err != nil {
			return err
		}
		rows = append(rows, row)
	}
	if opts.JSON {
		inputs := []provenance.Input{model}
		for _, r := range rows {
			inputs = append(inputs, r.Input)
		}
		return provenance.WriteJSON(stdout, provenance.NewEnvelope("ngram perplexity", map[string]any{"model": model.Path}, rows, inputs...))
	}
	return report.WriteNgramPerplexityText(stdout, m, model.Path, rows)
}

func perplexityOf(ctx context.Context, m *ngram.Model, path string) (report.NgramPerplexity, error) {
	f, err := input.Open(path)
	if err != nil {
		return report.NgramPerplexity{}, err
	}
	defer f.Close()
	p, err := m.Perplexity(ctx, f)
	if err != nil {
		return report.NgramPerplexity{}, fmt.Errorf("%s: %w", path, err)
	}
	if p.Tokens == 0 {
		return report.NgramPerplexity{}, fmt.Errorf("%s: no tokens to score", path)
	}
	return report.NgramPerplexity{Input: f.Input(), Tokens: p.Tokens, OOV: p.OOV, LogProb: p.LogProb,
		Perplexity: p.PPL(), PerplexityIV: p.PPLKnown()}, nil
}
