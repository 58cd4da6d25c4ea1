package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/ngram"
	"github.com/spf13/cobra"
)

type ngramSampleOptions struct {
	Model       string
	Prompt      string
	N           int
	MaxTokens   int
	Temperature float64
	TopP        float64
	Seed        uint64
	JSON        bool
}

// ngramSample is one sampled continuation.
type ngramSample struct {
	Text    string  `json:"text"`
	Tokens  int     `json:"tokens"`
	LogProb float64 `json:"logprob"` // Σ ln p of the sampled tokens, the boundary that ended it included
	Ended   bool    `json:"ended"`   // the model drew a sentence boundary before max tokens
}

func newNgramSampleCmd() *cobra.Command {
	var opts ngramSampleOptions
	cmd := &cobra.Command{
		Use:   "sample [--model MODEL] [--prompt TEXT]",
		Short: "Continue a prompt with samples from a model",
		Long: `Draw --n continuations of --prompt, each until the model ends the sentence
or --max-tokens words are out. Sample i uses the PCG generator seeded with
(--seed, i), so a seed reproduces its samples.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o := ngram.SampleOptions{Temperature: opts.Temperature, TopP: opts.TopP}
			if err := o.Validate(); err != nil {
				return usageError{err}
			}
			if opts.N < 1 || opts.MaxTokens < 1 {
				return usagef("ngram sample: --n and --max-tokens must be at least 1")
			}
			return runNgramSample(cmd.Context(), opts, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVarP(&opts.Model, "model", "m", "", "model file (default: a trigram of the built-in Moby-Dick)")
	cmd.Flags().StringVarP(&opts.Prompt, "prompt", "p", "", "text to continue (default: the start of a text)")
	cmd.Flags().IntVarP(&opts.N, "n", "n", 5, "number of samples")
	cmd.Flags().IntVar(&opts.MaxTokens, "max-tokens", 40, "most words per sample")
	cmd.Flags().Float64VarP(&opts.Temperature, "temperature", "t", 1, "temperature: 0 greedy, 1 the model's own distribution")
	cmd.Flags().Float64Var(&opts.TopP, "top-p", 1, "nucleus sampling: keep the most probable words up to this mass")
	cmd.Flags().Uint64Var(&opts.Seed, "seed", 1, "random seed")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return cmd
}

func runNgramSample(ctx context.Context, opts ngramSampleOptions, stdout io.Writer) error {
	m, model, err := loadModel(ctx, opts.Model)
	if err != nil {
		return err
	}
	toks := ngram.Tokenize(opts.Prompt)
	hist := append(ngram.Start(), m.Encode(toks)...)
	prev0 := ""
	if n := len(toks); n > 0 && strings.TrimRightFunc(opts.Prompt, unicode.IsSpace) == opts.Prompt {
		prev0 = toks[n-1].Word
	}
	var samples []ngramSample
	for i := range opts.N {
		s := m.NewSampler(hist, ngram.SampleOptions{Temperature: opts.Temperature, TopP: opts.TopP, Seed: opts.Seed, Stream: uint64(i)})
		var b strings.Builder
		var smp ngramSample
		prev := prev0
		for range opts.MaxTokens {
			w, lp := s.Next()
			smp.LogProb += lp
			if w == ngram.EOSID {
				smp.Ended = true
				break
			}
			word := m.Word(w)
			b.WriteString(ngram.Spacing(prev, word) + word)
			prev = word
			smp.Tokens++
		}
		smp.Text = b.String()
		samples = append(samples, smp)
	}
	if opts.JSON {
		params := map[string]any{"model": model.Path, "prompt": opts.Prompt, "n": opts.N, "max_tokens": opts.MaxTokens,
			"temperature": opts.Temperature, "top_p": opts.TopP, "seed": opts.Seed}
		return provenance.WriteJSON(stdout, provenance.NewEnvelope("ngram sample", params, samples, model))
	}
	for _, smp := range samples {
		if _, err := fmt.Fprintf(stdout, "%s%s\n", opts.Prompt, smp.Text); err != nil {
			return err
		}
	}
	return nil
}
