package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/report"
	"github.com/spf13/cobra"
)

type boundOptions struct {
	json       bool
	exact      bool
	thresholds []string
	tolerance  float64
	html       string
	maxLine    int64
	from       fromOptions
}

func newBoundCmd() *cobra.Command {
	var opts boundOptions
	cmd := &cobra.Command{
		Use:   "bound FILE",
		Short: "Theorem 1's lower bound on a model's error rate, and every term of it",
		Long: `bound reads an instance — one JSON object per (context, response) with its
label (valid, error, idk, nonsense), the data probability p(r|c) and the
model probability phat (or logprob) — and computes the quantities of the
paper's reduction (Sections 3.1–3.2, 3.3.2): err, err_iiv at the threshold
1/min_c|E_c|, δ (also as the derivative of the rescaled cross-entropy), δ_z
at every z, Theorem 1's bound and its slack, and, when every context has one
valid response, the best threshold and Theorem 3–4's bound.

FILE may be gzip or zstd compressed, or - for standard input. Rows of one
context must be contiguous. Example row:

  {"context":"c1","mu":0.5,"response":"her mind","label":"valid","p":1,"phat":0.5}

With --from, FILE is not an instance but a source that bound turns into one
(package instances; --write-instance saves it):
  lmeval           an lm-evaluation-harness samples log of a multiple-choice
                   task: p̂ = softmax of the choices' log-likelihoods (--norm);
                   with --base-url, its questions and choices scored anew
  lmeval-v03       an lm-eval v0.3 --write_out file (*_write_out_info.json)
  helm             a HELM scenario_state.json with per-choice log-probs
                   (--helm-score)
  choices          a CSV or JSONL table of per-choice scores: --scores,
                   --gold, --kind (see hallu compare --help)
  candidates       candidate sets, one JSON object per line:
                   {"context":…,"valid":[…],"errors":[…],"p":[…optional]}
  mc               multiple-choice items, one JSON object per line:
                   {"question":…,"choices":[…],"gold":index or [indices]}
  truthfulqa       TruthfulQA.csv (correct vs incorrect answers)
  codex            a CoDEx-S directory (true triples vs verified-false ones)
  entityquestions  an EntityQuestions relation file (answers vs other
                   answers of the same relation)
All but lmeval without --base-url are scored by the model at --base-url,
normalised over each set, by --method: echo (each candidate's
log-probability after its context, from a /completions that echoes prompt
log-probabilities: hallu serve, vLLM) or letters (the first generated
token's top_logprobs on /chat/completions over the options' letters or
texts: most servers); auto, the default, takes echo when the endpoint has
it. The endpoint is checked before the first scoring request.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.from.stderr = cmd.ErrOrStderr()
			return runBound(cmd.Context(), cmd.OutOrStdout(), args[0], opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.json, "json", false, "print JSON")
	f.BoolVar(&opts.exact, "exact", false, "compute in exact rational arithmetic (small instances)")
	f.StringSliceVar(&opts.thresholds, "threshold", nil, "also analyse the classifier p̂ > `Z` (repeatable, or comma-separated)")
	f.StringVar(&opts.html, "html", "", "also write a self-contained HTML report to `FILE`")
	f.Float64Var(&opts.tolerance, "tol", iiv.DefaultTolerance, "how far probabilities may sum from 1 before the instance is rejected")
	opts.maxLine = iiv.DefaultMaxLine
	f.Var(sizeFlag{&opts.maxLine}, "max-line", "longest line of the instance read (with --from: of the source, or a CSV record), e.g. 256MiB (see docs/limits.md)")
	opts.from.register(cmd)
	return cmd
}

func runBound(ctx context.Context, stdout io.Writer, path string, opts boundOptions) error {
	if opts.from.source != "" {
		return runBoundFrom(ctx, stdout, path, opts)
	}
	if opts.exact {
		return analyzeAndPrint[iiv.Rat](ctx, stdout, path, opts)
	}
	return analyzeAndPrint[iiv.Float](ctx, stdout, path, opts)
}

func analyzeAndPrint[T iiv.Scalar[T]](ctx context.Context, stdout io.Writer, path string, opts boundOptions) error {
	zs, err := parseThresholds[T](opts.thresholds)
	if err != nil {
		return err
	}
	open := input.OpenUnhashed // hash the input only where its sha256 is reported
	if opts.json || opts.html != "" {
		open = input.Open
	}
	in, err := open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	rd := iiv.NewReader[T](in)
	rd.MaxLine = int(min(opts.maxLine, math.MaxInt))
	res, err := iiv.AnalyzeReader(ctx, rd, opts.tolerance, zs...)
	if errors.Is(err, iiv.ErrLineTooLong) {
		return fmt.Errorf("%s: %w (raise it with --max-line)", path, err)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	b := report.NewBound(res)
	input := in.Input()
	page := func() (report.Page, error) {
		return report.BoundPage(path, b, []string{fmt.Sprintf("input %s (sha256 %s)", input.Path, input.SHA256)})
	}
	return writeResult(opts.html, page, func() error {
		if !opts.json {
			return report.WriteBoundText(stdout, path, b)
		}
		params := map[string]any{"exact": opts.exact, "thresholds": opts.thresholds, "tolerance": opts.tolerance}
		return provenance.WriteJSON(stdout, provenance.NewEnvelope("bound", params, b, input))
	})
}

// parseThresholds reads the --threshold values.
func parseThresholds[T iiv.Scalar[T]](ss []string) ([]T, error) {
	var zero T
	var zs []T
	for _, s := range ss {
		z, err := zero.Parse([]byte(s))
		if err != nil {
			return nil, usagef("--threshold %q: not a number", s)
		}
		if f := z.Float64(); f < 0 || f > 1 {
			return nil, usagef("--threshold %s: outside [0,1]", s)
		}
		zs = append(zs, z)
	}
	return zs, nil
}
