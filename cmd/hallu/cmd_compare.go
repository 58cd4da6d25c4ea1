package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/instances"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/report"
	"github.com/spf13/cobra"
)

const compareLong = `compare puts several models side by side on the same multiple-choice
questions: is δ, the calibration term of Corollary 1 and Theorem 1 (Kalai et
al. 2025, Sections 3.1–3.2), small for a base model and large after
post-training, and does Theorem 1 or Theorem 3 (Section 3.3.2) say anything
about each?

Each FILE holds one model's per-choice scores on a set of questions; p̂ is
the softmax of the choices' scores (the gold choice is the one valid
answer, the others errors). Per model it prints accuracy, mean confidence
and ECE of the chosen answer, err, err_iiv and δ at 1/min|E_c| with a
bootstrap interval, the largest δ_z, Theorem 1's bound, the best
threshold's err_iiv and Theorem 3's bound; per pair of models, δ on the
questions both have and a paired bootstrap interval of their difference.
Questions only one model has are counted, never silently dropped.

Formats (--from, detected per file by default):
  lmeval      lm-evaluation-harness ≥ 0.4 samples (JSONL, or one JSON array
              as 0.4.0 wrote despite the .jsonl name)
  lmeval-v03  lm-eval v0.3 --write_out files (*_write_out_info.json)
  helm        HELM scenario_state.json (or its run directory), where it
              holds per-choice log-probs (multiple_choice_separate_*; joint
              runs only with top_logprobs)
  choices     any CSV or JSONL table of per-choice scores: name the score
              columns (--scores), the gold column (--gold) and the kind of
              score (--kind); detected for *.csv, and for a file none of the
              others' keys begin when --scores is set

Files given the same --names entry are pooled into one model (e.g. three
MMLU subjects). Bootstrap intervals are seeded from --seed and the models'
names alone, so adding a model changes no other interval.`

type compareOptions struct {
	questions questionFlags
	names     []string
	pairBy    string
	reps      int
	seed      uint64
	level     float64
	bins      int
	json      bool
	html      string
	limits    evallog.Limits
}

// questionFlags are the flags that say how to read a file of scored
// multiple-choice questions (instances.ReadQuestions), shared by compare
// and bound --from.
type questionFlags struct {
	format    string
	norm      string
	helmScore string
	skipBad   bool
	table     evallog.ChoiceTable
	goldAs    string
	kind      string
}

func (q *questionFlags) register(f interface {
	StringVar(*string, string, string, string)
}, withFormat bool) {
	if withFormat {
		f.StringVar(&q.format, "from", "auto", "format of every FILE: auto (by name and content), lmeval, lmeval-v03, helm or choices")
	}
	f.StringVar(&q.table.Scores, "scores", "", "choices: the score columns, comma-separated (Logit_A,Logit_B) or a pattern (Logit_*); in JSONL also one member holding an array")
	f.StringVar(&q.table.Gold, "gold", "", "choices: the gold column")
	f.StringVar(&q.goldAs, "gold-as", "auto", "choices: the gold is a letter (A = first score column), index (0-based), index1 (1-based), text, or auto")
	f.StringVar(&q.kind, "kind", "logit", "choices: the scores are logit, logprob (≤ 0) or prob")
	f.StringVar(&q.table.Texts, "texts", "", "choices: the choices' text columns, as --scores (for a gold given as text, and --norm)")
	f.StringVar(&q.table.Question, "question", "", "choices: the question's text column (to pair questions by text)")
	f.StringVar(&q.table.ID, "id", "", "choices: the question's id column (default: the row number)")
	f.StringVar(&q.helmScore, "helm-score", "sum", "helm: a reference's score is the sum of its tokens' log-probs, per-token (their mean, as HELM's separate_original ranks) or calibrated (minus the calibration request's, as separate_calibrated ranks)")
}

// source returns the instances.QuestionSource of format, with the flags'
// options.
func (q *questionFlags) source(format string) (instances.QuestionSource, error) {
	switch format {
	case instances.FormatLMEval, instances.FormatLMEvalV03, instances.FormatHELM, instances.FormatChoices:
	default:
		return instances.QuestionSource{}, usagef("--from %q: want auto, %s, %s, %s or %s", format,
			instances.FormatLMEval, instances.FormatLMEvalV03, instances.FormatHELM, instances.FormatChoices)
	}
	src := instances.QuestionSource{Format: format, Table: q.choiceTable(), HELMScore: evallog.HELMScore(q.helmScore), SkipBad: q.skipBad}
	if q.norm != "" {
		n, err := evallog.ParseNorm(q.norm)
		if err != nil {
			return src, usagef("--norm: %v", err)
		}
		src.Norm = n
	}
	return src, nil
}

// choiceTable is the choice table the flags describe.
func (q *questionFlags) choiceTable() evallog.ChoiceTable {
	t := q.table
	t.GoldAs, t.Kind = evallog.GoldAs(q.goldAs), evallog.ScoreKind(q.kind)
	return t
}

// detectFormat returns the format of path: --from, or under --from auto
// what instances.DetectQuestionFormat finds.
func (q *questionFlags) detectFormat(path string) string {
	if q.format != "" && q.format != "auto" {
		return q.format
	}
	return instances.DetectQuestionFormat(path, q.table.Scores != "")
}

// tableParams are the choice-table flags, for a report's parameters.
func (q *questionFlags) tableParams() map[string]string {
	return map[string]string{"scores": q.table.Scores, "gold": q.table.Gold, "gold_as": q.goldAs,
		"kind": q.kind, "texts": q.table.Texts, "question": q.table.Question, "id": q.table.ID}
}

// readQuestions reads the questions of path (instances.ReadQuestionsFile)
// within lim, appending the input to inputs.
func (q *questionFlags) readQuestions(path string, lim evallog.Limits, inputs *[]provenance.Input) ([]instances.Question, instances.QuestionStats, string, error) {
	format := q.detectFormat(path)
	src, err := q.source(format)
	if err != nil {
		return nil, instances.QuestionStats{}, format, err
	}
	src.Limits = lim
	qs, st, in, err := instances.ReadQuestionsFile(path, src)
	if err != nil {
		return nil, st, format, err
	}
	*inputs = append(*inputs, in)
	return qs, st, format, nil
}

func newCompareCmd() *cobra.Command {
	var o compareOptions
	cmd := &cobra.Command{
		Use:   "compare FILE...",
		Short: "Several models side by side on the same questions: calibration, δ, Theorems 1 and 3",
		Long:  compareLong,
		Example: `  # two models' lm-eval logs of the same task
  hallu compare --names gemma-3-4b-it,qwen2.5-3b-instruct gemma.jsonl qwen.jsonl
  # letter logits in CSV files written by a script
  hallu compare --scores 'Logit_*' --gold 5 --question 0 --names base,instruct base.csv instruct.csv`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("compare: name at least one FILE")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCompare(cmd.Context(), cmd.OutOrStdout(), args, o)
		},
	}
	f := cmd.Flags()
	o.questions.register(f, true)
	f.StringVar(&o.questions.norm, "norm", "raw", "lmeval and choices (logprob): softmax of raw scores, or divided by the choice's length in characters (length) or UTF-8 bytes (bytes)")
	f.BoolVar(&o.questions.skipBad, "skip-bad", false, "skip and count questions that cannot be read")
	f.StringSliceVar(&o.names, "names", nil, "one model name per FILE (files sharing a name are pooled); default: each file's base name")
	f.StringVar(&o.pairBy, "pair-by", "auto", "pair questions across models by text (the question's, spaces collapsed; a repeated text pairs in order), id (doc id, within the same file position), or auto (text where every question has one)")
	f.IntVar(&o.reps, "reps", 1000, "bootstrap resamples of the questions")
	f.Uint64Var(&o.seed, "seed", 1, "base seed of the bootstrap")
	f.Float64Var(&o.level, "level", 0.95, "coverage of the bootstrap intervals")
	f.IntVar(&o.bins, "bins", 10, "equal-width bins of ECE and the reliability diagram")
	f.BoolVar(&o.json, "json", false, "print JSON")
	f.StringVar(&o.html, "html", "", "also write a self-contained HTML report to `FILE`")
	o.limits = evallog.Limits{MaxLine: input.DefaultMaxLine, MaxDocument: input.DefaultMaxDocument}
	f.Var(sizeFlag{&o.limits.MaxLine}, "max-line", "longest line of a line-oriented log (lm-eval JSONL, a JSONL choice table), or a CSV record (see docs/limits.md)")
	f.Var(sizeFlag{&o.limits.MaxDocument}, "max-doc", "largest log read whole (an lm-eval JSON array, lm-eval v0.3, HELM)")
	return cmd
}

func runCompare(ctx context.Context, stdout io.Writer, paths []string, o compareOptions) error {
	names := o.names
	if len(names) == 0 {
		names = defaultNames(paths)
	}
	if len(names) != len(paths) {
		return usagef("--names gives %d names for %d files", len(names), len(paths))
	}
	var models []instances.Model
	var inputs []provenance.Input
	var notes []string
	index := map[string]int{}
	files := map[string]int{} // files read so far, by model name
	allText := true
	for i, path := range paths {
		qs, st, format, err := o.questions.readQuestions(path, o.limits, &inputs)
		if err != nil {
			return err
		}
		notes = append(notes, st.Notes...)
		if st.Skipped > 0 {
			notes = append(notes, fmt.Sprintf("%s: %d questions skipped (--skip-bad); first: %s", path, st.Skipped, st.FirstSkipped))
		}
		m, ok := index[names[i]]
		if !ok {
			m = len(models)
			index[names[i]] = m
			models = append(models, instances.Model{Name: names[i]})
		}
		group := files[names[i]]
		files[names[i]]++
		for _, q := range qs {
			allText = allText && q.Text != ""
			models[m].Questions = append(models[m].Questions, q)
			models[m].Groups = append(models[m].Groups, group)
		}
		notes = append(notes, fmt.Sprintf("%s: %d questions read as %s, model %s", path, len(qs), format, names[i]))
	}
	pairBy := o.pairBy
	if pairBy == "auto" {
		pairBy = instances.PairByID
		if allText {
			pairBy = instances.PairByText
		}
	}
	cmp, err := instances.Compare(ctx, models, instances.CompareOptions{PairBy: pairBy, Reps: o.reps, Level: o.level, Seed: o.seed, Bins: o.bins})
	if err != nil {
		return err
	}
	c := compareReport(cmp)
	params := map[string]any{"from": o.questions.format, "names": names, "pair_by": pairBy, "reps": o.reps, "seed": o.seed,
		"level": o.level, "bins": o.bins, "norm": o.questions.norm, "skip_bad": o.questions.skipBad, "notes": notes}
	if o.questions.table.Scores != "" {
		params["table"] = o.questions.tableParams()
	}
	return writeResult(o.html, func() (report.Page, error) { return report.ComparePage(c, notes, pageProvenance(params, inputs...)) }, func() error {
		if o.json {
			return provenance.WriteJSON(stdout, provenance.NewEnvelope("compare", params, c, inputs...))
		}
		return report.WriteCompareText(stdout, c, notes)
	})
}

// defaultNames names each file's model by its base name without
// extensions, or, when two base names collide (two HELM run directories'
// scenario_state.json), by its path as given: files are pooled only when
// --names says so.
func defaultNames(paths []string) []string {
	names := make([]string, len(paths))
	seen := map[string]bool{}
	for i, p := range paths {
		base := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(p), ".gz"), ".zst")
		names[i] = strings.TrimSuffix(base, filepath.Ext(base))
		if seen[names[i]] {
			return slices.Clone(paths)
		}
		seen[names[i]] = true
	}
	return names
}

// compareReport converts c to its report form.
func compareReport(c instances.Comparison) report.Compare {
	out := report.Compare{PairBy: c.Opts.PairBy, Reps: c.Opts.Reps, Level: c.Opts.Level, Seed: c.Opts.Seed, Bins: c.Opts.Bins,
		Models: []report.CompareModel{}, Pairs: []report.ComparePair{}}
	for _, m := range c.Models {
		out.Models = append(out.Models, report.CompareModel{
			Name: m.Name, Questions: m.Questions,
			Accuracy: m.Calibration.Accuracy, MeanConfidence: m.Calibration.MeanConfidence, ECE: m.Calibration.ECE,
			Bound: report.NewBound(m.Result), DeltaCI: report.Interval(m.Delta), Seed: m.Seed, DuplicateKeys: m.DuplicateKeys,
			Calibration: m.Calibration,
		})
	}
	for _, p := range c.Pairs {
		out.Pairs = append(out.Pairs, report.ComparePair{A: p.A, B: p.B, Shared: p.Shared, OnlyA: p.OnlyA, OnlyB: p.OnlyB,
			DeltaA: p.DeltaA, DeltaB: p.DeltaB, Diff: p.Diff, DiffCI: report.Interval(p.DiffCI), Seed: p.Seed})
	}
	return out
}
