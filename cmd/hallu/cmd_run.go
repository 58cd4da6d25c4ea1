package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/harness"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/llm"
	"github.com/hallu-dev/hallu/report"
	"github.com/hallu-dev/hallu/rescore"
	"github.com/hallu-dev/hallu/score"
	"github.com/hallu-dev/hallu/score/grade"
	"github.com/spf13/cobra"
)

const runLong = `run asks a benchmark's questions of any OpenAI-compatible endpoint under
explicit confidence targets (Section 4.2 of the paper): for each question and each
target t, the instructions say that a correct answer earns 1 point, a wrong
one costs t/(1−t) points and "I don't know" earns 0, so that answering pays
only above confidence t. Answers are graded by hallu score's matcher, or by
an LLM judge (--judge-model) that answers with SimpleQA's grades A (correct),
B (incorrect) or C (not attempted), as hallu score --judge-model does
(anything else is invalid), and streamed to a JSONL run file that hallu
score reads. The run ends with hallu score's tables.

The run is resumable: run the same command again after Ctrl-C, a crash or
SIGKILL and it asks only what the run file has no record of. Answers are
kept in a cache (SQLite, in the user cache directory by default) before they are
used, so a restarted run never pays twice for a completed request.

--dataset is "simpleqa" (the SimpleQA test set, built in), a SimpleQA-style
CSV (problem, answer), or JSONL with question and answer(s) per line.
The API key is read from $OPENAI_API_KEY or the variable --api-key-env
names, and is written nowhere.`

type runOptions struct {
	baseURL, model, dataset, targets, out, cache, apiKeyEnv string
	noCache                                                 bool
	client                                                  clientOptions
	limit                                                   int
	shuffle                                                 bool
	seed                                                    uint64
	structured                                              bool
	temperature                                             float64
	maxTokens                                               int
	sampleSeed                                              int64
	sampleSeedSet                                           bool
	judgeModel, judgeBaseURL                                string
	retryInvalid, quiet, json                               bool
	maxFailures                                             int
}

// clientOptions are the llm client's flags, shared by run and delta.
type clientOptions struct {
	concurrency int
	rps         float64
	timeout     time.Duration
	maxRetries  int
}

func (c *clientOptions) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.IntVar(&c.concurrency, "concurrency", 8, "requests in flight at once")
	f.Float64Var(&c.rps, "rps", 0, "requests per second, 0 for no limit")
	f.DurationVar(&c.timeout, "timeout", 2*time.Minute, "time limit of each request attempt")
	f.IntVar(&c.maxRetries, "max-retries", 6, "retries of a failed request (429, 5xx, timeouts, resets)")
}

func newRunCmd() *cobra.Command {
	var o runOptions
	cmd := &cobra.Command{
		Use:   "run --base-url URL --model M --dataset simpleqa|FILE [flags]",
		Short: "Ask a benchmark of an OpenAI-compatible endpoint under confidence targets",
		Long:  runLong,
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, name := range []string{"base-url", "model", "dataset"} {
				if !cmd.Flags().Changed(name) {
					return usagef("run: --%s is required", name)
				}
			}
			o.sampleSeedSet = cmd.Flags().Changed("sample-seed")
			return runRun(cmd.Context(), o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.baseURL, "base-url", "", "API root of the endpoint, e.g. http://127.0.0.1:8080/v1")
	f.StringVar(&o.model, "model", "", "model name sent with each request")
	f.StringVar(&o.dataset, "dataset", "", `questions: "simpleqa" (built in), a CSV (problem, answer) or JSONL file`)
	f.StringVar(&o.targets, "targets", "0,0.5,0.75,0.9", "confidence targets t, comma-separated, each in [0,1)")
	f.StringVarP(&o.out, "out", "o", "run.jsonl", "run file to append to (resumed if it exists)")
	f.StringVar(&o.cache, "cache", "", "response cache `FILE` (default: one per run file, in hallu's folder of the user cache directory)")
	f.BoolVar(&o.noCache, "no-cache", false, "keep no response cache (a restarted run then re-sends answered requests)")
	f.StringVar(&o.apiKeyEnv, "api-key-env", "", "environment variable holding the API key (default OPENAI_API_KEY, optional)")
	o.client.register(cmd)
	f.IntVar(&o.limit, "limit", 0, "ask only the first N selected questions (0: all)")
	f.BoolVar(&o.shuffle, "shuffle", false, "select questions in an order drawn from --seed")
	f.Uint64Var(&o.seed, "seed", 1, "seed of --shuffle")
	f.BoolVar(&o.structured, "structured", false, `ask for "Answer:" and "Confidence:" lines; the confidence is recorded`)
	f.Float64Var(&o.temperature, "temperature", 0, "sampling temperature")
	f.IntVar(&o.maxTokens, "max-tokens", 256, "most tokens per answer")
	f.Int64Var(&o.sampleSeed, "sample-seed", 0, "seed sent to the endpoint with each request (default: none)")
	f.StringVar(&o.judgeModel, "judge-model", "", "grade with this model as a judge (A correct / B incorrect / C not attempted) instead of matching")
	f.StringVar(&o.judgeBaseURL, "judge-base-url", "", "API root of the judge (default --base-url)")
	f.BoolVar(&o.retryInvalid, "retry-invalid", false, "remove the run file's invalid records and ask those questions again")
	f.IntVar(&o.maxFailures, "max-failures", 3, "stop after this many requests fail in a row (after retries)")
	f.BoolVar(&o.quiet, "quiet", false, "no progress display")
	f.BoolVar(&o.json, "json", false, "print the summary as JSON")
	return cmd
}

// loadQuestions reads --dataset and returns the questions and the input
// record of the file (none for the built-in set).
func loadQuestions(dataset string) ([]harness.Question, []provenance.Input, error) {
	if dataset == harness.SimpleQAName {
		qs, err := harness.SimpleQA()
		return qs, nil, err
	}
	f, err := input.Open(dataset)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	qs, err := harness.ReadDataset(f, dataset)
	if err != nil {
		return nil, nil, err
	}
	if _, err := io.Copy(io.Discard, f); err != nil { // hash the whole file
		return nil, nil, err
	}
	return qs, []provenance.Input{f.Input()}, nil
}

// newClient builds the llm client for base with the shared flags.
func newClient(base, keyEnv string, cache *llm.Cache, c clientOptions) (*llm.Client, error) {
	key, err := llm.APIKeyFromEnv(keyEnv)
	if err != nil {
		return nil, usagef("%v", err)
	}
	if c.concurrency <= 0 {
		return nil, usagef("--concurrency must be positive")
	}
	retries := c.maxRetries
	if retries == 0 {
		retries = -1 // llm.Config: negative means none
	}
	client, err := llm.New(llm.Config{BaseURL: base, APIKey: key, Concurrency: c.concurrency,
		RequestsPerSecond: c.rps, Timeout: c.timeout, MaxRetries: retries, Cache: cache,
		UserAgent: "hallu/" + provenance.Version()})
	if err != nil {
		return nil, usagef("%v", err)
	}
	return client, nil
}

// openCache opens the response cache at path, or if path is empty the one
// named def in the user's cache directory (cachePath), unless disabled.
func openCache(path, def string, disabled bool) (*llm.Cache, error) {
	if disabled {
		return nil, nil
	}
	if path == "" {
		var err error
		if path, err = cachePath(def); err != nil {
			return nil, err
		}
	}
	return llm.OpenCache(path)
}

// openEndpoint opens the response cache (path, or the one named def in the
// user's cache directory if empty, unless disabled) and a client for base
// over it. close releases both.
func openEndpoint(base, keyEnv, path, def string, disabled bool, c clientOptions) (client *llm.Client, cache *llm.Cache, close func(), err error) {
	cache, err = openCache(path, def, disabled)
	if err != nil {
		return nil, nil, nil, err
	}
	client, err = newClient(base, keyEnv, cache, c)
	if err != nil {
		if cache != nil {
			cache.Close()
		}
		return nil, nil, nil, err
	}
	return client, cache, func() {
		client.Close()
		if cache != nil {
			cache.Close()
		}
	}, nil
}

// runSummary is the JSON result of `hallu run`.
type runSummary struct {
	report.RunSummary
	Score *scoreResult `json:"score"`
}

func runRun(ctx context.Context, o runOptions, stdout, stderr io.Writer) error {
	targets, err := parseTargets(o.targets)
	if err != nil {
		return err
	}
	if o.limit < 0 || o.maxTokens <= 0 || o.maxFailures <= 0 {
		return usagef("run: --limit must be ≥ 0, --max-tokens and --max-failures positive")
	}
	qs, inputs, err := loadQuestions(o.dataset)
	if err != nil {
		return err
	}
	qs = harness.Select(qs, o.limit, o.shuffle, o.seed)
	client, cache, closeEndpoint, err := openEndpoint(o.baseURL, o.apiKeyEnv, o.cache, runCacheName(o.out), o.noCache, o.client)
	if err != nil {
		return err
	}
	defer closeEndpoint()
	var grader grade.Grader = &grade.Matcher{Abstention: grade.DefaultDetector()}
	if o.judgeModel != "" {
		judge := client
		if o.judgeBaseURL != "" {
			if judge, err = newClient(o.judgeBaseURL, o.apiKeyEnv, cache, o.client); err != nil {
				return err
			}
			defer judge.Close()
		}
		grader = &harness.LetterJudge{Client: judge, Model: o.judgeModel}
		if err := judge.Require(ctx, o.judgeModel, measureJudge); err != nil {
			return fmt.Errorf("run: %w", err)
		}
	}
	if err := client.Require(ctx, o.model, measureRun); err != nil {
		return fmt.Errorf("run: %w", err)
	}
	rf, err := harness.OpenRunFile(o.out, o.retryInvalid)
	if err != nil {
		return err
	}
	if rf.TornBytes > 0 || rf.Dropped > 0 {
		fmt.Fprintf(stderr, "hallu run: %s: removed %d bytes of an incomplete last record and %d invalid or failed-request records, to be asked again\n", o.out, rf.TornBytes, rf.Dropped)
	}
	cfg := harness.Config{Client: client, Model: o.model, Questions: qs, Targets: targets,
		Structured: o.structured, Temperature: o.temperature, MaxTokens: o.maxTokens,
		Grader: grader, Workers: o.client.concurrency, Progress: new(harness.Progress), MaxFailures: o.maxFailures}
	if o.sampleSeedSet {
		cfg.Seed = &o.sampleSeed
	}
	start := time.Now()
	stop := func() {}
	if !o.quiet && isTerminal(stderr) {
		stop = showRunProgress(stderr, cfg.Progress, client, start)
	}
	res, err := harness.Run(ctx, cfg, rf)
	stop()
	if cerr := rf.Close(); err == nil {
		err = cerr
	}
	elapsed := time.Since(start)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintf(stderr, "hallu run: stopped with %d of %d records in %s; run the same command to resume\n",
				res.Resumed+res.Written, res.Pairs, o.out)
			return err
		}
		if errors.As(err, new(*harness.FailureError)) {
			return fmt.Errorf("run against %s: %w\n%d of %d questions × targets are recorded in %s; once the endpoint answers, run the same command again to ask the rest",
				llm.RedactURL(o.baseURL), err, res.Resumed+res.Written, res.Pairs, o.out)
		}
		return err
	}

	sum := runSummary{RunSummary: report.RunSummary{Run: res, Requests: client.Stats(), Seconds: elapsed.Seconds(), RunFile: o.out}}
	sum.Score, err = scoreRunFile(ctx, o.out, targets)
	if sum.Score == nil {
		return err
	}
	if o.json {
		judge := judgeProvenance(judgeOptions{Model: o.judgeModel, BaseURL: cmp.Or(o.judgeBaseURL, o.baseURL), Client: o.client})
		params := map[string]any{"base_url": llm.RedactURL(o.baseURL), "model": o.model, "dataset": o.dataset, "targets": targets,
			"questions": len(qs), "limit": o.limit, "shuffle": o.shuffle, "seed": o.seed, "structured": o.structured,
			"temperature": o.temperature, "max_tokens": o.maxTokens, "judge": judge,
			"concurrency": o.client.concurrency, "rps": o.client.rps, "max_retries": o.client.maxRetries,
			"timeout": o.client.timeout.String(), "cache": !o.noCache}
		if cfg.Seed != nil {
			params["sample_seed"] = *cfg.Seed
		}
		if werr := provenance.WriteJSON(stdout, provenance.NewEnvelope("run", params, sum, append(inputs, sum.Score.Provenance...)...)); werr != nil {
			return werr
		}
		return err
	}
	if werr := report.WriteRunText(stdout, &sum.RunSummary, scoreInputs(sum.Score.Inputs), sum.Score.Report); werr != nil {
		return werr
	}
	return err // after the tables, so that the user sees what cannot mean what it says
}

// scoreRunFile scores the whole run file as `hallu score` would. Scores
// that cannot mean what they say come with a *rescore.UnusableError.
func scoreRunFile(ctx context.Context, path string, targets []float64) (*scoreResult, error) {
	return rescore.Logs(ctx, []string{path}, rescore.Options{Format: evallog.Run, Config: score.Config{Targets: targets, Seed: 1}})
}

// showRunProgress redraws one status line on w five times a second until
// the returned function is called.
func showRunProgress(w io.Writer, p *harness.Progress, c *llm.Client, start time.Time) (stop func()) {
	return statusLine(w, 200*time.Millisecond, true, func() string { return progressLine(p, c.Stats(), time.Since(start)) })
}

// progressLine formats the progress of a run.
func progressLine(p *harness.Progress, st llm.Stats, elapsed time.Duration) string {
	done, total := p.Done.Load(), p.Total.Load()
	rate := float64(done) / elapsed.Seconds()
	eta := "?"
	if rate > 0 {
		eta = time.Duration(float64(total-done) / rate * float64(time.Second)).Round(time.Second).String()
	}
	return fmt.Sprintf("%d/%d  %.1f/s  ETA %s  retries %d  failed requests %d  invalid %d  cached %d",
		done, total, rate, eta, st.Retries, st.Failed, p.Invalid.Load(), st.CacheHits)
}
