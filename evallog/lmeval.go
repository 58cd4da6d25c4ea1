package evallog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/hallu-dev/hallu/internal/softmax"
	"github.com/hallu-dev/hallu/score"
)

// lmSample is one line of an lm-evaluation-harness samples file
// (formats.md §1). The metric values are further members, kept in rest.
type lmSample struct {
	DocID     jsontext.Value            `json:"doc_id"`
	Doc       jsontext.Value            `json:"doc"`
	Target    jsontext.Value            `json:"target"`
	Arguments jsontext.Value            `json:"arguments"`
	Resps     jsontext.Value            `json:"resps"`
	Filtered  jsontext.Value            `json:"filtered_resps"`
	Filter    *string                   `json:"filter"`
	Metrics   []string                  `json:"metrics"`
	Rest      map[string]jsontext.Value `json:",embed"`
}

// lmMetricPriority are the per-sample metrics tried, in order, as the
// grade when the file has no "metrics" list (lm-eval before 0.4.3).
var lmMetricPriority = []string{"exact_match", "acc", "em", "accuracy", "correct"}

// lmReader holds the state of one lm-eval samples file.
type lmReader struct {
	name   string
	opt    Options
	st     *Stats
	fn     func(*score.Sample) error
	filter string // the filter read; "" until the first line decides
	metric string
	// counts for the notes
	otherFilters map[string]int
	duplicates   int
	mismatch     int
	byMetric     int
	seen         map[string]bool
	conf         float64
	s            score.Sample
}

// readLMEval reads lm-evaluation-harness per-sample logs: the JSONL of
// 0.4.x (samples_<task>_<time>.jsonl, arguments as {"gen_args_0": {"arg_0",
// "arg_1"}, …}) and the single JSON array of 0.4.2 and the 2023
// development files (arguments as [[context, continuation], …] or one flat
// [context, continuation]).
//
// Generative tasks: the response is filtered_resps[0] and the grade the
// per-sample metric (LMEvalMetric, else the first 0/1-valued one in the
// "metrics" list, else exact_match/acc/em); "[invalid]" (a failed
// extraction) is an invalid sample. Multiple-choice tasks (one
// [log-likelihood, is_greedy] pair per choice): the prediction is the
// arg-max choice and its confidence the softmax of the choices'
// log-likelihoods (each divided by the choice's length in characters with
// LengthNormalized, as acc_norm does); correct iff it is the target index.
// A log-likelihood task with one continuation is graded by its metric.
// Lines repeating a (doc_id, filter) pair are skipped and counted.
func readLMEval(r *bufio.Reader, name string, opt Options, st *Stats, fn func(*score.Sample) error) error {
	lr := &lmReader{name: name, opt: opt, st: st, fn: fn, filter: opt.LMEvalFilter, metric: opt.LMEvalMetric,
		otherFilters: map[string]int{}, seen: map[string]bool{}}
	head, _ := r.Peek(1 << 10)
	if t := bytes.TrimLeft(head, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		err := lr.readArray(r)
		lr.notes()
		return err
	}
	err := eachLine(r, name, func(line int, raw []byte) error {
		return lr.record(raw, score.Source{File: name, Line: line})
	})
	lr.notes()
	return err
}

func (lr *lmReader) readArray(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("%s: %w", lr.name, err)
	}
	var items []jsontext.Value
	if err := unmarshal(b, &items); err != nil {
		return fmt.Errorf("%s: not a JSON array of samples: %w", lr.name, err)
	}
	for i, it := range items {
		if err := lr.record(it, score.Source{File: lr.name, Entry: "[" + strconv.Itoa(i) + "]"}); err != nil {
			return err
		}
	}
	return nil
}

func (lr *lmReader) notes() {
	for f, n := range lr.otherFilters {
		lr.st.note("ignored %d lines of lm-eval filter %q (read filter %q; choose with --lm-eval-filter)", n, f, lr.filter)
	}
	if lr.duplicates > 0 {
		lr.st.note("skipped %d lines repeating a (doc_id, filter) pair", lr.duplicates)
	}
	if lr.mismatch > 0 {
		lr.st.note("%d multiple-choice predictions disagree with the log's own acc/acc_norm (ties between choices)", lr.mismatch)
	}
	if lr.metric != "" {
		lr.st.note("lm-eval grade metric: %s", lr.metric)
	}
	if lr.byMetric > 0 {
		lr.st.note("%d multiple-choice samples graded by the log's acc: their target is not a choice index", lr.byMetric)
	}
}

// record reads one sample; it returns an error only to stop reading.
func (lr *lmReader) record(raw []byte, src score.Source) error {
	field, err := lr.parse(raw, src)
	if err != nil {
		return lr.st.bad(lr.opt.SkipBad, &Error{File: src.File, Line: src.Line, Entry: src.Entry, Field: field, Err: err})
	}
	return nil
}

func (lr *lmReader) parse(raw []byte, src score.Source) (string, error) {
	var rec lmSample
	if err := unmarshal(raw, &rec); err != nil {
		return "", err
	}
	id, ok := jtext(rec.DocID)
	if !ok || id == "" {
		return "doc_id", fmt.Errorf("%s is not an id", abbrev(rec.DocID))
	}
	filter := ""
	if rec.Filter != nil {
		filter = *rec.Filter
	}
	switch {
	case lr.filter == "" && len(lr.seen) == 0 && lr.opt.LMEvalFilter == "":
		lr.filter = filter
	case filter != lr.filter:
		lr.otherFilters[filter]++
		return "", nil
	}
	if lr.seen[id] {
		lr.duplicates++
		return "", nil
	}
	lr.seen[id] = true

	s := &lr.s
	*s = score.Sample{ID: id, Source: src, Model: lr.model()}
	s.Question = docQuestion(rec.Doc)
	var resps [][]jsontext.Value
	if err := unmarshal(rec.Resps, &resps); err != nil {
		return "resps", fmt.Errorf("not a list of lists: %w", err)
	}
	loglik := len(resps) > 0 && len(resps[0]) > 0 && resps[0][0].Kind() == '['
	if loglik && len(resps) > 1 {
		if field, err := lr.multipleChoice(&rec, resps, s); err != nil {
			return field, err
		}
	} else {
		if field, err := lr.graded(&rec, resps, loglik, s); err != nil {
			return field, err
		}
	}
	lr.st.Samples++
	return "", lr.fn(s)
}

func (lr *lmReader) model() string {
	if lr.opt.Model != "" {
		return lr.opt.Model
	}
	return lr.opt.DefaultModel
}

// docQuestion picks the question text out of a dataset row.
func docQuestion(doc jsontext.Value) string {
	q := ""
	if doc.Kind() != '{' {
		return q
	}
	members(doc, func(name string, v jsontext.Value) error {
		switch strings.ToLower(name) {
		case "question", "problem", "query", "input", "prompt":
			if s, ok := jstring(v); ok && q == "" {
				q = s
			}
		}
		return nil
	})
	return q
}

// graded reads a generative (or single-continuation) sample graded by a
// per-sample metric.
func (lr *lmReader) graded(rec *lmSample, resps [][]jsontext.Value, loglik bool, s *score.Sample) (string, error) {
	golds, err := jstrings(rec.Target)
	if err != nil {
		return "target", err
	}
	s.Golds = golds
	if !loglik {
		var filtered []jsontext.Value
		if err := unmarshal(rec.Filtered, &filtered); err == nil && len(filtered) > 0 {
			s.Response, _ = jtext(filtered[0])
		} else if len(resps) > 0 && len(resps[0]) > 0 {
			s.Response, _ = jtext(resps[0][0])
		}
		if strings.TrimSpace(s.Response) == "[invalid]" {
			s.Outcome, s.Reason = score.Invalid, "answer extraction failed ([invalid])"
			return "", nil
		}
	} else if len(golds) > 0 {
		s.Response = golds[0] // the continuation whose likelihood was scored
	}
	if lr.metric == "" {
		lr.metric = pickMetric(rec)
	}
	if lr.metric == "" {
		return "", nil // ungraded: package grade matches it against the target
	}
	v, ok := rec.Rest[lr.metric]
	if !ok {
		return lr.metric, errors.New("missing")
	}
	s.Outcome, s.Reason = metricOutcome(lr.metric, v)
	return "", nil
}

// pickMetric returns the first per-sample metric of rec with a 0/1 value.
func pickMetric(rec *lmSample) string {
	names := rec.Metrics
	if len(names) == 0 {
		names = lmMetricPriority
	}
	for _, n := range names {
		if v, ok := rec.Rest[n]; ok {
			if o, _ := metricOutcome(n, v); o == score.Correct || o == score.Wrong {
				return n
			}
		}
	}
	return ""
}

// metricOutcome reads a per-sample metric value as a grade: 1 or true is
// correct, 0 or false wrong, anything else invalid.
func metricOutcome(name string, v jsontext.Value) (score.Outcome, string) {
	switch v.Kind() {
	case 't':
		return score.Correct, ""
	case 'f':
		return score.Wrong, ""
	case '0':
		switch f, _ := strconv.ParseFloat(string(v), 64); f {
		case 1:
			return score.Correct, ""
		case 0:
			return score.Wrong, ""
		}
	}
	return score.Invalid, fmt.Sprintf("metric %s = %s is not a 0/1 grade", name, abbrev(v))
}

// multipleChoice grades a log-likelihood multiple-choice sample.
func (lr *lmReader) multipleChoice(rec *lmSample, resps [][]jsontext.Value, s *score.Sample) (string, error) {
	n := len(resps)
	ll := make([]float64, n)
	for i, r := range resps {
		var pair []jsontext.Value
		if err := unmarshal(r[0], &pair); err != nil || len(pair) == 0 {
			return "resps", fmt.Errorf("choice %d: %s is not [log-likelihood, is_greedy]", i, abbrev(r[0]))
		}
		x, ok := jnumber(pair[0])
		if !ok || math.IsNaN(x) || x > 0 {
			return "resps", fmt.Errorf("choice %d: log-likelihood %s is not a number ≤ 0", i, abbrev(pair[0]))
		}
		ll[i] = x
	}
	choices := lmChoices(rec.Arguments)
	if len(choices) != n {
		choices = nil
	}
	target, err := lmTarget(rec.Target, choices, n)
	if err != nil {
		// Some task configs log the answer text rather than its index
		// (mathqa in 2023); the log's own acc then carries the grade.
		if _, ok := rec.Rest["acc"]; !ok {
			return "target", err
		}
		target = -1
	}
	z := ll
	metric := "acc"
	if lr.opt.LengthNormalized {
		if choices == nil {
			return "arguments", fmt.Errorf("length normalisation needs the %d choices' texts, and the arguments hold %d", n, len(lmChoices(rec.Arguments)))
		}
		z = make([]float64, n)
		for i, c := range choices {
			z[i] = ll[i] / float64(max(1, utf8.RuneCountInString(c)))
		}
		metric = "acc_norm"
	}
	pred := 0
	for i := range z {
		if z[i] > z[pred] {
			pred = i
		}
	}
	phat, err := softmax.Of(z)
	if err != nil {
		return "resps", err
	}
	lr.conf = phat[pred]
	s.Confidence = &lr.conf
	if target < 0 {
		s.Response = "choice " + strconv.Itoa(pred)
		if choices != nil {
			s.Response = choices[pred]
		}
		s.Golds, _ = jstrings(rec.Target)
		s.Outcome, s.Reason = metricOutcome("acc", rec.Rest["acc"])
		lr.byMetric++
		return "", nil
	}
	if choices != nil {
		s.Response, s.Golds = choices[pred], []string{choices[target]}
	} else {
		s.Response, s.Golds = "choice "+strconv.Itoa(pred), []string{"choice " + strconv.Itoa(target)}
	}
	s.Outcome = score.Wrong
	if pred == target {
		s.Outcome = score.Correct
	}
	if v, ok := rec.Rest[metric]; ok {
		if o, _ := metricOutcome(metric, v); (o == score.Correct || o == score.Wrong) && o != s.Outcome {
			lr.mismatch++
		}
	}
	return "", nil
}

// lmChoices returns the continuation of each request in arguments, in
// order: {"gen_args_0": {"arg_0": ctx, "arg_1": cont}, …} or [[ctx, cont],
// …]. A flat [ctx, cont] (2023 files) yields one continuation.
func lmChoices(args jsontext.Value) []string {
	var out []string
	switch args.Kind() {
	case '{':
		type kv struct {
			i    int
			cont string
		}
		var all []kv
		members(args, func(name string, v jsontext.Value) error {
			i, err := strconv.Atoi(strings.TrimPrefix(name, "gen_args_"))
			if err != nil {
				return nil
			}
			var a struct {
				Arg1 jsontext.Value `json:"arg_1"`
			}
			if unmarshal(v, &a) == nil {
				c, _ := jstring(a.Arg1)
				all = append(all, kv{i, c})
			}
			return nil
		})
		slices.SortFunc(all, func(a, b kv) int { return a.i - b.i })
		for _, x := range all {
			out = append(out, x.cont)
		}
	case '[':
		var items []jsontext.Value
		if unmarshal(args, &items) != nil || len(items) == 0 {
			return nil
		}
		if items[0].Kind() != '[' { // flat [ctx, cont]
			if len(items) == 2 {
				c, _ := jstring(items[1])
				return []string{c}
			}
			return nil
		}
		for _, it := range items {
			var pair []jsontext.Value
			if unmarshal(it, &pair) != nil || len(pair) < 2 {
				return nil
			}
			c, _ := jstring(pair[1])
			out = append(out, c)
		}
	}
	return out
}

// lmTarget reads a multiple-choice target: an index (number or numeric
// string), or a string equal to one of the choices.
func lmTarget(v jsontext.Value, choices []string, n int) (int, error) {
	if x, ok := jnumber(v); ok && x == math.Trunc(x) && x >= 0 && int(x) < n {
		return int(x), nil
	}
	if s, ok := jstring(v); ok {
		for i, c := range choices {
			if strings.TrimSpace(c) == strings.TrimSpace(s) {
				return i, nil
			}
		}
	}
	return 0, fmt.Errorf("%s is not the index of one of %d choices", abbrev(v), n)
}
