package instances

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/internal/softmax"
)

// Norm is how a multiple-choice log-likelihood is normalised before the
// softmax over the choices.
type Norm string

// The normalisations of lm-evaluation-harness's multiple-choice metrics
// (lm_eval/api/task.py, ConfigurableTask.process_results): acc ranks by
// the raw log-likelihood ll_i; acc_norm by ll_i / len(choice_i), the
// choice's length in characters (Python's len of the str, code points);
// acc_bytes by ll_i / len(choice_i.encode("utf-8")). The choices are
// doc_to_choice(doc), without the target delimiter (" " by default) that
// lm-eval puts between the context and the continuation it scores.
const (
	NormRaw    Norm = "raw"    // softmax of ll_i (acc)
	NormLength Norm = "length" // softmax of ll_i / characters (acc_norm)
	NormBytes  Norm = "bytes"  // softmax of ll_i / UTF-8 bytes (acc_bytes)
)

// ParseNorm returns the Norm named s.
func ParseNorm(s string) (Norm, error) {
	switch n := Norm(s); n {
	case NormRaw, NormLength, NormBytes:
		return n, nil
	}
	return "", fmt.Errorf("unknown normalisation %q (want raw, length or bytes)", s)
}

// RestrictionNote is the caveat every report of an lm-eval instance must
// carry.
const RestrictionNote = "p̂ is the model's distribution restricted to the choices the benchmark offers " +
	"(the softmax of their log-likelihoods), not its distribution over all answers: " +
	"err and δ describe the model on this plausible set X_c only"

// LMEvalOptions configures ReadLMEval.
type LMEvalOptions struct {
	Norm Norm // default NormRaw
	// Task names the task in contexts (default: taken from the file name
	// by LMEvalTask).
	Task string
	// Filter selects the lm-eval filter read ("" = the first in the file).
	Filter string
	// SkipBad skips samples that cannot be read, counting them, instead of
	// failing on the first.
	SkipBad bool
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
	Norm         Norm           `json:"norm"`
}

var lmTaskName = regexp.MustCompile(`(?:^|_)samples_(.+)_\d{4}-\d\d-\d\dT[\d:.-]+\.jsonl?(\.gz|\.zst)?$`)

// LMEvalTask returns the task name in an lm-eval samples file name
// (samples_<task>_<ISO time>.jsonl, formats.md §1, possibly after a
// prefix ending in "_"), or the base name
// without extensions for other names.
func LMEvalTask(path string) string {
	base := filepath.Base(path)
	if m := lmTaskName.FindStringSubmatch(base); m != nil {
		return m[1]
	}
	for _, ext := range []string{".gz", ".zst", ".jsonl", ".json"} {
		base = strings.TrimSuffix(base, ext)
	}
	return base
}

// lmSample holds the fields of an lm-eval sample that ReadLMEval uses.
type lmSample struct {
	DocID     json.RawMessage            `json:"doc_id"`
	Doc       map[string]json.RawMessage `json:"doc"`
	Target    json.RawMessage            `json:"target"`
	Arguments json.RawMessage            `json:"arguments"`
	Resps     json.RawMessage            `json:"resps"`
	Filter    *string                    `json:"filter"`
	Acc       json.RawMessage            `json:"acc"`
}

// ReadLMEval reads an lm-evaluation-harness per-sample log of a
// multiple-choice task (formats.md §1: JSONL of lm-eval ≥ 0.4, or the one
// JSON array of 0.4.2) and returns the instance (paper.md §2.1, §4.3):
// one context per document, named "<task> doc <doc_id>: <question>"; its
// choices are the responses; the gold choice (target: an index, or the
// text of a choice) is valid with p = 1 and the others are errors; p̂ is
// the softmax over the choices of their log-likelihoods normalised by
// opt.Norm. See RestrictionNote for what this p̂ is.
//
// The choices' texts come from the arguments (each continuation without
// its leading target delimiter " "), else from the document (a "choices"
// list, or MathQA's "options" string split as lm-eval's mathqa task does);
// without them the responses are named "choice i" and only NormRaw works.
// Lines of other filters than the first (or opt.Filter) and lines
// repeating a (doc_id, filter) are left out and counted. A sample that is
// not multiple choice (a generation, or a single continuation), a
// log-likelihood that is NaN, +Inf or positive, or a target that names no
// choice is an error naming the file, line and field, or with SkipBad is
// skipped and counted.
func ReadLMEval[T iiv.Scalar[T]](r io.Reader, name string, opt LMEvalOptions) ([]iiv.Row[T], LMEvalStats, error) {
	if opt.Norm == "" {
		opt.Norm = NormRaw
	}
	if opt.Task == "" {
		opt.Task = LMEvalTask(name)
	}
	lr := lmReader[T]{opt: opt, seen: map[string]bool{}}
	lr.st = LMEvalStats{Filter: opt.Filter, Task: opt.Task, Norm: opt.Norm, OtherFilters: map[string]int{}}
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(1 << 10)
	var err error
	if t := bytes.TrimLeft(head, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '[' {
		err = lr.readArray(br, name)
	} else {
		err = lr.readLines(br, name)
	}
	if err != nil {
		return nil, lr.st, err
	}
	if len(lr.rows) == 0 {
		return nil, lr.st, fmt.Errorf("%s: no multiple-choice sample read (%d skipped)", name, lr.st.Skipped)
	}
	return lr.rows, lr.st, nil
}

type lmReader[T iiv.Scalar[T]] struct {
	opt  LMEvalOptions
	st   LMEvalStats
	seen map[string]bool
	rows []iiv.Row[T]
}

func (lr *lmReader[T]) readLines(br *bufio.Reader, name string) error {
	for line := 1; ; line++ {
		raw, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(raw)) > 0 {
			if err := lr.record(raw, fmt.Sprintf("%s line %d", name, line), line); err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
}

func (lr *lmReader[T]) readArray(br *bufio.Reader, name string) error {
	b, err := io.ReadAll(br)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(pythonNumbers(b), &items); err != nil {
		return fmt.Errorf("%s: not a JSON array of samples: %w", name, err)
	}
	for i, it := range items {
		if err := lr.record(it, fmt.Sprintf("%s entry [%d]", name, i), 0); err != nil {
			return err
		}
	}
	return nil
}

// record reads one sample; where names it in errors.
func (lr *lmReader[T]) record(raw []byte, where string, line int) error {
	field, err := lr.parse(raw, line)
	if err == nil {
		return nil
	}
	if field != "" {
		err = fmt.Errorf("%s: field %s: %w", where, field, err)
	} else {
		err = fmt.Errorf("%s: %w", where, err)
	}
	if !lr.opt.SkipBad {
		return err
	}
	if lr.st.Skipped == 0 {
		lr.st.FirstSkipped = err.Error()
	}
	lr.st.Skipped++
	return nil
}

// parse converts one sample; on error it returns the field at fault.
func (lr *lmReader[T]) parse(raw []byte, line int) (string, error) {
	var s lmSample
	if err := json.Unmarshal(pythonNumbers(raw), &s); err != nil {
		return "", fmt.Errorf("not a JSON sample: %w", err)
	}
	id, ok := jsonScalar(s.DocID)
	if !ok {
		return "doc_id", errors.New("missing or not a number or string")
	}
	filter := ""
	if s.Filter != nil {
		filter = *s.Filter
	}
	if lr.st.Filter == "" && len(lr.seen) == 0 {
		lr.st.Filter = filter
	}
	if filter != lr.st.Filter {
		lr.st.OtherFilters[filter]++
		return "", nil
	}
	if lr.seen[id] {
		lr.st.Duplicates++
		return "", nil
	}
	lls, field, err := lmLoglikelihoods(s.Resps)
	if err != nil {
		return field, err
	}
	n := len(lls)
	choices := lmChoices(s.Arguments, s.Doc, n)
	gold, err := lmGold(s.Target, s.Acc, choices, lls)
	if err != nil {
		return "target", err
	}
	z := lls
	if lr.opt.Norm != NormRaw {
		if choices == nil {
			return "arguments", fmt.Errorf("--norm %s needs the texts of the %d choices, and neither the arguments nor the doc hold them", lr.opt.Norm, n)
		}
		z = make([]float64, n)
		for i, c := range choices {
			size := utf8.RuneCountInString(c)
			if lr.opt.Norm == NormBytes {
				size = len(c)
			}
			if size == 0 {
				return "arguments", fmt.Errorf("choice %d is empty: cannot normalise by its length", i)
			}
			z[i] = lls[i] / float64(size)
		}
	}
	phat, err := softmax.Of(z)
	if err != nil {
		return "resps", err
	}
	lr.seen[id] = true
	lr.st.Samples++
	var zero T
	ctx := fmt.Sprintf("%s doc %s", lr.opt.Task, id)
	if q := docQuestion(s.Doc); q != "" {
		ctx += ": " + abbrev(q, 200)
	}
	names := responseNames(choices, n)
	for i := range n {
		row := iiv.Row[T]{Context: ctx, Response: names[i], Label: iiv.Error, Phat: zero.FromFloat(phat[i]), Line: line}
		if i == gold {
			row.Label, row.P, row.HasP = iiv.Valid, zero.Frac(1, 1), true
		}
		lr.rows = append(lr.rows, row)
	}
	return "", nil
}

// lmLoglikelihoods reads resps = [[[ll, is_greedy]], …], one entry per
// choice, ll a number or a numeric string.
func lmLoglikelihoods(raw json.RawMessage) ([]float64, string, error) {
	var resps [][]json.RawMessage
	if err := json.Unmarshal(raw, &resps); err != nil {
		return nil, "resps", fmt.Errorf("not a list of lists: %w", err)
	}
	if len(resps) == 0 {
		return nil, "resps", errors.New("empty")
	}
	lls := make([]float64, len(resps))
	for i, r := range resps {
		var pair []json.RawMessage
		if len(r) == 0 || json.Unmarshal(r[0], &pair) != nil || len(pair) == 0 {
			return nil, "resps", fmt.Errorf("not a multiple-choice log-likelihood sample: response %d is %s, not [log-likelihood, is_greedy] (a generative task?)", i, abbrev(string(firstOr(r)), 60))
		}
		s, ok := jsonScalar(pair[0])
		if !ok {
			return nil, fmt.Sprintf("resps[%d]", i), fmt.Errorf("log-likelihood %s is not a number", abbrev(string(pair[0]), 40))
		}
		ll, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return nil, fmt.Sprintf("resps[%d]", i), fmt.Errorf("log-likelihood %q is not a number", s)
		}
		if math.IsNaN(ll) || ll > 0 {
			return nil, fmt.Sprintf("resps[%d]", i), fmt.Errorf("log-likelihood %v is not a number ≤ 0", ll)
		}
		lls[i] = ll
	}
	if len(lls) < 2 {
		return nil, "resps", errors.New("one continuation only: a log-likelihood task, not multiple choice")
	}
	return lls, "", nil
}

func firstOr(r []json.RawMessage) json.RawMessage {
	if len(r) == 0 {
		return json.RawMessage("[]")
	}
	return r[0]
}

// mathQAOption splits MathQA's options string as lm-eval's mathqa task
// does (lm_eval/tasks/mathqa/utils.py: re.findall(r"[abcd] \) .*?, |e \)
// .*?$", options), each match c giving c[4:].rstrip(" ,")).
var mathQAOption = regexp.MustCompile(`[abcd] \) .*?, |e \) .*?$`)

// lmChoices returns the n choices' texts, or nil if the sample does not
// hold them.
func lmChoices(args json.RawMessage, doc map[string]json.RawMessage, n int) []string {
	if c := argChoices(args); len(c) == n {
		for i := range c {
			c[i] = strings.TrimPrefix(c[i], " ")
		}
		return c
	}
	if raw, ok := doc["options"]; ok {
		var opts string
		if json.Unmarshal(raw, &opts) == nil {
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
	}
	if raw, ok := doc["choices"]; ok {
		var c []string
		if json.Unmarshal(raw, &c) == nil && len(c) == n {
			return c
		}
	}
	return nil
}

// argChoices returns the continuation of each request in arguments:
// {"gen_args_0": {"arg_0": ctx, "arg_1": cont}, …}, [[ctx, cont], …] or
// one flat [ctx, cont].
func argChoices(args json.RawMessage) []string {
	var obj map[string]struct {
		Arg1 json.RawMessage `json:"arg_1"`
	}
	if json.Unmarshal(args, &obj) == nil && obj != nil {
		type kv struct {
			i    int
			cont string
		}
		var all []kv
		for k, v := range obj {
			i, err := strconv.Atoi(strings.TrimPrefix(k, "gen_args_"))
			var cont string
			if err != nil || json.Unmarshal(v.Arg1, &cont) != nil {
				return nil
			}
			all = append(all, kv{i, cont})
		}
		slices.SortFunc(all, func(a, b kv) int { return a.i - b.i })
		out := make([]string, len(all))
		for j, x := range all {
			if x.i != j {
				return nil
			}
			out[j] = x.cont
		}
		return out
	}
	var list []json.RawMessage
	if json.Unmarshal(args, &list) != nil || len(list) == 0 {
		return nil
	}
	var cont string
	if len(list) == 2 && json.Unmarshal(list[1], &cont) == nil { // flat [ctx, cont]
		var pair []json.RawMessage
		if json.Unmarshal(list[0], &pair) != nil {
			return []string{cont}
		}
	}
	out := make([]string, len(list))
	for i, it := range list {
		var pair []json.RawMessage
		if json.Unmarshal(it, &pair) != nil || len(pair) < 2 || json.Unmarshal(pair[1], &out[i]) != nil {
			return nil
		}
	}
	return out
}

// lmGold reads the target: a choice index (lm-eval ≥ 0.4 writes it as a
// number or a numeric string) or the text of one of the choices (as the
// 2023 development versions wrote it). When a string could be read either
// way and the two readings differ, the log's own per-sample acc decides
// (acc = 1 iff the gold choice has the largest raw log-likelihood); if it
// cannot, the target is ambiguous and an error.
func lmGold(raw, acc json.RawMessage, choices []string, lls []float64) (int, error) {
	n := len(lls)
	s, ok := jsonScalar(raw)
	if !ok {
		return 0, fmt.Errorf("%s is not a choice index or a choice's text", abbrev(string(raw), 60))
	}
	byIndex, byText := -1, -1
	if i, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && i >= 0 && i < n {
		byIndex = i
	}
	if bytes.TrimSpace(raw)[0] == '"' {
		for i, c := range choices {
			if strings.TrimSpace(c) == strings.TrimSpace(s) {
				byText = i
				break
			}
		}
	}
	switch {
	case byIndex < 0 && byText < 0 && choices == nil:
		return 0, fmt.Errorf("%q is not the index of one of %d choices, and the sample does not hold the choices' texts to match it against", s, n)
	case byIndex < 0 && byText < 0:
		return 0, fmt.Errorf("%q is neither the index nor the text of one of the %d choices", s, n)
	case byText < 0 || byText == byIndex:
		return byIndex, nil
	case byIndex < 0:
		return byText, nil
	}
	pred := 0
	for i := range lls {
		if lls[i] > lls[pred] {
			pred = i
		}
	}
	a, _ := jsonScalar(acc)
	switch {
	case a == "1" || a == "1.0" || a == "true":
		if pred == byIndex || pred == byText {
			return pred, nil
		}
	case a == "0" || a == "0.0" || a == "false":
		if pred == byText {
			return byIndex, nil
		}
		if pred == byIndex {
			return byText, nil
		}
	}
	return 0, fmt.Errorf("%q is ambiguous: choice %d by index, choice %d by text, and the sample's acc does not tell which", s, byIndex, byText)
}

// jsonScalar returns a JSON string's value or a number's text.
func jsonScalar(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	}
	var f json.Number
	if json.Unmarshal(raw, &f) != nil {
		return "", false
	}
	return f.String(), true
}

// docQuestion picks the question text out of a dataset row.
func docQuestion(doc map[string]json.RawMessage) string {
	for _, k := range []string{"question", "Question", "Problem", "problem", "query", "input", "prompt"} {
		var s string
		if raw, ok := doc[k]; ok && json.Unmarshal(raw, &s) == nil && s != "" {
			return s
		}
	}
	return ""
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
