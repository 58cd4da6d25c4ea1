package evallog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/hallu-dev/hallu/internal/softmax"
	"github.com/hallu-dev/hallu/score"
)

// Norm is how a multiple-choice log-likelihood is normalised before the
// choices are ranked and their softmax taken.
type Norm string

// The normalisations of lm-evaluation-harness's multiple-choice metrics
// (lm_eval/api/task.py, ConfigurableTask.process_results: completion_len
// and byte_length are computed over choices = self.doc_to_choice(doc)):
// acc ranks by the raw log-likelihood ll_i; acc_norm by ll_i / len(choice_i),
// the choice's length in characters (Python's len of the str, code
// points); acc_bytes by ll_i / len(choice_i.encode("utf-8")). The choices
// are doc_to_choice(doc), without the target delimiter (" " by default)
// that ConfigurableTask.construct_requests puts before each choice in the
// continuation it scores ((ctx, f"{target_delimiter}{cont}")).
const (
	NormRaw    Norm = "raw"    // ll_i (acc)
	NormLength Norm = "length" // ll_i / characters (acc_norm)
	NormBytes  Norm = "bytes"  // ll_i / UTF-8 bytes (acc_bytes)
)

// ParseNorm returns the Norm named s.
func ParseNorm(s string) (Norm, error) {
	switch n := Norm(s); n {
	case NormRaw, NormLength, NormBytes:
		return n, nil
	}
	return "", fmt.Errorf("unknown normalisation %q (want raw, length or bytes)", s)
}

// MultipleChoice is one multiple-choice sample of an lm-evaluation-harness
// log: the log-likelihood lm-eval recorded for each choice
// and what the sample says of the choices and the gold one.
type MultipleChoice struct {
	DocID    string
	Source   score.Source // file and line (JSONL) or entry (array)
	Question string       // the document's question, problem, query, input or prompt
	// LogLikelihoods holds ll_i = ln p̂(choice i | context), resps[i][0][0].
	LogLikelihoods []float64
	// Choices are the choices' texts as lm-eval's doc_to_choice gives them:
	// the continuations of the arguments without their leading target
	// delimiter " ", else the document's "choices" list, or MathQA's
	// "options" string split as lm-eval's mathqa task splits it; nil when
	// the sample holds none of these.
	Choices []string
	// Gold is the index of the gold choice; -1 when the target names none
	// (only in samples that Read grades by their own acc).
	Gold int
	// Acc and AccNorm are the sample's own acc and acc_norm grades, nil
	// where it has none.
	Acc, AccNorm *bool
	// Scores are the log-likelihoods normalised as asked (Norm), Phat their
	// softmax: the model's distribution restricted to the choices.
	Scores, Phat []float64
	// Pred is the index of the first largest score, as numpy's argmax
	// chooses.
	Pred int
}

// LMEvalChoiceOptions configures ReadLMEvalChoices.
type LMEvalChoiceOptions struct {
	// Filter selects the lm-eval filter read ("" = the first in the file).
	Filter string
	// Norm normalises the log-likelihoods (default NormRaw).
	Norm Norm
	// SkipBad skips samples that cannot be read, counting them, instead of
	// failing on the first.
	SkipBad bool
	// Limits bounds a line, and a file that is one JSON array (zero: the
	// defaults).
	Limits Limits
}

// LMEvalChoiceStats counts what ReadLMEvalChoices read and left out.
type LMEvalChoiceStats struct {
	Samples      int
	Skipped      int    // unreadable samples skipped (SkipBad)
	FirstSkipped *Error // the first of them
	Filter       string // the filter read
	// OtherFilters counts the lines of other filters, by filter; Duplicates
	// the lines repeating a doc_id of the filter read.
	OtherFilters map[string]int
	Duplicates   int
}

// ReadLMEvalChoices reads an lm-evaluation-harness samples log of a
// multiple-choice task (the JSONL of lm-eval ≥ 0.4 or the one JSON array
// of 0.4.2) and calls fn with each sample, in order. The *MultipleChoice is
// reused: fn must copy what it keeps; fn's error stops reading and is
// returned as is.
//
// Lines of filters other than the first (or opt.Filter), and lines
// repeating a doc_id, are left out and counted. A sample that is not
// multiple choice (a generation, or a single continuation), a
// log-likelihood that is NaN, +Inf or positive, a target that names no
// choice (an index, or the text of a choice; when it could be read both
// ways, the sample's acc or acc_norm decides), or a normalisation without
// the choices' texts is an *Error naming the file, line or entry and
// field; with opt.SkipBad it is skipped and counted.
func ReadLMEvalChoices(r io.Reader, name string, opt LMEvalChoiceOptions, fn func(*MultipleChoice) error) (LMEvalChoiceStats, error) {
	if opt.Norm == "" {
		opt.Norm = NormRaw
	}
	var st Stats
	var mc MultipleChoice
	l := newLMLog(name, opt.Filter, opt.SkipBad, &st)
	l.lim = opt.Limits
	l.parse = func(rec *lmSample, id string, src score.Source) (string, error) {
		mc = MultipleChoice{DocID: id, Source: src, Question: docQuestion(rec.Doc)}
		resps, field, err := lmResps(rec)
		if err != nil {
			return field, err
		}
		return parseChoices(rec, resps, opt.Norm, true, &mc)
	}
	l.emit = func() error { return fn(&mc) }
	br := bufio.NewReaderSize(r, 64<<10)
	if err := checkLMEvalHead(br, name); err != nil {
		return LMEvalChoiceStats{}, err
	}
	err := l.read(br)
	return LMEvalChoiceStats{Samples: st.Samples, Skipped: st.Skipped, FirstSkipped: l.firstBad,
		Filter: l.filter, OtherFilters: l.otherFilters, Duplicates: l.duplicates}, err
}

// checkLMEvalHead refuses, with what it is instead, an input whose start
// has no "doc_id": not a samples file (a results_*.json, another log).
func checkLMEvalHead(br *bufio.Reader, name string) error {
	head, _ := br.Peek(64 << 10)
	if len(bytes.TrimSpace(head)) == 0 || bytes.Contains(head, []byte(`"doc_id"`)) {
		return nil // empty input and read errors are reported by the reader
	}
	if bytes.Contains(head, []byte(`"results"`)) && bytes.Contains(head, []byte(`"configs"`)) {
		return fmt.Errorf("%s: an lm-eval results file (aggregate scores), not a samples file; give the samples_<task>_*.jsonl that lm-eval --log_samples wrote beside it", name)
	}
	f, err := Detect(head)
	if err != nil {
		return fmt.Errorf("%s: not an lm-eval samples file: %w", name, err)
	}
	return fmt.Errorf("%s: no doc_id in its first record: not an lm-eval samples file (samples_*.jsonl); it reads as the %s format, which hallu score takes", name, f)
}

// lmResps reads resps as a list of lists.
func lmResps(rec *lmSample) ([][]jsontext.Value, string, error) {
	var resps [][]jsontext.Value
	if err := unmarshal(rec.Resps, &resps); err != nil {
		return nil, "resps", fmt.Errorf("not a list of lists: %w", err)
	}
	return resps, "", nil
}

// parseChoices reads the multiple-choice sample rec, whose responses are
// resps, into mc (DocID, Source and Question already set). Without
// needGold a target that names no choice leaves mc.Gold at -1.
func parseChoices(rec *lmSample, resps [][]jsontext.Value, norm Norm, needGold bool, mc *MultipleChoice) (string, error) {
	lls, field, err := lmLoglikelihoods(resps)
	if err != nil {
		return field, err
	}
	n := len(lls)
	mc.LogLikelihoods = lls
	mc.Choices = lmChoices(rec.Arguments, rec.Doc, n)
	mc.Acc, mc.AccNorm = lmGrade(rec, "acc"), lmGrade(rec, "acc_norm")
	mc.Gold, err = lmGold(rec.Target, mc)
	if err != nil {
		if needGold {
			return "target", err
		}
		mc.Gold = -1
	}
	mc.Scores, err = normalize(lls, mc.Choices, norm)
	if err != nil {
		return "arguments", err
	}
	mc.Phat, err = softmax.Of(mc.Scores)
	if err != nil {
		return "resps", err
	}
	mc.Pred = argmax(mc.Scores)
	return "", nil
}

// lmLoglikelihoods reads resps = [[[ll, is_greedy]], …], one entry per
// choice, ll a number or a numeric string.
func lmLoglikelihoods(resps [][]jsontext.Value) ([]float64, string, error) {
	if len(resps) == 0 {
		return nil, "resps", errors.New("empty")
	}
	lls := make([]float64, len(resps))
	for i, r := range resps {
		var pair []jsontext.Value
		if len(r) == 0 || r[0].Kind() != '[' || unmarshal(r[0], &pair) != nil || len(pair) == 0 {
			first := jsontext.Value("[]")
			if len(r) > 0 {
				first = r[0]
			}
			return nil, "resps", fmt.Errorf("not a multiple-choice log-likelihood sample: response %d is %s, not [log-likelihood, is_greedy] (a generative task?)", i, abbrev(first))
		}
		field := "resps[" + strconv.Itoa(i) + "]"
		s, ok := jtext(pair[0])
		if !ok {
			return nil, field, fmt.Errorf("log-likelihood %s is not a number", abbrev(pair[0]))
		}
		ll, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return nil, field, fmt.Errorf("log-likelihood %q is not a number", s)
		}
		if math.IsNaN(ll) || ll > 0 {
			return nil, field, fmt.Errorf("log-likelihood %v is not a number ≤ 0", ll)
		}
		lls[i] = ll
	}
	if len(lls) < 2 {
		return nil, "resps", errors.New("one continuation only: a log-likelihood task, not multiple choice")
	}
	return lls, "", nil
}

// lmGrade returns the sample's per-sample metric name as a grade, or nil
// when it has none or a value other than 0/1.
func lmGrade(rec *lmSample, name string) *bool {
	v, ok := rec.Rest[name]
	if !ok {
		return nil
	}
	var g bool
	switch o, _ := metricOutcome(name, v); o {
	case score.Correct:
		g = true
	case score.Wrong:
	default:
		return nil
	}
	return &g
}

// normalize divides each log-likelihood by its choice's length as norm
// says (see NormLength).
func normalize(lls []float64, choices []string, norm Norm) ([]float64, error) {
	if norm == NormRaw {
		return lls, nil
	}
	if choices == nil {
		return nil, fmt.Errorf("%s normalisation needs the texts of the %d choices, and neither the arguments nor the doc hold them", norm, len(lls))
	}
	z := make([]float64, len(lls))
	for i, c := range choices {
		size := utf8.RuneCountInString(c)
		if norm == NormBytes {
			size = len(c)
		}
		if size == 0 {
			return nil, fmt.Errorf("choice %d is empty: cannot normalise by its length", i)
		}
		z[i] = lls[i] / float64(size)
	}
	return z, nil
}

// argmax returns the index of the first largest z.
func argmax(z []float64) int {
	best := 0
	for i := range z {
		if z[i] > z[best] {
			best = i
		}
	}
	return best
}

// mathQAOption splits MathQA's options string as lm-eval's mathqa task
// does (lm_eval/tasks/mathqa/utils.py: re.findall(r"[abcd] \) .*?, |e \)
// .*?$", options), each match c giving c[4:].rstrip(" ,")).
var mathQAOption = regexp.MustCompile(`[abcd] \) .*?, |e \) .*?$`)

// lmChoices returns the n choices' texts (see MultipleChoice.Choices), or
// nil if the sample does not hold them.
func lmChoices(args, doc jsontext.Value, n int) []string {
	if c := argChoices(args); len(c) == n {
		for i := range c {
			c[i] = strings.TrimPrefix(c[i], " ")
		}
		return c
	}
	if doc.Kind() != '{' {
		return nil
	}
	var d struct {
		Options jsontext.Value `json:"options"`
		Choices jsontext.Value `json:"choices"`
	}
	if unmarshal(doc, &d) != nil {
		return nil
	}
	if opts, ok := jstring(d.Options); ok {
		var c []string
		for _, m := range mathQAOption.FindAllString(opts, -1) {
			if len(m) >= 4 {
				c = append(c, strings.TrimRight(m[4:], " ,"))
			}
		}
		if len(c) == n {
			return c
		}
	}
	var c []string
	if d.Choices.Kind() == '[' && unmarshal(d.Choices, &c) == nil && len(c) == n {
		return c
	}
	return nil
}

// argChoices returns the continuation of each request in arguments:
// {"gen_args_0": {"arg_0": ctx, "arg_1": cont}, …}, [[ctx, cont], …] or
// one flat [ctx, cont]; nil when they are not all there.
func argChoices(args jsontext.Value) []string {
	switch args.Kind() {
	case '{':
		var out []string
		var have []bool
		err := members(args, func(name string, v jsontext.Value) error {
			i, err := strconv.Atoi(strings.TrimPrefix(name, "gen_args_"))
			var a struct {
				Arg1 jsontext.Value `json:"arg_1"`
			}
			if err != nil || i < 0 || i > 1<<16 || unmarshal(v, &a) != nil {
				return errors.New("not a request")
			}
			cont, ok := jstring(a.Arg1)
			if !ok {
				return errors.New("not a continuation")
			}
			for len(out) <= i {
				out, have = append(out, ""), append(have, false)
			}
			out[i], have[i] = cont, true
			return nil
		})
		if err != nil {
			return nil
		}
		for _, h := range have {
			if !h {
				return nil
			}
		}
		return out
	case '[':
		var list []jsontext.Value
		if unmarshal(args, &list) != nil || len(list) == 0 {
			return nil
		}
		if list[0].Kind() != '[' { // flat [ctx, cont]
			if cont, ok := jstring(list[len(list)-1]); ok && len(list) == 2 {
				return []string{cont}
			}
			return nil
		}
		out := make([]string, len(list))
		for i, it := range list {
			var pair []jsontext.Value
			var ok bool
			if unmarshal(it, &pair) != nil || len(pair) < 2 {
				return nil
			}
			if out[i], ok = jstring(pair[1]); !ok {
				return nil
			}
		}
		return out
	}
	return nil
}

// lmGold reads the target of mc: a choice index (lm-eval ≥ 0.4 writes it
// as a number or a numeric string) or the text of one of the choices (as
// the 2023 development versions wrote it; lm-eval's process_results takes
// choices.index(gold) for a string). When a string could be read either
// way and the two readings differ, the sample's own acc decides (acc = 1
// iff the gold choice has the largest raw log-likelihood), else its
// acc_norm (the same for length-normalised ones); if neither can, the
// target is ambiguous and an error.
func lmGold(raw jsontext.Value, mc *MultipleChoice) (int, error) {
	n := len(mc.LogLikelihoods)
	s, ok := jtext(raw)
	if !ok {
		return 0, fmt.Errorf("%s is not a choice index or a choice's text", abbrev(raw))
	}
	byIndex, byText := -1, -1
	if x, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && x == math.Trunc(x) && x >= 0 && x < float64(n) {
		byIndex = int(x)
	}
	if raw.Kind() == '"' {
		for i, c := range mc.Choices {
			if strings.TrimSpace(c) == strings.TrimSpace(s) {
				byText = i
				break
			}
		}
	}
	switch {
	case byIndex < 0 && byText < 0 && mc.Choices == nil:
		return 0, fmt.Errorf("%q is not the index of one of %d choices, and the sample does not hold the choices' texts to match it against", s, n)
	case byIndex < 0 && byText < 0:
		return 0, fmt.Errorf("%q is neither the index nor the text of one of the %d choices", s, n)
	case byText < 0 || byText == byIndex:
		return byIndex, nil
	case byIndex < 0:
		return byText, nil
	}
	evidence := []struct {
		grade *bool
		norm  Norm
	}{{mc.Acc, NormRaw}, {mc.AccNorm, NormLength}}
	for _, ev := range evidence {
		if ev.grade == nil {
			continue
		}
		z, err := normalize(mc.LogLikelihoods, mc.Choices, ev.norm)
		if err != nil {
			continue
		}
		switch pred := argmax(z); {
		case *ev.grade && (pred == byIndex || pred == byText):
			return pred, nil
		case !*ev.grade && pred == byText:
			return byIndex, nil
		case !*ev.grade && pred == byIndex:
			return byText, nil
		}
	}
	return 0, fmt.Errorf("%q is ambiguous: choice %d by index, choice %d by text, and the sample's acc and acc_norm do not tell which", s, byIndex, byText)
}

// docQuestion picks the question text out of a dataset row: the first
// non-empty string of the members question, problem, query, input and
// prompt, in that order, names compared without case.
func docQuestion(doc jsontext.Value) string {
	keys := [...]string{"question", "problem", "query", "input", "prompt"}
	var found [len(keys)]string
	if doc.Kind() != '{' {
		return ""
	}
	members(doc, func(name string, v jsontext.Value) error {
		for i, k := range keys {
			if s, ok := jstring(v); ok && s != "" && found[i] == "" && strings.EqualFold(name, k) {
				found[i] = s
			}
		}
		return nil
	})
	for _, q := range found {
		if q != "" {
			return q
		}
	}
	return ""
}
