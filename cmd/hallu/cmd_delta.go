package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/hallu-dev/hallu/harness"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/llm"
	"github.com/hallu-dev/hallu/report"
	"github.com/hallu-dev/hallu/score"
	"github.com/spf13/cobra"
)

const deltaLong = `delta measures the calibration term δ of Corollary 1 and Theorem 1
(Sections 3.1–3.2 of the paper) on a live model, at the threshold τ = 1/|E| you give:

  A     = the (question, answer) pairs whose answer the model gives
          probability above τ
  p̂(A) = how often the model's own sampled answers fall in A
  p(A)  = how often the reference (gold) answers fall in A
  δ     = |p̂(A) − p(A)|

For each question it samples --samples answers at temperature 1 with their
log-probabilities, and scores the first gold answer with the legacy
completions endpoint (echo + logprobs). Both sides use the probability of
the answer's tokens after the prompt, without the end of the answer (an API
reply gives no log-probability for a stop sequence), so A is one set for
both. p(A) has a Wilson interval; p̂(A) and δ have bootstrap intervals over
questions. p̂(A) − p(A) is also the slope of the loss under rescaling
(Section 3.1).

The endpoint must support echo with logprobs on /v1/completions (hallu serve
and vLLM do); delta checks this before its first request. On any endpoint
with chat top_logprobs, --choices FILE measures δ on multiple-choice items
instead, from the first token's probabilities over the options (--method
letters; see hallu probe and docs/endpoints.md).`

type deltaOptions struct {
	baseURL, model, dataset, threshold, cache, apiKeyEnv string
	choices, choicesFormat                               string
	maxLine                                              int64
	noCache, shuffle, json                               bool
	client                                               clientOptions
	scoring                                              methodOptions
	samples, maxTokens, limit, bootstrap                 int
	seed                                                 uint64
	sampleSeed                                           int64
	sampleSeedSet                                        bool
}

func newDeltaCmd() *cobra.Command {
	var o deltaOptions
	cmd := &cobra.Command{
		Use:   "delta --base-url URL --model M --dataset simpleqa|FILE --threshold 1/N",
		Short: "Measure δ = |p̂(A) − p(A)| at threshold 1/|E| on a live model",
		Long:  deltaLong,
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, name := range []string{"base-url", "model", "threshold"} {
				if !cmd.Flags().Changed(name) {
					return usagef("delta: --%s is required", name)
				}
			}
			if (o.dataset == "") == (o.choices == "") {
				return usagef("delta: give --dataset (open questions, by echo) or --choices (multiple-choice items)")
			}
			o.sampleSeedSet = cmd.Flags().Changed("sample-seed")
			return runDelta(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.baseURL, "base-url", "", "API root of the endpoint, e.g. http://127.0.0.1:8080/v1")
	f.StringVar(&o.model, "model", "", "model name sent with each request")
	f.StringVar(&o.dataset, "dataset", "", `questions: "simpleqa" (built in), a CSV (problem, answer) or JSONL file`)
	f.StringVar(&o.threshold, "threshold", "", "τ = 1/|E|, as a probability (0.001) or as 1/N (1/364)")
	f.IntVar(&o.samples, "samples", 10, "answers sampled per question")
	f.IntVar(&o.maxTokens, "max-tokens", 32, "most tokens per sampled answer")
	f.IntVar(&o.limit, "limit", 0, "use only the first N selected questions (0: all)")
	f.BoolVar(&o.shuffle, "shuffle", false, "select questions in an order drawn from --seed")
	f.Uint64Var(&o.seed, "seed", 1, "seed of --shuffle and of the bootstrap")
	f.Int64Var(&o.sampleSeed, "sample-seed", 0, "seed sent to the endpoint with each sampling request (default: none)")
	f.IntVar(&o.bootstrap, "bootstrap", 2000, "bootstrap resamples of the questions (0: Wilson intervals only)")
	f.StringVar(&o.cache, "cache", "", "response cache `FILE` (default hallu-delta.cache.db in hallu's folder of the user cache directory)")
	f.BoolVar(&o.noCache, "no-cache", false, "keep no response cache")
	f.StringVar(&o.apiKeyEnv, "api-key-env", "", "environment variable holding the API key (default OPENAI_API_KEY, optional)")
	o.client.register(cmd)
	f.StringVar(&o.choices, "choices", "", "multiple-choice items to measure δ on instead of --dataset (see --choices-format)")
	f.StringVar(&o.choicesFormat, "choices-format", "mc", `--choices file: "mc" (JSONL question, choices, gold) or "candidates" (JSONL context, valid, errors)`)
	o.maxLine = input.DefaultMaxLine
	f.Var(sizeFlag{&o.maxLine}, "max-line", "longest line of the --choices file (see docs/limits.md)")
	o.scoring.register(cmd)
	f.BoolVar(&o.json, "json", false, "print JSON")
	return cmd
}

// parseThreshold reads "0.001" or "1/364".
func parseThreshold(s string) (float64, error) {
	var tau float64
	if num, den, ok := strings.Cut(s, "/"); ok {
		a, err1 := strconv.ParseFloat(strings.TrimSpace(num), 64)
		b, err2 := strconv.ParseFloat(strings.TrimSpace(den), 64)
		if err1 != nil || err2 != nil || b == 0 {
			return 0, usagef("--threshold %q: want a probability or 1/N", s)
		}
		tau = a / b
	} else {
		var err error
		if tau, err = strconv.ParseFloat(strings.TrimSpace(s), 64); err != nil {
			return 0, usagef("--threshold %q: want a probability or 1/N", s)
		}
	}
	if !(tau > 0 && tau < 1) {
		return 0, usagef("--threshold %q: τ must be in (0,1)", s)
	}
	return tau, nil
}

// deltaResult is the JSON result of `hallu delta`.
type deltaResult struct {
	harness.DeltaEstimate
	Failed []string `json:"failed_questions,omitempty"`
}

func runDelta(ctx context.Context, o deltaOptions, stdout io.Writer) error {
	tau, err := parseThreshold(o.threshold)
	if err != nil {
		return err
	}
	if o.samples <= 0 || o.maxTokens <= 0 || o.limit < 0 || o.bootstrap < 0 {
		return usagef("delta: --samples and --max-tokens must be positive, --limit and --bootstrap ≥ 0")
	}
	if o.choices != "" {
		return runDeltaChoices(ctx, o, tau, stdout)
	}
	qs, inputs, err := loadQuestions(o.dataset)
	if err != nil {
		return err
	}
	qs = harness.Select(qs, o.limit, o.shuffle, o.seed)
	client, _, closeEndpoint, err := openEndpoint(o.baseURL, o.apiKeyEnv, o.cache, "hallu-delta.cache.db", o.noCache, o.client)
	if err != nil {
		return err
	}
	defer closeEndpoint()
	if err := client.Require(ctx, o.model, measureDeltaEcho); err != nil {
		return fmt.Errorf("delta: %w", err)
	}
	cfg := harness.DeltaConfig{Client: client, Model: o.model, Questions: qs, Samples: o.samples,
		MaxTokens: o.maxTokens, Workers: o.client.concurrency}
	if o.sampleSeedSet {
		cfg.Seed = &o.sampleSeed
	}
	m, err := harness.MeasureDelta(ctx, cfg)
	if err != nil {
		return err
	}
	if len(m.Observations) == 0 {
		return unusablef("delta: every question failed; first: %s", m.Failed[0])
	}
	est, err := harness.EstimateDelta(m.Observations, tau, score.DefaultZ, o.bootstrap, o.seed)
	if err != nil {
		return fmt.Errorf("delta: %w", err)
	}
	res := deltaResult{DeltaEstimate: est, Failed: m.Failed}
	if o.json {
		params := map[string]any{"base_url": llm.RedactURL(o.baseURL), "model": o.model, "dataset": o.dataset, "threshold": tau,
			"samples": o.samples, "max_tokens": o.maxTokens, "limit": o.limit, "shuffle": o.shuffle, "seed": o.seed,
			"bootstrap": o.bootstrap, "z": score.DefaultZ, "prompt": harness.DeltaPrompt(harness.Question{Text: "{question}"})}
		if cfg.Seed != nil {
			params["sample_seed"] = *cfg.Seed
		}
		err = provenance.WriteJSON(stdout, provenance.NewEnvelope("delta", params, res, inputs...))
	} else {
		err = report.WriteDeltaText(stdout, &res.DeltaEstimate, res.Failed)
	}
	if err == nil && len(m.Failed) > 0 {
		err = unusablef("delta: %d of %d questions left out after failed requests, so δ is over the rest only; first: %s",
			len(m.Failed), len(qs), m.Failed[0])
	}
	return err
}
