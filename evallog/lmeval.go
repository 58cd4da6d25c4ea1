package evallog

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/hallu-dev/hallu/score"
)

// lmSample is one line of an lm-evaluation-harness samples file.
// The metric values are further members, kept in rest.
type lmSample struct {
	DocID     jsontext.Value            `json:"doc_id"`
	DocHash   string                    `json:"doc_hash"`
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

// lmLog reads the samples of one lm-eval samples file, JSONL or one JSON
// array: it decodes each, keeps one filter and the first line of each
// doc_id, and hands the rest to parse; emit passes a sample parse accepted
// on to the caller. Both readers of the format (Read, ReadLMEvalChoices)
// are built on it.
type lmLog struct {
	name    string
	skipBad bool
	st      *Stats
	filter  string // the filter read
	chosen  bool   // whether filter is decided (by the caller or the first sample)
	// counts for the notes
	otherFilters map[string]int
	duplicates   int
	firstBad     *Error // the first record skipped (skipBad)
	seen         map[string]bool
	lim          Limits
	parse        func(rec *lmSample, id string, src score.Source) (field string, err error)
	emit         func() error
}

func newLMLog(name, filter string, skipBad bool, st *Stats) *lmLog {
	return &lmLog{name: name, skipBad: skipBad, st: st, filter: filter, chosen: filter != "",
		otherFilters: map[string]int{}, seen: map[string]bool{}}
}

// read reads every sample of r.
func (l *lmLog) read(r *bufio.Reader) error {
	head, _ := r.Peek(1 << 10)
	if t := bytes.TrimLeft(head, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '[' {
		return l.readArray(r)
	}
	return l.lim.eachLine(r, l.name, func(line int, raw []byte) error {
		return l.record(raw, score.Source{File: l.name, Line: line})
	})
}

func (l *lmLog) readArray(r io.Reader) error {
	b, err := l.lim.readAll(r, "JSON array")
	if err != nil {
		return fmt.Errorf("%s: %w", l.name, err)
	}
	var items []jsontext.Value
	if err := unmarshalPython(b, &items); err != nil {
		return fmt.Errorf("%s: not a JSON array of samples: %w", l.name, err)
	}
	for i, it := range items {
		if err := l.record(it, score.Source{File: l.name, Entry: "[" + strconv.Itoa(i) + "]"}); err != nil {
			return err
		}
	}
	return nil
}

// record reads one sample; it returns an error only to stop reading.
func (l *lmLog) record(raw []byte, src score.Source) error {
	ok, field, err := l.sample(raw, src)
	if err != nil {
		e := &Error{File: src.File, Line: src.Line, Entry: src.Entry, Field: field, Err: err}
		if l.skipBad && l.firstBad == nil {
			l.firstBad = e
		}
		return l.st.bad(l.skipBad, e)
	}
	if !ok {
		return nil
	}
	return l.emit()
}

// sample decodes raw and parses it unless it is of another filter or
// repeats a doc_id; ok reports whether it was parsed.
func (l *lmLog) sample(raw []byte, src score.Source) (ok bool, field string, err error) {
	var rec lmSample
	if err := unmarshalPython(raw, &rec); err != nil {
		return false, "", fmt.Errorf("not a JSON sample: %w", err)
	}
	id, isText := jtext(rec.DocID)
	switch {
	case len(rec.DocID) == 0:
		return false, "doc_id", errors.New("missing")
	case !isText || id == "":
		return false, "doc_id", fmt.Errorf("%s is not an id", abbrev(rec.DocID))
	}
	filter := ""
	if rec.Filter != nil {
		filter = *rec.Filter
	}
	if !l.chosen {
		l.filter, l.chosen = filter, true
	}
	if filter != l.filter {
		l.otherFilters[filter]++
		return false, "", nil
	}
	if l.seen[id] {
		l.duplicates++
		return false, "", nil
	}
	if field, err := l.parse(&rec, id, src); err != nil {
		return false, field, err
	}
	l.seen[id] = true
	l.st.Samples++
	return true, "", nil
}

// notes records in the stats what was left out.
func (l *lmLog) notes() {
	for f, n := range l.otherFilters {
		l.st.note("ignored %d lines of lm-eval filter %q (read filter %q; choose with Options.LMEvalFilter)", n, f, l.filter)
	}
	if l.duplicates > 0 {
		l.st.note("skipped %d lines repeating a (doc_id, filter) pair", l.duplicates)
	}
}

// lmScorer turns the samples of an lm-eval log into score.Samples.
type lmScorer struct {
	opt    Options
	norm   Norm
	metric string
	// counts for the notes
	mismatch int
	byMetric int
	conf     float64
	s        score.Sample
	mc       MultipleChoice
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
// [log-likelihood, is_greedy] pair per choice, read as ReadLMEvalChoices
// reads them): the prediction is the arg-max choice and its confidence the
// softmax of the choices' log-likelihoods (each divided by the choice's
// length in characters with LengthNormalized, as acc_norm does); correct
// iff it is the gold choice. A sample whose target names no choice but
// that carries its own acc is graded by it. A log-likelihood task with one
// continuation is graded by its metric. Lines repeating a (doc_id, filter)
// pair are skipped and counted.
func readLMEval(r *bufio.Reader, name string, opt Options, st *Stats, fn func(*score.Sample) error) error {
	ls := &lmScorer{opt: opt, metric: opt.LMEvalMetric, norm: NormRaw}
	if opt.LengthNormalized {
		ls.norm = NormLength
	}
	l := newLMLog(name, opt.LMEvalFilter, opt.SkipBad, st)
	l.lim = opt.Limits
	l.parse = ls.parse
	l.emit = func() error { return fn(&ls.s) }
	err := l.read(r)
	l.notes()
	if ls.mismatch > 0 {
		st.note("%d multiple-choice predictions disagree with the log's own acc/acc_norm (ties between choices)", ls.mismatch)
	}
	if ls.metric != "" {
		st.note("lm-eval grade metric: %s", ls.metric)
	}
	if ls.byMetric > 0 {
		st.note("%d multiple-choice samples graded by the log's acc: their target is not a choice index", ls.byMetric)
	}
	return err
}

func (ls *lmScorer) parse(rec *lmSample, id string, src score.Source) (string, error) {
	s := &ls.s
	// A sample's ID pairs it with other models' answers to the same
	// question. doc_ids restart at 0 in every task, so the doc's sha256,
	// which lm-eval logs as doc_hash (0.4.3 on), is the ID where present.
	*s = score.Sample{ID: cmp.Or(rec.DocHash, id), Source: src, Model: ls.model()}
	s.Question = docQuestion(rec.Doc)
	resps, field, err := lmResps(rec)
	if err != nil {
		return field, err
	}
	loglik := len(resps) > 0 && len(resps[0]) > 0 && resps[0][0].Kind() == '['
	if loglik && len(resps) > 1 {
		return ls.multipleChoice(rec, resps, s)
	}
	return ls.graded(rec, resps, loglik, s)
}

func (ls *lmScorer) model() string {
	if ls.opt.Model != "" {
		return ls.opt.Model
	}
	return ls.opt.DefaultModel
}

// graded reads a generative (or single-continuation) sample graded by a
// per-sample metric.
func (ls *lmScorer) graded(rec *lmSample, resps [][]jsontext.Value, loglik bool, s *score.Sample) (string, error) {
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
	if ls.metric == "" {
		ls.metric = pickMetric(rec)
	}
	if ls.metric == "" {
		return "", nil // ungraded: package grade matches it against the target
	}
	v, ok := rec.Rest[ls.metric]
	if !ok {
		return ls.metric, errors.New("missing")
	}
	s.Outcome, s.Reason = metricOutcome(ls.metric, v)
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
func (ls *lmScorer) multipleChoice(rec *lmSample, resps [][]jsontext.Value, s *score.Sample) (string, error) {
	mc := &ls.mc
	*mc = MultipleChoice{}
	// Some task configs log the answer text rather than its index (mathqa
	// in 2023) and some samples hold no choices' texts; the log's own acc
	// then carries the grade.
	_, hasAcc := rec.Rest["acc"]
	if field, err := parseChoices(rec, resps, ls.norm, !hasAcc, mc); err != nil {
		return field, err
	}
	ls.conf = mc.Phat[mc.Pred]
	s.Confidence = &ls.conf
	name := func(i int) string {
		if mc.Choices != nil {
			return mc.Choices[i]
		}
		return "choice " + strconv.Itoa(i)
	}
	s.Response = name(mc.Pred)
	if mc.Gold < 0 {
		s.Golds, _ = jstrings(rec.Target)
		s.Outcome, s.Reason = metricOutcome("acc", rec.Rest["acc"])
		ls.byMetric++
		return "", nil
	}
	s.Golds = []string{name(mc.Gold)}
	s.Outcome = score.Wrong
	if mc.Pred == mc.Gold {
		s.Outcome = score.Correct
	}
	own := mc.Acc
	if ls.norm == NormLength {
		own = mc.AccNorm
	}
	if own != nil && *own != (s.Outcome == score.Correct) {
		ls.mismatch++
	}
	return "", nil
}
