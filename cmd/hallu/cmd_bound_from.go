package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/instances"
	"github.com/hallu-dev/hallu/internal/atomicfile"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/llm"
	"github.com/hallu-dev/hallu/report"
	"github.com/spf13/cobra"
)

// fromOptions are the flags of `hallu bound --from`.
type fromOptions struct {
	source, norm, writeInstance      string
	skipBad                          bool
	baseURL, model, apiKeyEnv, cache string
	noCache                          bool
	client                           clientOptions
	scoring                          methodOptions
	limit, distractors               int
	seed                             uint64
	codexSplit                       string
	quiet                            bool
	maxDoc                           int64
	stderr                           io.Writer     // progress goes here when it is a terminal
	questions                        questionFlags // lmeval-v03, helm and choices
}

func (o *fromOptions) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.source, "from", "", "build the instance from FILE of this `source`: "+strings.Join(instances.BuildFormats, ", "))
	f.StringVar(&o.norm, "norm", "raw", "lmeval and choices (logprob): softmax of raw log-likelihoods (acc), or divided by the choice's length in characters (length, acc_norm) or UTF-8 bytes (bytes, acc_bytes)")
	f.BoolVar(&o.skipBad, "skip-bad", false, "lmeval, lmeval-v03, helm and choices: skip and count samples that cannot be read")
	o.questions.register(f, false)
	f.StringVar(&o.writeInstance, "write-instance", "", "save the built instance as JSONL to `FILE`")
	f.StringVar(&o.baseURL, "base-url", "", "scoring endpoint's API root, e.g. http://127.0.0.1:8080/v1 (hallu serve)")
	f.StringVar(&o.model, "model", "", "model name sent to the scoring endpoint")
	f.StringVar(&o.apiKeyEnv, "api-key-env", "", "environment variable holding the API key (default OPENAI_API_KEY, optional)")
	f.StringVar(&o.cache, "cache", "", "response cache `FILE` (default hallu-bound.cache.db in hallu's folder of the user cache directory)")
	f.BoolVar(&o.noCache, "no-cache", false, "keep no response cache")
	f.IntVar(&o.limit, "limit", 0, "score only the first N candidate sets (0: all)")
	f.IntVar(&o.distractors, "distractors", 9, "entityquestions: erroneous candidates drawn per question")
	f.Uint64Var(&o.seed, "seed", 1, "seed of the entityquestions distractor draw and of the options' order under --method letters")
	f.StringVar(&o.codexSplit, "codex-split", "test", "codex: the negatives file used, test or valid")
	f.BoolVar(&o.quiet, "quiet", false, "no progress display while scoring")
	o.maxDoc = input.DefaultMaxDocument
	f.Var(sizeFlag{&o.maxDoc}, "max-doc", "with --from: largest file read whole (an lm-eval JSON array, lm-eval v0.3, HELM, EntityQuestions, CoDEx relations), e.g. 1GiB")
	o.client.register(cmd)
	o.scoring.register(cmd)
}

func runBoundFrom(ctx context.Context, stdout io.Writer, path string, opts boundOptions) error {
	if opts.exact {
		return boundFrom[iiv.Rat](ctx, stdout, path, opts)
	}
	return boundFrom[iiv.Float](ctx, stdout, path, opts)
}

func boundFrom[T iiv.Scalar[T]](ctx context.Context, stdout io.Writer, path string, opts boundOptions) error {
	zs, err := parseThresholds[T](opts.thresholds)
	if err != nil {
		return err
	}
	inst, params, err := buildInstance[T](ctx, path, opts.from, evallog.Limits{MaxLine: opts.maxLine, MaxDocument: opts.from.maxDoc})
	if err != nil {
		return err
	}
	inst.Notes = flagNotes("bound", inst.Notes)
	if opts.from.writeInstance != "" {
		if err := atomicfile.Write(opts.from.writeInstance, func(f *os.File) error { return iiv.Write(f, inst.Rows) }); err != nil {
			return err
		}
	}
	acc := iiv.Accumulator[T]{Tolerance: opts.tolerance}
	for _, r := range inst.Rows {
		if err := acc.Add(r); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	res, err := acc.Result(zs...)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	b := report.NewBound(res)
	name := fmt.Sprintf("%s (from %s)", path, opts.from.source)
	page := func() (report.Page, error) {
		var prov []string
		for _, in := range inst.Inputs {
			prov = append(prov, fmt.Sprintf("input %s (sha256 %s)", in.Path, in.SHA256))
		}
		return report.BoundPage(name, b, append(prov, inst.Notes...))
	}
	return writeResult(opts.html, page, func() error {
		if !opts.json {
			if err := report.WriteBoundText(stdout, name, b); err != nil {
				return err
			}
			for _, n := range inst.Notes {
				if _, err := fmt.Fprintf(stdout, "Note: %s\n", n); err != nil {
					return err
				}
			}
			return nil
		}
		params["exact"], params["thresholds"], params["tolerance"] = opts.exact, opts.thresholds, opts.tolerance
		params["from"], params["notes"] = opts.from.source, inst.Notes
		return provenance.WriteJSON(stdout, provenance.NewEnvelope("bound", params, b, inst.Inputs...))
	})
}

// buildInstance builds the instance of path with instances.Build, showing
// the scoring's progress, and returns the parameters its JSON report names.
func buildInstance[T iiv.Scalar[T]](ctx context.Context, path string, o fromOptions, lim evallog.Limits) (instances.Built[T], map[string]any, error) {
	var inst instances.Built[T]
	norm, err := evallog.ParseNorm(o.norm)
	if err != nil {
		return inst, nil, usagef("--norm: %v", err)
	}
	bo := instances.BuildOptions{Norm: norm, SkipBad: o.skipBad, Table: o.questions.choiceTable(), Limits: lim,
		HELMScore: evallog.HELMScore(o.questions.helmScore), Distractors: o.distractors, Seed: o.seed,
		CoDExSplit: o.codexSplit, Limit: o.limit, Score: instances.ScoreOptions{Workers: o.client.concurrency}}
	noModel := usagef("bound --from %s: --base-url and --model name the model that scores the candidates", o.source)
	switch o.source {
	case instances.FormatLMEvalV03, instances.FormatHELM, instances.FormatChoices: // scored in the file
	default:
		if o.baseURL == "" {
			break
		}
		if o.model == "" {
			return inst, nil, noModel
		}
		client, _, closeEndpoint, err := openEndpoint(o.baseURL, o.apiKeyEnv, o.cache, "hallu-bound.cache.db", o.noCache, o.client)
		if err != nil {
			return inst, nil, err
		}
		defer closeEndpoint()
		bo.Endpoint = o.scoring.endpoint(client, o.model, o.seed)
		if !o.quiet && o.stderr != nil && isTerminal(o.stderr) {
			var c counter
			bo.Score.Progress = c.update
			defer statusLine(o.stderr, 200*time.Millisecond, true, func() string {
				if c.total.Load() == 0 {
					return "reading " + path
				}
				return c.line("scored %d/%d candidate sets")
			})()
		}
	}
	inst, err = instances.Build[T](ctx, instances.Source{Format: o.source, Path: path}, bo)
	var oe *instances.OptionError
	if errors.As(err, &oe) && oe.Field == "Endpoint" {
		return inst, nil, noModel
	}
	if err != nil {
		return inst, nil, optionUsage(err)
	}
	return inst, fromParams(o, &inst), nil
}

// fromParams are the parameters of a built instance's JSON report, besides
// the command's own.
func fromParams[T iiv.Scalar[T]](o fromOptions, inst *instances.Built[T]) map[string]any {
	switch {
	case inst.LMEval != nil:
		return map[string]any{"norm": inst.LMEval.Norm, "lm_eval": *inst.LMEval}
	case inst.Questions != nil:
		params := map[string]any{"norm": o.norm, "questions": *inst.Questions}
		switch o.source {
		case instances.FormatChoices:
			params["table"] = o.questions.tableParams()
		case instances.FormatHELM:
			params["helm_score"] = o.questions.helmScore
		}
		return params
	}
	params := map[string]any{"base_url": llm.RedactURL(o.baseURL), "model": o.model, "limit": o.limit, "sets": inst.Sets, "conversion": *inst.Conversion,
		"method": inst.Scoring.Method, "labels": o.scoring.labels, "top_logprobs": o.scoring.topLogprobs, "choices": inst.Scoring.Choices}
	switch o.source {
	case instances.FormatEntityQuestions:
		params["distractors"], params["seed"] = o.distractors, o.seed
	case instances.FormatCoDEx:
		params["codex_split"] = o.codexSplit
	}
	return params
}
