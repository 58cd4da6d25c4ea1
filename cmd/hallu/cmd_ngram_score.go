package main

import (
	"context"
	"io"

	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/report"
	"github.com/spf13/cobra"
)

type ngramScoreOptions struct {
	Model    string
	Context  string
	Response string
	JSON     bool
}

func newNgramScoreCmd() *cobra.Command {
	var opts ngramScoreOptions
	cmd := &cobra.Command{
		Use:   "score [--model MODEL] --context TEXT --response TEXT",
		Short: "The log-probability of a response given a context, token by token",
		Long: `Print ln p̂(response | context): the sum over the response's tokens of
ln p(token | context and the response before it). A response ending in
sentence-final punctuation includes the sentence boundary after it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Response == "" {
				return usagef("ngram score: --response is required")
			}
			return runNgramScore(cmd.Context(), opts, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVarP(&opts.Model, "model", "m", "", "model file (default: a trigram of the built-in Moby-Dick)")
	cmd.Flags().StringVarP(&opts.Context, "context", "c", "", "the context (prompt)")
	cmd.Flags().StringVarP(&opts.Response, "response", "r", "", "the response")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return cmd
}

func runNgramScore(ctx context.Context, opts ngramScoreOptions, stdout io.Writer) error {
	m, model, err := loadModel(ctx, opts.Model)
	if err != nil {
		return err
	}
	sc := m.Score(opts.Context, opts.Response)
	if opts.JSON {
		params := map[string]any{"model": model.Path, "context": opts.Context, "response": opts.Response}
		return provenance.WriteJSON(stdout, provenance.NewEnvelope("ngram score", params, sc, model))
	}
	return report.WriteNgramScoreText(stdout, sc, model.Path)
}
