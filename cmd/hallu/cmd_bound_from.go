package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
	stderr                           io.Writer     // progress goes here when it is a terminal
	questions                        questionFlags // lmeval-v03, helm and choices
}

var fromSources = []string{"lmeval", "lmeval-v03", "helm", "choices", "candidates", "mc", "truthfulqa", "codex", "entityquestions"}

func (o *fromOptions) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.source, "from", "", "build the instance from FILE of this `source`: "+strings.Join(fromSources, ", "))
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
	o.client.register(cmd)
	o.scoring.register(cmd)
}

// builtInstance is an instance built from a source, with what reports say
// about how.
type builtInstance[T iiv.Scalar[T]] struct {
	rows   []iiv.Row[T]
	inputs []provenance.Input
	notes  []string
	params map[string]any
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
	inst, err := buildInstance[T](ctx, path, opts.from)
	if err != nil {
		return err
	}
	if opts.from.writeInstance != "" {
		if err := atomicfile.Write(opts.from.writeInstance, func(f *os.File) error { return iiv.Write(f, inst.rows) }); err != nil {
			return err
		}
	}
	acc := iiv.Accumulator[T]{Tolerance: opts.tolerance}
	for _, r := range inst.rows {
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
		for _, in := range inst.inputs {
			prov = append(prov, fmt.Sprintf("input %s (sha256 %s)", in.Path, in.SHA256))
		}
		return report.BoundPage(name, b, append(prov, inst.notes...))
	}
	return writeResult(opts.html, page, func() error {
		if !opts.json {
			if err := report.WriteBoundText(stdout, name, b); err != nil {
				return err
			}
			for _, n := range inst.notes {
				if _, err := fmt.Fprintf(stdout, "Note: %s\n", n); err != nil {
					return err
				}
			}
			return nil
		}
		params := map[string]any{"exact": opts.exact, "thresholds": opts.thresholds, "tolerance": opts.tolerance,
			"from": opts.from.source, "notes": inst.notes}
		for k, v := range inst.params {
			params[k] = v
		}
		return provenance.WriteJSON(stdout, provenance.NewEnvelope("bound", params, b, inst.inputs...))
	})
}

// buildInstance reads path as o.source says and, for candidate sets,
// scores them on the endpoint.
func buildInstance[T iiv.Scalar[T]](ctx context.Context, path string, o fromOptions) (builtInstance[T], error) {
	var bi builtInstance[T]
	if o.source == "lmeval" && o.baseURL == "" { // the log's own log-likelihoods; with --base-url its questions are scored anew
		norm, err := evallog.ParseNorm(o.norm)
		if err != nil {
			return bi, usagef("--norm: %v", err)
		}
		var st instances.LMEvalStats
		err = readInput(path, &bi.inputs, func(r io.Reader) (err error) {
			bi.rows, st, err = instances.ReadLMEval[T](r, path, instances.LMEvalOptions{Norm: norm, SkipBad: o.skipBad})
			return err
		})
		if err != nil {
			return bi, err
		}
		bi.notes = []string{instances.RestrictionNote + ".", lmevalNormNote(norm)}
		if st.Skipped > 0 {
			bi.notes = append(bi.notes, fmt.Sprintf("%d samples skipped (--skip-bad); first: %s", st.Skipped, st.FirstSkipped))
		}
		if st.Duplicates > 0 {
			bi.notes = append(bi.notes, fmt.Sprintf("%d lines repeating a (doc_id, filter) left out", st.Duplicates))
		}
		for f, n := range st.OtherFilters {
			bi.notes = append(bi.notes, fmt.Sprintf("%d lines of filter %q left out (read filter %q)", n, f, st.Filter))
		}
		bi.params = map[string]any{"norm": norm, "lm_eval": st}
		return bi, nil
	}
	switch o.source {
	case instances.FormatLMEvalV03, instances.FormatHELM, instances.FormatChoices:
		return buildFromQuestions[T](path, o)
	}
	sets, conv, err := readCandidateSets(path, o, &bi.inputs)
	if err != nil {
		return bi, err
	}
	if o.limit < 0 {
		return bi, usagef("--limit must be ≥ 0")
	}
	if o.limit > 0 && o.limit < len(sets) {
		sets = sets[:o.limit]
	}
	if o.baseURL == "" || o.model == "" {
		return bi, usagef("bound --from %s: --base-url and --model name the model that scores the candidates", o.source)
	}
	client, _, closeEndpoint, err := openEndpoint(o.baseURL, o.apiKeyEnv, o.cache, "hallu-bound.cache.db", o.noCache, o.client)
	if err != nil {
		return bi, err
	}
	defer closeEndpoint()
	sopt := instances.ScoreOptions{Workers: o.client.concurrency}
	if !o.quiet && o.stderr != nil && isTerminal(o.stderr) {
		sopt.Progress = scoreProgress(o.stderr)
		defer fmt.Fprintln(o.stderr)
	}
	scored, err := scoreSets[T](ctx, sets, client, o.model, o.scoring, o.seed, sopt)
	if err != nil {
		return bi, fmt.Errorf("%s: %w", path, err)
	}
	bi.rows = scored.rows
	bi.notes = append(scored.notes, "p(r|c) is uniform over a context's valid candidates unless the set gives p.")
	for reason, n := range conv.Skipped {
		bi.notes = append(bi.notes, fmt.Sprintf("%d left out: %s", n, reason))
	}
	bi.params = map[string]any{"base_url": llm.RedactURL(o.baseURL), "model": o.model, "limit": o.limit, "sets": len(sets), "conversion": conv,
		"method": scored.method, "labels": o.scoring.labels, "top_logprobs": o.scoring.topLogprobs, "choices": scored.choices}
	switch o.source {
	case "entityquestions":
		bi.params["distractors"], bi.params["seed"] = o.distractors, o.seed
	case "codex":
		bi.params["codex_split"] = o.codexSplit
	}
	return bi, nil
}

// buildFromQuestions builds the instance of a file of scored
// multiple-choice questions (instances.ReadQuestions).
func buildFromQuestions[T iiv.Scalar[T]](path string, o fromOptions) (builtInstance[T], error) {
	var bi builtInstance[T]
	q := o.questions
	q.format, q.norm, q.skipBad = o.source, o.norm, o.skipBad
	qs, st, _, err := q.readQuestions(path, &bi.inputs)
	if err != nil {
		return bi, err
	}
	task := strings.TrimSuffix(filepath.Base(path), ".gz")
	bi.rows = instances.QuestionRows[T](qs, task)
	bi.notes = append([]string{instances.RestrictionNote + "."}, st.Notes...)
	if st.Skipped > 0 {
		bi.notes = append(bi.notes, fmt.Sprintf("%d questions skipped (--skip-bad); first: %s", st.Skipped, st.FirstSkipped))
	}
	bi.params = map[string]any{"norm": o.norm, "questions": st}
	switch o.source {
	case instances.FormatChoices:
		bi.params["table"] = q.tableParams()
	case instances.FormatHELM:
		bi.params["helm_score"] = q.helmScore
	}
	return bi, nil
}

// scoreProgress redraws "scored N/M candidate sets" on w, at most five
// times a second and at the end.
func scoreProgress(w io.Writer) func(done, total int) {
	var last time.Time
	return func(done, total int) {
		if now := time.Now(); done == total || now.Sub(last) > 200*time.Millisecond {
			last = now
			fmt.Fprintf(w, "\rscored %d/%d candidate sets", done, total)
		}
	}
}

func lmevalNormNote(n evallog.Norm) string {
	switch n {
	case evallog.NormLength:
		return "--norm length: each log-likelihood is divided by its choice's length in characters before the softmax, as lm-eval's acc_norm ranks choices."
	case evallog.NormBytes:
		return "--norm bytes: each log-likelihood is divided by its choice's length in UTF-8 bytes before the softmax, as lm-eval's acc_bytes ranks choices."
	}
	return "--norm raw: the softmax of the raw log-likelihoods, as lm-eval's acc ranks choices."
}

// readCandidateSets reads the candidate sets of a candidate-type source.
func readCandidateSets(path string, o fromOptions, inputs *[]provenance.Input) ([]instances.CandidateSet, instances.ConvertStats, error) {
	var sets []instances.CandidateSet
	var st instances.ConvertStats
	var err error
	switch o.source {
	case "candidates":
		err = readInput(path, inputs, func(r io.Reader) (err error) {
			sets, err = instances.ReadCandidates(r, path)
			st.Sets = len(sets)
			return err
		})
	case "lmeval":
		err = readInput(path, inputs, func(r io.Reader) (err error) {
			sets, st, err = instances.LMEvalSets(r, path)
			return err
		})
	case "mc":
		err = readInput(path, inputs, func(r io.Reader) (err error) {
			sets, st, err = instances.ReadMultipleChoice(r, path)
			return err
		})
	case "truthfulqa":
		err = readInput(path, inputs, func(r io.Reader) (err error) {
			sets, st, err = instances.TruthfulQA(r, path)
			return err
		})
	case "entityquestions":
		err = readInput(path, inputs, func(r io.Reader) (err error) {
			sets, st, err = instances.EntityQuestions(r, path, instances.EntityQuestionsOptions{Distractors: o.distractors, Seed: o.seed})
			return err
		})
	case "codex":
		sets, st, err = readCoDEx(path, o.codexSplit, inputs)
	default:
		return nil, st, usagef("--from %q: want one of %s", o.source, strings.Join(fromSources, ", "))
	}
	return sets, st, err
}

// readCoDEx reads a CoDEx-S directory: relations_en.json (or
// relations.json), the true triples of train, valid and test, and the
// split's negatives.
func readCoDEx(dir, split string, inputs *[]provenance.Input) ([]instances.CandidateSet, instances.ConvertStats, error) {
	if split != "test" && split != "valid" {
		return nil, instances.ConvertStats{}, usagef("--codex-split %q: want test or valid", split)
	}
	var files []*input.File
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	open := func(names ...string) (*input.File, error) {
		var err error
		for _, n := range names {
			var f *input.File
			if f, err = input.Open(filepath.Join(dir, n)); err == nil {
				files = append(files, f)
				return f, nil
			}
		}
		return nil, err
	}
	var in instances.CoDExInput
	rel, err := open("relations_en.json", "relations.json")
	if err != nil {
		return nil, instances.ConvertStats{}, err
	}
	in.Relations = rel
	for _, n := range []string{"train.txt", "valid.txt", "test.txt"} {
		f, err := open(n)
		if err != nil {
			return nil, instances.ConvertStats{}, err
		}
		in.Positives = append(in.Positives, instances.NamedReader{Name: f.Input().Path, R: f})
	}
	neg, err := open(split + "_negatives.txt")
	if err != nil {
		return nil, instances.ConvertStats{}, err
	}
	in.Negatives = instances.NamedReader{Name: neg.Input().Path, R: neg}
	sets, st, err := instances.CoDEx(in)
	if err != nil {
		return nil, st, err
	}
	for _, f := range files {
		if _, err := io.Copy(io.Discard, f); err != nil {
			return nil, st, err
		}
		*inputs = append(*inputs, f.Input())
	}
	return sets, st, nil
}

// readInput opens path, calls read with it, reads it to the end (so its
// sha256 covers the whole file) and appends it to inputs.
func readInput(path string, inputs *[]provenance.Input, read func(io.Reader) error) error {
	f, err := input.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := read(f); err != nil {
		return err
	}
	if _, err := io.Copy(io.Discard, f); err != nil {
		return err
	}
	*inputs = append(*inputs, f.Input())
	return nil
}
