package evallog

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/hallu-dev/hallu/internal/softmax"
	"github.com/hallu-dev/hallu/score"
)

// V03Stats counts what ReadLMEvalV03 read and left out.
type V03Stats struct {
	Samples int `json:"samples"`
	Skips
	// AccDisagree counts samples whose own acc ("True"/"False") is not
	// whether the gold choice has the largest log-likelihood.
	AccDisagree int `json:"acc_disagree"`
}

// ReadLMEvalV03 reads a *_write_out_info.json file that lm-evaluation-
// harness v0.3 writes with --write_out: one JSON array with one object per
// document, {"doc_id", "prompt_0", "logit_0", "prompt_1", "logit_1", …,
// "truth", <metric>: "True"/"False"}, where prompt_i is the context joined
// with choice i's continuation and logit_i, despite its name, the
// log-likelihood lm-eval scored for that continuation. It calls fn with each
// multiple-choice document in order (the *MultipleChoice is reused).
//
// The gold choice is truth when it is an index, or the choice whose prompt
// ends with truth when it is a text (v0.3's doc_to_target returns either).
// The prompts do not separate context from continuation, so the choices'
// texts are unknown: MultipleChoice.Choices is nil, only NormRaw applies,
// and Question is the last paragraph of prompt_0 (the question without its
// few-shot examples). A document without logit_0 and logit_1 (a generative
// task), a log-likelihood that is NaN, +Inf or positive, or a truth naming
// no choice is an *Error naming the file, entry and field; with skipBad it
// is skipped and counted. The file is read whole, up to lim.MaxDocument.
func ReadLMEvalV03(r io.Reader, name string, skipBad bool, lim Limits, fn func(*MultipleChoice) error) (V03Stats, error) {
	var st V03Stats
	b, err := lim.readAll(r, "lm-eval 0.3 file")
	if err != nil {
		return st, fmt.Errorf("%s: %w", name, err)
	}
	// Python's json.dump writes NaN and Infinity bare: they are read as
	// strings, to be refused as log-likelihoods with their document named.
	var docs []jsontext.Value
	if err := unmarshalPython(b, &docs); err != nil {
		return st, fmt.Errorf("%s: not a v0.3 --write_out file: want one JSON array of documents: %w", name, err)
	}
	var mc MultipleChoice
	for i, raw := range docs {
		entry := "[" + strconv.Itoa(i) + "]"
		field, acc, err := parseV03(raw, &mc)
		if err != nil {
			if err := st.skip(&Error{File: name, Entry: entry, Field: field, Err: err}, skipBad); err != nil {
				return st, err
			}
			continue
		}
		mc.Source = score.Source{File: name, Entry: entry}
		if acc != nil && *acc != (mc.Pred == mc.Gold) {
			st.AccDisagree++
		}
		st.Samples++
		if err := fn(&mc); err != nil {
			return st, err
		}
	}
	if st.Samples == 0 {
		return st, fmt.Errorf("%s: no multiple-choice document read (%d skipped)", name, st.Skipped)
	}
	return st, nil
}

// parseV03 reads one --write_out document into mc; acc is its own grade,
// nil if it has none.
func parseV03(raw jsontext.Value, mc *MultipleChoice) (field string, acc *bool, err error) {
	var doc map[string]jsontext.Value
	if err := unmarshalPython(raw, &doc); err != nil {
		return "", nil, fmt.Errorf("not a JSON object: %w", err)
	}
	*mc = MultipleChoice{}
	id, ok := jtext(doc["doc_id"])
	if !ok {
		return "doc_id", nil, fmt.Errorf("%s is not an id", abbrev(doc["doc_id"]))
	}
	mc.DocID = id
	var prompts []string
	for i := 0; ; i++ {
		k := strconv.Itoa(i)
		v, ok := doc["logit_"+k]
		if !ok {
			break
		}
		s, isText := jtext(v)
		ll, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if !isText || err != nil && !errors.Is(err, strconv.ErrRange) {
			return "logit_" + k, nil, fmt.Errorf("log-likelihood %s is not a number (a generative task writes its output here: not multiple choice)", abbrev(v))
		}
		if math.IsNaN(ll) || ll > 0 {
			return "logit_" + k, nil, fmt.Errorf("log-likelihood %v is not a number ≤ 0", ll)
		}
		mc.LogLikelihoods = append(mc.LogLikelihoods, ll)
		p, _ := jstring(doc["prompt_"+k])
		prompts = append(prompts, p)
	}
	n := len(mc.LogLikelihoods)
	if n < 2 {
		return "logit_" + strconv.Itoa(n), nil, fmt.Errorf("missing: %d log-likelihood(s), so not a multiple-choice document (a generative task?)", n)
	}
	if blocks := strings.Split(strings.TrimSpace(prompts[0]), "\n\n"); len(blocks) > 0 {
		mc.Question = blocks[len(blocks)-1]
	}
	if mc.Gold, err = v03Gold(doc["truth"], prompts); err != nil {
		return "truth", nil, err
	}
	mc.Scores = mc.LogLikelihoods
	if mc.Phat, err = softmax.Of(mc.Scores); err != nil {
		return "logit_0", nil, err
	}
	mc.Pred = argmax(mc.Scores)
	if s, ok := jtext(doc["acc"]); ok && (s == "True" || s == "False") {
		g := s == "True"
		acc = &g
	}
	return "", acc, nil
}

// v03Gold reads truth: a choice index, or the text ending exactly one
// choice's prompt.
func v03Gold(v jsontext.Value, prompts []string) (int, error) {
	n := len(prompts)
	if v.Kind() == '0' {
		x, err := strconv.Atoi(string(v))
		if err != nil || x < 0 || x >= n {
			return 0, fmt.Errorf("%s is not the index of one of %d choices", abbrev(v), n)
		}
		return x, nil
	}
	s, ok := jstring(v)
	if !ok || strings.TrimSpace(s) == "" {
		return 0, fmt.Errorf("%s is not a choice index or text", abbrev(v))
	}
	s = strings.TrimSpace(s)
	found := -1
	for i, p := range prompts {
		if strings.HasSuffix(strings.TrimRight(p, " \n"), s) {
			if found >= 0 {
				return 0, fmt.Errorf("%q ends the prompts of choices %d and %d: ambiguous", s, found, i)
			}
			found = i
		}
	}
	if found < 0 {
		return 0, fmt.Errorf("%q ends none of the %d choices' prompts", s, n)
	}
	return found, nil
}
