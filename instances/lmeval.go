package instances

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/iiv"
)

// RestrictionNote is the caveat every report of an instance read from
// per-choice scores must carry: p̂ is restricted to the choices offered,
// and made from what the source's scores are (log-likelihoods, HELM's
// log-probabilities, a table's logits, log-probabilities or
// probabilities). Norm, Table.Norm and SkipBad of src do not change it.
func RestrictionNote(src QuestionSource) string {
	return "p̂ is the model's distribution restricted to the choices the benchmark offers " +
		"(" + phatOrigin(src) + "), not its distribution over all answers: " +
		"err and δ describe the model on this plausible set X_c only"
}

// phatOrigin says how p̂ is made from the scores of src's format.
func phatOrigin(src QuestionSource) string {
	switch src.Format {
	case FormatHELM:
		switch src.HELMScore {
		case evallog.HELMPerToken:
			return "the softmax of their mean token log-probabilities"
		case evallog.HELMCalibrated:
			return "the softmax of their log-probabilities minus those of the calibration requests"
		}
		return "the softmax of their log-probabilities"
	case FormatChoices:
		switch src.Table.Kind {
		case evallog.KindLogprob:
			return "the softmax of their log-probabilities"
		case evallog.KindProb:
			return "their probabilities divided by their sum"
		}
		return "the softmax of their logits"
	}
	return "the softmax of their log-likelihoods"
}

// LMEvalOptions configures ReadLMEval.
type LMEvalOptions struct {
	Norm evallog.Norm // default evallog.NormRaw
	// Task names the task in contexts (default: taken from the file name
	// by evallog.LMEvalTask).
	Task string
	// Filter selects the lm-eval filter read ("" = the first in the file).
	Filter string
	// SkipBad skips samples that cannot be read, counting them, instead of
	// failing on the first.
	SkipBad bool
	// Limits bounds a line, and a file that is one JSON array (zero: the
	// defaults).
	Limits evallog.Limits
}

// LMEvalStats counts what ReadLMEval read and left out.
type LMEvalStats struct {
	Samples      int            `json:"samples"`
	Skipped      int            `json:"skipped_bad"`
	FirstSkipped string         `json:"first_skipped,omitempty"`
	Duplicates   int            `json:"duplicates"`
	OtherFilters map[string]int `json:"other_filters,omitempty"`
	Filter       string         `json:"filter"`
	Task         string         `json:"task"`
	Norm         evallog.Norm   `json:"norm"`
}

// ReadLMEval reads an lm-evaluation-harness per-sample log of a
// multiple-choice task with evallog.ReadLMEvalChoices (lm-eval samples: JSONL
// of lm-eval ≥ 0.4, or the one JSON array of 0.4.2) and returns the
// instance (Section 3.2 and Theorem 3 of arXiv:2509.04664): one context per document, named "<task>
// doc <doc_id>: <question>"; its choices are the responses; the gold
// choice is valid with p = 1 and the others are errors; p̂ is the softmax
// over the choices of their log-likelihoods normalised by opt.Norm. See
// RestrictionNote for what this p̂ is.
//
// The responses are the choices' texts as lm-eval's doc_to_choice gives
// them, suffixed by " [choice i]" where two choices share a text; without
// texts they are named "choice i" and only evallog.NormRaw works. What
// evallog.ReadLMEvalChoices cannot read is an error naming the file, line
// and field, or with SkipBad is skipped and counted.
func ReadLMEval[T iiv.Scalar[T]](r io.Reader, name string, opt LMEvalOptions) ([]iiv.Row[T], LMEvalStats, error) {
	if opt.Norm == "" {
		opt.Norm = evallog.NormRaw
	}
	if opt.Task == "" {
		opt.Task = evallog.LMEvalTask(name)
	}
	var rows []iiv.Row[T]
	var zero T
	est, err := evallog.ReadLMEvalChoices(r, name, evallog.LMEvalChoiceOptions{Filter: opt.Filter, Norm: opt.Norm, SkipBad: opt.SkipBad, Limits: opt.Limits},
		func(mc *evallog.MultipleChoice) error {
			ctx := fmt.Sprintf("%s doc %s", opt.Task, mc.DocID)
			if mc.Question != "" {
				ctx += ": " + abbrev(mc.Question, 200)
			}
			names := responseNames(mc.Choices, len(mc.Phat))
			for i, p := range mc.Phat {
				row := iiv.Row[T]{Context: ctx, Response: names[i], Label: iiv.Error, Phat: zero.FromFloat(p), Line: mc.Source.Line}
				if i == mc.Gold {
					row.Label, row.P, row.HasP = iiv.Valid, zero.Frac(1, 1), true
				}
				rows = append(rows, row)
			}
			return nil
		})
	st := LMEvalStats{Samples: est.Samples, Skipped: est.Skipped, Duplicates: est.Duplicates, OtherFilters: est.OtherFilters,
		Filter: est.Filter, Task: opt.Task, Norm: opt.Norm}
	if est.FirstSkipped != nil {
		st.FirstSkipped = sampleError(est.FirstSkipped).Error()
	}
	if err != nil {
		return nil, st, sampleError(err)
	}
	if len(rows) == 0 {
		return nil, st, fmt.Errorf("%s: no multiple-choice sample read (%d skipped)", name, st.Skipped)
	}
	return rows, st, nil
}

// sampleError words an *evallog.Error as this package's readers word
// theirs: "<file> line <n>: field <f>: <why>".
func sampleError(err error) error {
	var e *evallog.Error
	if !errors.As(err, &e) {
		return err
	}
	where := e.File
	switch {
	case e.Line > 0:
		where += " line " + strconv.Itoa(e.Line)
	case e.Entry != "":
		where += " entry " + e.Entry
	}
	if e.Field != "" {
		where += ": field " + e.Field
	}
	return fmt.Errorf("%s: %w", where, e.Err)
}

// responseNames returns the choices as distinct response strings: the
// choice's text, suffixed by " [choice i]" when two choices share a text,
// or "choice i" without texts.
func responseNames(choices []string, n int) []string {
	out := make([]string, n)
	count := map[string]int{}
	for _, c := range choices {
		count[c]++
	}
	for i := range n {
		switch {
		case choices == nil:
			out[i] = "choice " + strconv.Itoa(i)
		case count[choices[i]] > 1:
			out[i] = fmt.Sprintf("%s [choice %d]", choices[i], i)
		default:
			out[i] = choices[i]
		}
	}
	return out
}

// abbrev shortens s to at most n runes, on one line.
func abbrev(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
