package main

import (
	"cmp"
	"context"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/report"
	"github.com/hallu-dev/hallu/rescore"
	"github.com/hallu-dev/hallu/score"
	"github.com/spf13/cobra"
)

const scoreLong = `Re-score existing eval logs under explicit confidence targets (Section 4.2 of
"Why Language Models Hallucinate"): a correct answer earns +1,
a wrong one costs t/(1−t), "I don't know" earns 0. t = 0 is binary grading.

Each input is one log: hallu's own run file (JSONL), a generic JSONL or CSV
file (--map), SimpleQA predictions (--simpleqa-test), lm-evaluation-harness
samples_*.jsonl, an Inspect AI .eval or .json log, an openai/evals run log,
LitCab outputs or TruthfulQA judged answers; --format auto (the default)
detects which. Inputs may be gzip- or zstd-compressed; "-" is standard input.

Outcomes are kept in four buckets — correct, wrong, abstained, invalid — and
every rate is over all samples (invalid included) unless it says otherwise.
Samples without a grade are graded by normalised matching against their gold
answers; answers a log graded wrong that are abstentions ("I don't know", …;
see --abstain-phrases) are counted as abstained, as the confidence-target
rule requires.

With several models the leaderboard is shown under binary grading and at each
t, with rank changes and a paired bootstrap on shared questions. With
confidences: calibration (ECE, MCE, Brier, NLL, reliability bins), risk–
coverage and AURC, and the policy "answer iff confidence > t". With samples
run under stated targets: behavioural calibration across t.`

type scoreOptions struct {
	Format         string
	Map            string
	Model          string
	Targets        string
	SkipBad        bool
	JSON           bool
	AbstainPhrases string
	NoAbstain      bool
	Regrade        bool
	Exact          bool
	Match          string
	NumTol         float64
	Bins           int
	Coverage       float64
	CurveStep      float64
	Bootstrap      int
	Seed           uint64
	LMEvalFilter   string
	LMEvalMetric   string
	LMEvalResults  string
	LengthNorm     bool
	InspectScorer  string
	SimpleQATest   string
	HTML           string
	AllowRepeats   bool
	GradeValues    string
	Agree          agreeOptions
	Judge          judgeOptions
	Limits         evallog.Limits
}

func newScoreCmd() *cobra.Command {
	var o scoreOptions
	cmd := &cobra.Command{
		Use:   "score [flags] LOG...",
		Short: "Re-score eval logs under explicit confidence targets (+1 / −t/(1−t) / 0)",
		Long:  scoreLong,
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScore(cmd.Context(), o, args, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Format, "format", "auto", "log format: "+formatList())
	f.StringVar(&o.Map, "map", "", "columns of a generic JSONL/CSV log, e.g. id=qid,response=answer,gold=target,grade=label,confidence=p")
	f.StringVar(&o.Model, "model", "", "model name for every sample (default: the log's, else the file name)")
	f.StringVar(&o.Targets, "targets", "0,0.5,0.75,0.9", "confidence targets t to score at, comma-separated, each in [0,1)")
	f.BoolVar(&o.SkipBad, "skip-bad", false, "skip unreadable records, counting them, instead of failing")
	f.BoolVar(&o.JSON, "json", false, "print JSON (schema-versioned envelope) instead of tables")
	f.StringVar(&o.AbstainPhrases, "abstain-phrases", "", "phrase file replacing the built-in English and Czech abstention patterns (see docs/grading.md)")
	f.BoolVar(&o.NoAbstain, "no-abstain-detect", false, "keep the log's grades of abstentions as they are")
	f.BoolVar(&o.Regrade, "regrade", false, "grade every sample by matching, ignoring the log's grades")
	f.BoolVar(&o.Exact, "exact", false, "matching: require the whole normalised response to equal a gold answer")
	f.StringVar(&o.Match, "match", "strict", "matching: strict (an answer gives the gold's precision, as SimpleQA's grader asks) or lenient (a coarser answer too, as NQ's human raters accept)")
	f.Float64Var(&o.NumTol, "num-tol", 0, "matching: relative tolerance of numeric answers (0 = equal)")
	f.IntVar(&o.Bins, "bins", 10, "calibration bins")
	f.Float64Var(&o.Coverage, "coverage", 0.8, "coverage at which selective accuracy is reported")
	f.Float64Var(&o.CurveStep, "curve-step", 0.01, "grid step of the policy curve")
	f.IntVar(&o.Bootstrap, "bootstrap", 1000, "paired-bootstrap replicates between models (0: none)")
	f.Uint64Var(&o.Seed, "seed", 1, "bootstrap seed")
	f.StringVar(&o.LMEvalFilter, "lm-eval-filter", "", "lm-eval: the filter to read (default: the file's first)")
	f.StringVar(&o.LMEvalMetric, "lm-eval-metric", "", "lm-eval: the per-sample metric that is the grade (default: the first 0/1 one)")
	f.StringVar(&o.LMEvalResults, "lm-eval-results", "", "lm-eval: results_*.json for provenance (default: found beside the samples file)")
	f.BoolVar(&o.LengthNorm, "length-norm", false, "lm-eval multiple choice: confidence from length-normalised log-likelihoods (acc_norm)")
	f.StringVar(&o.InspectScorer, "inspect-scorer", "", "Inspect: the scorer whose value is the grade (default: each sample's first)")
	f.StringVar(&o.HTML, "html", "", "also write a self-contained HTML report to `FILE`")
	f.StringVar(&o.SimpleQATest, "simpleqa-test", "", "SimpleQA (or SimpleQA Verified) test-set CSV that the predictions are joined with")
	f.StringVar(&o.GradeValues, "grade-values", "", `hallu, jsonl and csv logs: read these grade values as these outcomes, e.g. "yes=wrong,no=correct" for a column "hallucinated"`)
	f.BoolVar(&o.AllowRepeats, "allow-repeats", false, "hallu, jsonl and csv logs: count records that repeat a (model, id, target) as further samples (epochs) instead of failing")
	addAgreeFlags(f, &o.Agree)
	addJudgeFlags(cmd, &o.Judge)
	o.Limits = evallog.Limits{MaxLine: input.DefaultMaxLine, MaxDocument: input.DefaultMaxDocument, MaxSamples: input.DefaultMaxSamples}
	f.Var(sizeFlag{&o.Limits.MaxLine}, "max-line", "longest line (or CSV record) of a log read (see docs/limits.md)")
	f.Var(sizeFlag{&o.Limits.MaxDocument}, "max-doc", "largest log read whole (Inspect, lm-eval array, each .eval member decompressed)")
	f.Var(countFlag{&o.Limits.MaxSamples}, "max-samples", "most samples read from one log")
	return cmd
}

func formatList() string {
	var s []string
	for _, f := range evallog.Formats {
		s = append(s, string(f))
	}
	return strings.Join(s, ", ")
}

// scoreResult is the JSON result of `hallu score`.
type scoreResult = rescore.Result

func parseTargets(s string) ([]float64, error) {
	var ts []float64
	for _, p := range strings.Split(s, ",") {
		t, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, usagef("--targets: %q is not a number", p)
		}
		if err := score.CheckTarget(t); err != nil {
			return nil, usagef("--targets: %v", err)
		}
		ts = append(ts, t)
	}
	return ts, nil
}

// rescoreOptions turns the flags of `hallu score` into rescore's options.
func (o *scoreOptions) rescoreOptions() (rescore.Options, error) {
	targets, err := parseTargets(o.Targets)
	if err != nil {
		return rescore.Options{}, err
	}
	format := evallog.Format(o.Format)
	if !slices.Contains(evallog.Formats, format) {
		return rescore.Options{}, usagef("--format %q: want one of %s", o.Format, formatList())
	}
	// The column map applies over the format's own defaults: hallu's run
	// keys, or SimpleQA's prediction columns.
	var cmap evallog.ColumnMap
	if o.Map != "" {
		base := evallog.DefaultColumns
		if format == evallog.SimpleQA || o.SimpleQATest != "" {
			base = evallog.SimpleQAColumns
		}
		if cmap, err = base.With(o.Map); err != nil {
			return rescore.Options{}, usagef("--map: %v", err)
		}
	}
	if o.NumTol < 0 {
		return rescore.Options{}, usagef("--num-tol must be ≥ 0")
	}
	if o.Match != "strict" && o.Match != "lenient" {
		return rescore.Options{}, usagef("--match %q: want strict or lenient", o.Match)
	}
	var gradeValues map[string]score.Outcome
	if o.GradeValues != "" {
		if gradeValues, err = evallog.ParseGradeValues(o.GradeValues); err != nil {
			return rescore.Options{}, usagef("--grade-values: %v", err)
		}
	}
	bootstrap := o.Bootstrap
	if bootstrap == 0 {
		bootstrap = -1
	}
	return rescore.Options{Format: format, Map: cmap, Model: o.Model, SkipBad: o.SkipBad, GradeValues: gradeValues,
		LMEvalFilter: o.LMEvalFilter, LMEvalMetric: o.LMEvalMetric, LengthNorm: o.LengthNorm,
		LMEvalResults: o.LMEvalResults, InspectScorer: o.InspectScorer, SimpleQATest: o.SimpleQATest,
		Limits: o.Limits, AbstainPhrases: o.AbstainPhrases, NoAbstainDetect: o.NoAbstain,
		Regrade: o.Regrade || o.Agree.Reference != "", Exact: o.Exact, NumTol: o.NumTol,
		Coarse: o.Match == "lenient", AllowRepeats: o.AllowRepeats,
		Config: score.Config{Targets: targets, Bins: o.Bins, Coverage: o.Coverage, CurveStep: o.CurveStep,
			Bootstrap: bootstrap, Seed: o.Seed}}, nil
}

func runScore(ctx context.Context, o scoreOptions, args []string, w io.Writer) error {
	opt, err := o.rescoreOptions()
	if err != nil {
		return err
	}
	var agree *agreement
	if o.Agree.Reference != "" {
		if agree, err = newAgreement(o.Agree); err != nil {
			return err
		}
	}
	judge, closeJudge, err := openJudge(o.Judge)
	if err != nil {
		return err
	}
	defer closeJudge()
	if judge != nil {
		opt.Grader = judge
	}
	r, err := rescore.NewReader(opt)
	if err != nil {
		return err
	}
	if judge != nil && !o.Judge.NoCache {
		if err := prefetchJudge(ctx, judge, r, args, o.Judge); err != nil {
			return err
		}
	}
	if agree != nil {
		return runAgree(ctx, o, agree, r, args, w)
	}

	res, err := r.Logs(ctx, args)
	if errors.As(err, new(*rescore.ConfigError)) {
		return usagef("%v", err)
	}
	if res == nil { // with scores, err says why they cannot mean what they say
		return err
	}
	for i := range res.Inputs {
		res.Inputs[i].Notes = flagNotes("score", res.Inputs[i].Notes)
	}
	params := map[string]any{
		"format": o.Format, "map": o.Map, "model": o.Model, "targets": opt.Config.Targets, "skip_bad": o.SkipBad,
		"abstain_phrases": cmp.Or(o.AbstainPhrases, "built-in"), "abstain_detect": !o.NoAbstain,
		"regrade": o.Regrade, "exact": o.Exact, "match": o.Match, "num_tol": o.NumTol, "bins": o.Bins,
		"coverage": o.Coverage, "curve_step": o.CurveStep, "bootstrap": o.Bootstrap,
		"seed": o.Seed, "seed2": rescore.Seed2(o.Seed), "z": score.DefaultZ,
		"lm_eval_filter": o.LMEvalFilter, "lm_eval_metric": o.LMEvalMetric, "length_norm": o.LengthNorm,
		"inspect_scorer": o.InspectScorer, "simpleqa_test": o.SimpleQATest, "judge": judgeProvenance(o.Judge),
		"grade_values": o.GradeValues, "allow_repeats": o.AllowRepeats,
	}
	page := func() (report.Page, error) {
		return report.ScorePage(scoreInputs(res.Inputs), res.Report, pageProvenance(params, res.Provenance...))
	}
	werr := writeResult(o.HTML, page, func() error {
		if o.JSON {
			return provenance.WriteJSON(w, provenance.NewEnvelope("score", params, res, res.Provenance...))
		}
		return report.WriteScoreText(w, scoreInputs(res.Inputs), res.Report)
	})
	if werr != nil {
		return werr
	}
	return err // the tables first, so that the user sees what cannot mean what it says
}
