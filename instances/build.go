package instances

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/internal/provenance"
)

// Formats of candidate sets that Build reads besides the question formats
// (FormatLMEval, FormatLMEvalV03, FormatHELM, FormatChoices).
const (
	FormatCandidates      = "candidates"      // candidate sets, one JSON object per line (ReadCandidates)
	FormatMC              = "mc"              // multiple-choice items, one JSON object per line (ReadMultipleChoice)
	FormatTruthfulQA      = "truthfulqa"      // TruthfulQA.csv (TruthfulQA)
	FormatCoDEx           = "codex"           // a CoDEx-S directory (CoDEx)
	FormatEntityQuestions = "entityquestions" // an EntityQuestions relation file (EntityQuestions)
)

// BuildFormats are the formats Build reads.
var BuildFormats = []string{FormatLMEval, FormatLMEvalV03, FormatHELM, FormatChoices,
	FormatCandidates, FormatMC, FormatTruthfulQA, FormatCoDEx, FormatEntityQuestions}

// A Source is what Build reads: a file (for FormatCoDEx, a directory; for
// FormatHELM, a file or a HELM run directory holding scenario_state.json)
// in one of BuildFormats.
type Source struct {
	Format string
	Path   string
}

// BuildOptions configures Build; the zero value reads every format with
// its defaults.
type BuildOptions struct {
	// Norm normalises the log-likelihoods of lm-eval logs and choice
	// tables (default raw).
	Norm evallog.Norm
	// SkipBad skips and counts the samples of lm-eval, lm-eval v0.3, HELM
	// and choice-table files that cannot be read.
	SkipBad bool
	// Table describes a choice table (FormatChoices).
	Table evallog.ChoiceTable
	// HELMScore makes a HELM reference's score (default sum).
	HELMScore evallog.HELMScore
	// Limits bounds a line (or CSV record) and a file read whole, in every
	// format (zero: the defaults).
	Limits evallog.Limits
	// Distractors and Seed configure FormatEntityQuestions
	// (EntityQuestionsOptions).
	Distractors int
	Seed        uint64
	// CoDExSplit names the negatives file of a CoDEx directory: "test"
	// (the default) or "valid".
	CoDExSplit string
	// Limit keeps the first Limit candidate sets (0: all).
	Limit int
	// Endpoint scores candidate sets: the formats other than the question
	// ones need it, and an lm-eval log with it is scored anew from its
	// questions and choices (LMEvalSets) instead of by the log-likelihoods
	// it recorded.
	Endpoint *Endpoint
	// Score bounds the requests at once and reports progress.
	Score ScoreOptions
}

// Built is an instance Build made, with what its reports must say.
type Built[T iiv.Scalar[T]] struct {
	Rows []iiv.Row[T]
	// Inputs are the files read, with their sha256.
	Inputs []provenance.Input
	// Notes say what p̂ is and what was left out; every report of the
	// instance carries them.
	Notes []string
	// What was read: LMEval for an lm-eval log read by its own
	// log-likelihoods, Questions for the other question formats,
	// Conversion for candidate sets (nil where they do not apply).
	LMEval     *LMEvalStats
	Questions  *QuestionStats
	Conversion *ConvertStats
	// Sets is the number of candidate sets scored (after Limit), and
	// Scoring how they were scored.
	Sets    int
	Scoring *Scored[T]
}

// Build reads src and returns its instance (Sections 3.1–3.2 of
// arXiv:2509.04664): for the question formats, from the probabilities the
// file records (ReadLMEval, ReadQuestions, QuestionRows); for candidate
// sets, scored on opt.Endpoint (ScoreEndpoint). An option that cannot be
// used is an *OptionError: before anything is read, except a TopLogprobs
// larger than the endpoint gives, which only its answer reveals.
func Build[T iiv.Scalar[T]](ctx context.Context, src Source, opt BuildOptions) (Built[T], error) {
	var b Built[T]
	switch src.Format {
	case FormatLMEval:
		if opt.Endpoint == nil {
			return buildLMEval[T](src.Path, opt)
		}
	case FormatLMEvalV03, FormatHELM, FormatChoices:
		return buildQuestions[T](src, opt)
	case FormatCandidates, FormatMC, FormatTruthfulQA, FormatCoDEx, FormatEntityQuestions:
	default:
		return b, &OptionError{"Format", fmt.Sprintf("%q: want one of %s", src.Format, strings.Join(BuildFormats, ", "))}
	}
	if opt.CoDExSplit == "" {
		opt.CoDExSplit = "test"
	}
	switch {
	case opt.Limit < 0:
		return b, &OptionError{"Limit", "must be ≥ 0"}
	case src.Format == FormatCoDEx && opt.CoDExSplit != "test" && opt.CoDExSplit != "valid":
		return b, &OptionError{"CoDExSplit", fmt.Sprintf("%q: want test or valid", opt.CoDExSplit)}
	case opt.Endpoint == nil:
		return b, &OptionError{"Endpoint", fmt.Sprintf("missing: %s candidate sets are scored by a model", src.Format)}
	}
	e := *opt.Endpoint
	if err := e.validate(); err != nil {
		return b, err
	}
	sets, conv, err := readSets(src, opt, &b.Inputs)
	if err != nil {
		return b, err
	}
	if opt.Limit > 0 && opt.Limit < len(sets) {
		sets = sets[:opt.Limit]
	}
	scored, err := ScoreEndpoint[T](ctx, sets, e, opt.Score)
	if err != nil {
		return b, fmt.Errorf("%s: %w", src.Path, err)
	}
	b.Rows, b.Sets, b.Conversion = scored.Rows, len(sets), &conv
	b.Notes = append(slices.Clone(scored.Notes), "p(r|c) is uniform over a context's valid candidates unless the set gives p.")
	for _, reason := range slices.Sorted(maps.Keys(conv.Skipped)) {
		b.Notes = append(b.Notes, fmt.Sprintf("%d left out: %s", conv.Skipped[reason], reason))
	}
	scored.Rows = nil
	b.Scoring = &scored
	return b, nil
}

// buildLMEval reads an lm-eval log by the log-likelihoods it recorded.
func buildLMEval[T iiv.Scalar[T]](path string, opt BuildOptions) (Built[T], error) {
	var b Built[T]
	var st LMEvalStats
	in, err := input.Read(path, func(r io.Reader) (err error) {
		b.Rows, st, err = ReadLMEval[T](r, path, LMEvalOptions{Norm: opt.Norm, SkipBad: opt.SkipBad, Limits: opt.Limits})
		return err
	})
	if err != nil {
		return b, err
	}
	b.Inputs, b.LMEval = []provenance.Input{in}, &st
	b.Notes = []string{RestrictionNote(QuestionSource{Format: FormatLMEval}) + ".", lmevalNormNote(st.Norm)}
	if st.Skipped > 0 {
		b.Notes = append(b.Notes, fmt.Sprintf("%d samples skipped (BuildOptions.SkipBad); first: %s", st.Skipped, st.FirstSkipped))
	}
	if st.Duplicates > 0 {
		b.Notes = append(b.Notes, fmt.Sprintf("%d lines repeating a (doc_id, filter) left out", st.Duplicates))
	}
	for _, f := range slices.Sorted(maps.Keys(st.OtherFilters)) {
		b.Notes = append(b.Notes, fmt.Sprintf("%d lines of filter %q left out (read filter %q)", st.OtherFilters[f], f, st.Filter))
	}
	return b, nil
}

func lmevalNormNote(n evallog.Norm) string {
	switch n {
	case evallog.NormLength:
		return "BuildOptions.Norm length: each log-likelihood is divided by its choice's length in characters before the softmax, as lm-eval's acc_norm ranks choices."
	case evallog.NormBytes:
		return "BuildOptions.Norm bytes: each log-likelihood is divided by its choice's length in UTF-8 bytes before the softmax, as lm-eval's acc_bytes ranks choices."
	}
	return "BuildOptions.Norm raw: the softmax of the raw log-likelihoods, as lm-eval's acc ranks choices."
}

// buildQuestions builds the instance of a file of scored multiple-choice
// questions (ReadQuestionsFile, QuestionRows).
func buildQuestions[T iiv.Scalar[T]](src Source, opt BuildOptions) (Built[T], error) {
	var b Built[T]
	qsrc := QuestionSource{Format: src.Format, Norm: opt.Norm, Table: opt.Table, HELMScore: opt.HELMScore, SkipBad: opt.SkipBad, Limits: opt.Limits}
	qs, st, in, err := ReadQuestionsFile(src.Path, qsrc)
	if err != nil {
		return b, err
	}
	b.Inputs, b.Questions = []provenance.Input{in}, &st
	b.Rows = QuestionRows[T](qs, strings.TrimSuffix(filepath.Base(src.Path), ".gz"))
	b.Notes = append([]string{RestrictionNote(qsrc) + "."}, st.Notes...)
	if st.Skipped > 0 {
		b.Notes = append(b.Notes, fmt.Sprintf("%d questions skipped (BuildOptions.SkipBad); first: %s", st.Skipped, st.FirstSkipped))
	}
	return b, nil
}

// ReadQuestionsFile reads the questions of path as ReadQuestions does; a
// HELM run directory means its scenario_state.json. The Input names the
// file read.
func ReadQuestionsFile(path string, src QuestionSource) ([]Question, QuestionStats, provenance.Input, error) {
	if src.Format == FormatHELM && isDir(path) {
		path = filepath.Join(path, "scenario_state.json")
	}
	var qs []Question
	var st QuestionStats
	in, err := input.Read(path, func(r io.Reader) (err error) {
		qs, st, err = ReadQuestions(r, path, src)
		return err
	})
	return qs, st, in, err
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// DetectQuestionFormat returns the format of the per-choice scores at
// path: by its name (or a HELM run directory), else by the first 64 KiB
// of its content (the keys each format writes), else a choice table if
// the caller names score columns (scoreColumns), else an lm-eval log.
func DetectQuestionFormat(path string, scoreColumns bool) string {
	base := strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(filepath.Base(path)), ".gz"), ".zst")
	switch {
	case strings.HasSuffix(base, "_write_out_info.json"):
		return FormatLMEvalV03
	case strings.HasSuffix(base, "scenario_state.json") || isDir(path):
		return FormatHELM
	case strings.HasSuffix(base, ".csv"):
		return FormatChoices
	}
	if f, err := input.OpenUnhashed(path); err == nil {
		head := make([]byte, 64<<10)
		n, _ := io.ReadFull(f, head)
		f.Close()
		switch head = head[:n]; {
		case bytes.Contains(head, []byte(`"resps"`)):
			return FormatLMEval
		case bytes.Contains(head, []byte(`"request_states"`)):
			return FormatHELM
		case bytes.Contains(head, []byte(`"logit_0"`)):
			return FormatLMEvalV03
		}
	}
	if scoreColumns {
		return FormatChoices
	}
	return FormatLMEval
}

// readSets reads the candidate sets of src, appending the files read to
// inputs.
func readSets(src Source, opt BuildOptions, inputs *[]provenance.Input) ([]CandidateSet, ConvertStats, error) {
	var sets []CandidateSet
	var st ConvertStats
	path := src.Path
	read := func(fn func(r io.Reader) error) error {
		in, err := input.Read(path, fn)
		if err == nil {
			*inputs = append(*inputs, in)
		}
		return err
	}
	var err error
	switch src.Format {
	case FormatCandidates:
		err = read(func(r io.Reader) (err error) {
			sets, err = ReadCandidates(r, path, opt.Limits)
			st.Sets = len(sets)
			return err
		})
	case FormatLMEval:
		err = read(func(r io.Reader) (err error) {
			sets, st, err = LMEvalSets(r, path, opt.Limits)
			return err
		})
	case FormatMC:
		err = read(func(r io.Reader) (err error) {
			sets, st, err = ReadMultipleChoice(r, path, opt.Limits)
			return err
		})
	case FormatTruthfulQA:
		err = read(func(r io.Reader) (err error) {
			sets, st, err = TruthfulQA(r, path, opt.Limits)
			return err
		})
	case FormatEntityQuestions:
		err = read(func(r io.Reader) (err error) {
			sets, st, err = EntityQuestions(r, path, EntityQuestionsOptions{Distractors: opt.Distractors, Seed: opt.Seed, Limits: opt.Limits})
			return err
		})
	case FormatCoDEx:
		sets, st, err = readCoDExDir(path, opt.CoDExSplit, opt.Limits, inputs)
	}
	return sets, st, err
}
