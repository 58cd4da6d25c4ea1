package instances

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/iiv"
)

// A Question is one multiple-choice question as one model scored it: the
// unit that ReadQuestions reads and Compare pairs across models.
type Question struct {
	ID   string // the source's identifier (doc_id, instance id, or row number)
	Text string // the question's text, "" if the source has none
	// Choices are the choices' texts, nil when the source does not hold
	// them (lm-eval v0.3 --write_out).
	Choices []string
	Gold    int       // index of the gold choice
	Phat    []float64 // p̂ over the choices: the softmax of their scores
	// Where locates the question in its file, for messages.
	Where string
	Line  int
}

// Pred is the index of the first largest p̂, the choice the model picks
// (numpy's argmax, as lm-eval's acc and HELM's exact_match take it).
func (q *Question) Pred() int {
	best := 0
	for i, p := range q.Phat {
		if p > q.Phat[best] {
			best = i
		}
	}
	return best
}

// questionOf copies mc.
func questionOf(mc *evallog.MultipleChoice) Question {
	return Question{ID: mc.DocID, Text: mc.Question, Choices: slices.Clone(mc.Choices), Gold: mc.Gold,
		Phat: slices.Clone(mc.Phat), Where: mc.Source.String(), Line: mc.Source.Line}
}

// Formats ReadQuestions reads.
const (
	FormatLMEval    = "lmeval"     // lm-eval ≥ 0.4 samples (JSONL, or one JSON array as 0.4.0 and 0.4.2 wrote)
	FormatLMEvalV03 = "lmeval-v03" // lm-eval v0.3 *_write_out_info.json
	FormatHELM      = "helm"       // HELM scenario_state.json
	FormatChoices   = "choices"    // a table of per-choice scores (evallog.ChoiceTable)
)

// ErrRawOnly is the error of a QuestionSource.Norm other than raw for an
// lm-eval v0.3 file, whose choices' log-likelihoods cannot be normalised.
var ErrRawOnly = errors.New("lm-eval v0.3 --write_out files do not separate the choices' texts from their contexts; only raw applies")

// QuestionSource says how ReadQuestions reads a file.
type QuestionSource struct {
	Format string
	// Norm normalises lm-eval and choice-table log-likelihoods (default
	// raw).
	Norm evallog.Norm
	// Table describes a choice table (FormatChoices).
	Table evallog.ChoiceTable
	// HELMScore makes a HELM reference's score (default sum).
	HELMScore evallog.HELMScore
	// SkipBad skips and counts questions that cannot be read.
	SkipBad bool
	// Limits bounds a line and a file read whole (zero: the defaults).
	Limits evallog.Limits
}

// QuestionStats counts what ReadQuestions read and left out.
type QuestionStats struct {
	Format       string   `json:"format"`
	Questions    int      `json:"questions"`
	Skipped      int      `json:"skipped_bad"`
	FirstSkipped string   `json:"first_skipped,omitempty"`
	Notes        []string `json:"notes,omitempty"`
}

// ReadQuestions reads the multiple-choice questions of one file in the
// format src names. What cannot be read is an error naming the file, line
// or entry and field, or with src.SkipBad is skipped and counted; what a
// reader leaves out on purpose (other lm-eval filters, repeated doc_ids,
// HELM's other train trials) is counted in the notes.
func ReadQuestions(r io.Reader, name string, src QuestionSource) ([]Question, QuestionStats, error) {
	st := QuestionStats{Format: src.Format}
	var qs []Question
	keep := func(mc *evallog.MultipleChoice) error {
		qs = append(qs, questionOf(mc))
		return nil
	}
	var first *evallog.Error
	var err error
	switch src.Format {
	case FormatLMEval:
		var s evallog.LMEvalChoiceStats
		s, err = evallog.ReadLMEvalChoices(r, name, evallog.LMEvalChoiceOptions{Norm: src.Norm, SkipBad: src.SkipBad, Limits: src.Limits}, keep)
		st.Skipped, first = s.Skipped, s.FirstSkipped
		if s.Duplicates > 0 {
			st.Notes = append(st.Notes, fmt.Sprintf("%s: %d lines repeating a doc_id left out", name, s.Duplicates))
		}
		for _, f := range slices.Sorted(maps.Keys(s.OtherFilters)) {
			st.Notes = append(st.Notes, fmt.Sprintf("%s: %d lines of filter %q left out (read filter %q)", name, s.OtherFilters[f], f, s.Filter))
		}
	case FormatLMEvalV03:
		if src.Norm != "" && src.Norm != evallog.NormRaw {
			return nil, st, fmt.Errorf("%s: normalisation %s: %w", name, src.Norm, ErrRawOnly)
		}
		var s evallog.V03Stats
		s, err = evallog.ReadLMEvalV03(r, name, src.SkipBad, src.Limits, keep)
		st.Skipped, first = s.Skipped, s.FirstSkipped
		if s.AccDisagree > 0 {
			st.Notes = append(st.Notes, fmt.Sprintf("%s: %d documents' own acc differs from whether the gold choice has the largest log-likelihood", name, s.AccDisagree))
		}
	case FormatHELM:
		var s evallog.HELMStats
		s, err = evallog.ReadHELMChoices(r, name, src.HELMScore, src.SkipBad, src.Limits, keep)
		st.Skipped, first = s.Skipped, s.FirstSkipped
		if s.OtherTrials > 0 {
			st.Notes = append(st.Notes, fmt.Sprintf("%s: %d request states of train trials other than 0 left out", name, s.OtherTrials))
		}
	case FormatChoices:
		t := src.Table
		t.Norm, t.SkipBad, t.Limits = src.Norm, src.SkipBad, src.Limits
		var s evallog.ChoiceTableStats
		s, err = evallog.ReadChoiceTable(r, name, t, keep)
		st.Skipped, first = s.Skipped, s.FirstSkipped
	default:
		return nil, st, fmt.Errorf("unknown question format %q (want %s, %s, %s or %s)", src.Format, FormatLMEval, FormatLMEvalV03, FormatHELM, FormatChoices)
	}
	if first != nil {
		st.FirstSkipped = sampleError(first).Error()
	}
	if err != nil {
		return nil, st, sampleError(err)
	}
	st.Questions = len(qs)
	return qs, st, nil
}

// QuestionRows returns the instance of the questions (Section 3.2 of arXiv:2509.04664,
// Theorem 3), as ReadLMEval builds one: one context per question, named
// "<task> doc <id>: <question>"; its choices are the responses (their texts,
// or "choice i" without texts); the gold choice is valid with p = 1 and the
// others are errors; p̂ is the question's Phat. See RestrictionNote for what
// this p̂ is.
func QuestionRows[T iiv.Scalar[T]](qs []Question, task string) []iiv.Row[T] {
	var rows []iiv.Row[T]
	var zero T
	one := zero.Frac(1, 1)
	for _, q := range qs {
		ctx := fmt.Sprintf("%s doc %s", task, q.ID)
		if q.Text != "" {
			ctx += ": " + abbrev(q.Text, 200)
		}
		names := responseNames(q.Choices, len(q.Phat))
		for i, p := range q.Phat {
			row := iiv.Row[T]{Context: ctx, Response: names[i], Label: iiv.Error, Phat: zero.FromFloat(p), Line: q.Line}
			if i == q.Gold {
				row.Label, row.P, row.HasP = iiv.Valid, one, true
			}
			rows = append(rows, row)
		}
	}
	return rows
}
