package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/report"
	"github.com/hallu-dev/hallu/score"
	"github.com/hallu-dev/hallu/score/grade"
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

// inputReport is what `hallu score` says about each input.
type inputReport struct {
	Path string `json:"path"`
	evallog.Stats
	// Reclassified counts samples the log graded wrong that the
	// abstention detector counts as abstained; Matched counts samples
	// graded by matching (ungraded in the log, or --regrade).
	Reclassified int `json:"reclassified_abstentions"`
	Matched      int `json:"graded_by_matching"`
}

// scoreResult is the JSON result of `hallu score`.
type scoreResult struct {
	*score.Report
	Inputs []inputReport `json:"inputs"`
}

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

func runScore(ctx context.Context, o scoreOptions, args []string, w io.Writer) error {
	targets, err := parseTargets(o.Targets)
	if err != nil {
		return err
	}
	format := evallog.Format(o.Format)
	known := false
	for _, f := range evallog.Formats {
		known = known || f == format
	}
	if !known {
		return usagef("--format %q: want one of %s", o.Format, formatList())
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
			return usagef("--map: %v", err)
		}
	}
	if o.NumTol < 0 {
		return usagef("--num-tol must be ≥ 0")
	}
	var gradeValues map[string]score.Outcome
	if o.GradeValues != "" {
		if gradeValues, err = evallog.ParseGradeValues(o.GradeValues); err != nil {
			return usagef("--grade-values: %v", err)
		}
	}
	detector := grade.DefaultDetector()
	var inputs []provenance.Input
	if o.AbstainPhrases != "" {
		f, err := input.Open(o.AbstainPhrases)
		if err != nil {
			return err
		}
		detector, err = grade.ParseDetector(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", o.AbstainPhrases, err)
		}
		inputs = append(inputs, f.Input())
	}
	resolver := &grade.Resolver{
		Grader:  &grade.Matcher{NumTol: o.NumTol, Exact: o.Exact, Abstention: detector},
		Regrade: o.Regrade,
	}
	if !o.NoAbstain {
		resolver.Abstention = detector
	}
	ropt := evallog.Options{Format: format, Map: cmap, Model: o.Model, SkipBad: o.SkipBad,
		LMEvalFilter: o.LMEvalFilter, LMEvalMetric: o.LMEvalMetric, LengthNormalized: o.LengthNorm,
		InspectScorer: o.InspectScorer, Abstention: detector, GradeValues: gradeValues,
		Limits: o.Limits}
	if o.SimpleQATest != "" {
		f, err := input.Open(o.SimpleQATest)
		if err != nil {
			return err
		}
		ropt.SimpleQATest, err = evallog.ReadSimpleQATest(f, o.SimpleQATest)
		if err == nil {
			_, err = io.Copy(io.Discard, f)
		}
		f.Close()
		if err != nil {
			return err
		}
		inputs = append(inputs, f.Input())
		if format == evallog.Auto {
			ropt.Format = evallog.SimpleQA
		}
	}
	closeJudge, err := useJudge(ctx, o, args, ropt, resolver)
	if err != nil {
		return err
	}
	defer closeJudge()
	if o.Agree.Reference != "" {
		return runAgree(ctx, o, args, ropt, resolver, inputs, w)
	}

	var d score.Dataset
	res := scoreResult{}
	inv := invalidCensus{}
	for _, path := range args {
		ir, in, err := scoreInput(ctx, path, ropt, o.LMEvalResults, resolver, &d, &inv)
		if err != nil {
			return err
		}
		res.Inputs = append(res.Inputs, ir)
		inputs = append(inputs, in...)
	}
	if d.Len() == 0 {
		return unusablef("no samples in %s", strings.Join(args, ", "))
	}
	bootstrap := o.Bootstrap
	if bootstrap == 0 {
		bootstrap = -1
	}
	res.Report, err = score.Evaluate(&d, score.Config{Targets: targets, Bins: o.Bins, Coverage: o.Coverage,
		CurveStep: o.CurveStep, Bootstrap: bootstrap, Seed: o.Seed, Seed2: o.Seed ^ 0x9e3779b97f4a7c15})
	if err != nil {
		return usagef("%v", err)
	}
	params := map[string]any{
		"format": o.Format, "map": o.Map, "model": o.Model, "targets": targets, "skip_bad": o.SkipBad,
		"abstain_phrases": cmp.Or(o.AbstainPhrases, "built-in"), "abstain_detect": !o.NoAbstain,
		"regrade": o.Regrade, "exact": o.Exact, "num_tol": o.NumTol, "bins": o.Bins,
		"coverage": o.Coverage, "curve_step": o.CurveStep, "bootstrap": o.Bootstrap,
		"seed": o.Seed, "seed2": o.Seed ^ 0x9e3779b97f4a7c15, "z": score.DefaultZ,
		"lm_eval_filter": o.LMEvalFilter, "lm_eval_metric": o.LMEvalMetric, "length_norm": o.LengthNorm,
		"inspect_scorer": o.InspectScorer, "simpleqa_test": o.SimpleQATest, "judge": judgeProvenance(o.Judge),
		"grade_values": o.GradeValues, "allow_repeats": o.AllowRepeats,
	}
	err = writeResult(o.HTML, func() (report.Page, error) {
		return report.ScorePage(scoreInputs(res.Inputs), res.Report, pageProvenance(params, inputs...))
	},
		func() error {
			if o.JSON {
				return provenance.WriteJSON(w, provenance.NewEnvelope("score", params, res, inputs...))
			}
			return report.WriteScoreText(w, scoreInputs(res.Inputs), res.Report)
		})
	if err != nil {
		return err
	}
	return unusableScore(&res, &inv, o.AllowRepeats)
}

// invalidCensus counts the invalid samples of each model and their reasons.
type invalidCensus struct {
	invalid map[string]int            // model → invalid samples
	reasons map[string]map[string]int // model → reason → samples, for the first few reasons
}

func (c *invalidCensus) add(s *score.Sample) {
	if s.Outcome != score.Invalid {
		return
	}
	if c.invalid == nil {
		c.invalid, c.reasons = map[string]int{}, map[string]map[string]int{}
	}
	c.invalid[s.Model]++
	rs := c.reasons[s.Model]
	if rs == nil {
		rs = map[string]int{}
		c.reasons[s.Model] = rs
	}
	why := cmp.Or(s.Reason, "no reason given")
	if len(why) > 120 {
		why = why[:120] + "…"
	}
	if _, ok := rs[why]; ok || len(rs) < 5 {
		rs[why]++
	}
}

// unusableScore returns an unusableError when the scores printed cannot
// mean what they say: a model whose every sample is invalid, or records of
// a hallu, jsonl or csv log that repeat a (model, id, target) unless
// allowRepeats. The tables are printed first, so that the user sees them.
func unusableScore(res *scoreResult, inv *invalidCensus, allowRepeats bool) error {
	var problems []string
	seen := map[string]bool{}
	generic := true
	for _, in := range res.Inputs {
		generic = generic && (in.Format == evallog.Run || in.Format == evallog.JSONL || in.Format == evallog.CSV)
	}
	for _, r := range res.Results {
		if seen[r.Model] {
			continue
		}
		seen[r.Model] = true
		if n := inv.invalid[r.Model]; n > 0 && n == modelSamples(res, r.Model) {
			var reasons []string
			for why, k := range inv.reasons[r.Model] {
				reasons = append(reasons, fmt.Sprintf("%q (%d)", why, k))
			}
			slices.Sort(reasons)
			problems = append(problems, fmt.Sprintf("every one of the %d samples of model %q is invalid, so its scores are 0 by construction; reasons: %s",
				n, r.Model, strings.Join(reasons, ", ")))
		}
	}
	if generic && !allowRepeats {
		groups := map[string]bool{} // a model's samples under no run target share one row per t
		for _, r := range res.Results {
			key, where := r.Model, ""
			if r.RunTarget {
				key, where = fmt.Sprintf("%s@%v", r.Model, r.T), fmt.Sprintf(" run at t = %g", r.T)
			}
			if r.Repeated > 0 && !groups[key] {
				groups[key] = true
				problems = append(problems, fmt.Sprintf("model %q%s: %d records repeat the id of an earlier record of the same model and target, and would count twice; remove them, or give --allow-repeats if they are epochs",
					r.Model, where, r.Repeated))
			}
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return unusablef("score: %s", strings.Join(problems, "; "))
}

// modelSamples is the number of samples of model m: the N of its row at
// its first target, or the sum over its run targets.
func modelSamples(res *scoreResult, m string) int {
	n, plain := 0, false
	for _, r := range res.Results {
		switch {
		case r.Model != m:
		case r.RunTarget:
			n += r.N
		case !plain:
			n, plain = n+r.N, true
		}
	}
	return n
}

// scoreInput reads one log into d, grading as it goes.
func scoreInput(ctx context.Context, path string, ropt evallog.Options, resultsPath string, resolver *grade.Resolver, d *score.Dataset, inv *invalidCensus) (inputReport, []provenance.Input, error) {
	ir := inputReport{Path: path}
	var inputs []provenance.Input
	ropt.DefaultModel = modelFromPath(path)
	prov := map[string]string{}
	if ropt.Format == evallog.LMEval || ropt.Format == evallog.Auto {
		rp := resultsPath
		if rp == "" {
			if name, ok := evallog.LMEvalResultsName(path); ok {
				if m, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*"+name)); len(m) == 1 {
					rp = m[0]
				}
			}
		}
		if rp != "" {
			f, err := input.Open(rp)
			if err != nil {
				return ir, nil, err
			}
			res, err := evallog.ReadLMEvalResults(f, rp)
			f.Close()
			if err != nil {
				return ir, nil, err
			}
			inputs = append(inputs, f.Input())
			prov = res.Provenance()
			prov["lm_eval_results"] = rp
			if res.Model != "" {
				ropt.DefaultModel = res.Model
			}
		}
	}
	f, err := input.Open(path)
	if err != nil {
		return ir, nil, err
	}
	defer f.Close()
	st, err := evallog.Read(f, path, ropt, func(s *score.Sample) error {
		before := s.Outcome
		if err := resolver.Resolve(ctx, s); err != nil {
			return err
		}
		switch {
		case before == score.Ungraded || resolver.Regrade:
			ir.Matched++
		case before != s.Outcome:
			ir.Reclassified++
		}
		if err := d.Add(s); err != nil {
			return fmt.Errorf("%s: %w", s.Source, err)
		}
		inv.add(s)
		return nil
	})
	if err != nil {
		return ir, nil, err
	}
	if _, err := io.Copy(io.Discard, f); err != nil { // hash the whole file
		return ir, nil, fmt.Errorf("%s: %w", path, err)
	}
	for k, v := range prov {
		if st.Provenance == nil {
			st.Provenance = map[string]string{}
		}
		st.Provenance[k] = v
	}
	ir.Stats = st
	return ir, append(inputs, f.Input()), nil
}

// modelFromPath names a model after its log file: the base name without
// compression and format extensions.
func modelFromPath(path string) string {
	if path == "-" {
		return "stdin"
	}
	b := filepath.Base(path)
	for _, ext := range []string{".gz", ".zst", ".jsonl", ".json", ".csv", ".eval", ".txt"} {
		b = strings.TrimSuffix(b, ext)
	}
	return b
}
