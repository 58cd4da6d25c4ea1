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

// ngramPerplexityRow is the perplexity of one held-out file.
type ngramPerplexityRow struct {
	Input        provenance.Input `json:"input"`
	Tokens       int              `json:"tokens"`
	OOV          int              `json:"oov"`
	LogProb      float64          `json:"logprob"`
	Perplexity   float64          `json:"perplexity"`
	PerplexityIV float64          `json:"perplexity_without_oov"`
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
	var rows []ngramPerplexityRow
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
	t := report.Table{
		Title:  fmt.Sprintf("model %s: order %d, vocabulary %d", model.Path, m.Order(), m.VocabSize()),
		Header: []string{"text", "tokens", "oov", "ln p", "perplexity", "without oov"},
	}
	for _, r := range rows {
		t.AddRow(r.Input.Path, r.Tokens, r.OOV, r.LogProb, r.Perplexity, r.PerplexityIV)
	}
	return t.Render(stdout)
}

func perplexityOf(ctx context.Context, m *ngram.Model, path string) (ngramPerplexityRow, error) {
	f, err := input.Open(path)
	if err != nil {
		return ngramPerplexityRow{}, err
	}
	defer f.Close()
	p, err := m.Perplexity(ctx, f)
	if err != nil {
		return ngramPerplexityRow{}, fmt.Errorf("%s: %w", path, err)
	}
	if p.Tokens == 0 {
		return ngramPerplexityRow{}, fmt.Errorf("%s: no tokens to score", path)
	}
	return ngramPerplexityRow{Input: f.Input(), Tokens: p.Tokens, OOV: p.OOV, LogProb: p.LogProb,
		Perplexity: p.PPL(), PerplexityIV: p.PPLKnown()}, nil
}
