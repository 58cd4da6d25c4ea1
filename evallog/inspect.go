package evallog

import (
	"bytes"
	"cmp"

	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/hallu-dev/hallu/score"
)

// inspectEval is the part of an Inspect log header hallu uses.
type inspectEval struct {
	Task    string `json:"task"`
	Model   string `json:"model"`
	RunID   string `json:"run_id"`
	Created string `json:"created"`
	Dataset struct {
		Name string `json:"name"`
	} `json:"dataset"`
	Packages map[string]string `json:"packages"`
}

type inspectLog struct {
	Version int              `json:"version"`
	Status  string           `json:"status"`
	Eval    inspectEval      `json:"eval"`
	Samples []jsontext.Value `json:"samples"`
}

// inspectSample is an Inspect sample, or a sample summary (which lacks
// output and attachments).
type inspectSample struct {
	ID          jsontext.Value    `json:"id"`
	Epoch       int               `json:"epoch"`
	Input       jsontext.Value    `json:"input"`
	Target      jsontext.Value    `json:"target"`
	Output      *inspectOutput    `json:"output"`
	Scores      jsontext.Value    `json:"scores"`
	Error       jsontext.Value    `json:"error"`
	Attachments map[string]string `json:"attachments"`
}

type inspectOutput struct {
	Completion jsontext.Value `json:"completion"`
	Choices    []struct {
		Message struct {
			Content jsontext.Value `json:"content"`
		} `json:"message"`
	} `json:"choices"`
}

// readInspect reads an Inspect AI log: a .eval ZIP (header.json,
// samples/<id>_epoch_<n>.json, summaries.json, and for an unfinished run
// only _journal/start.json and _journal/summaries/<k>.json) or a .json log
// (format detected by content, whatever the file's extension).
//
// The response is the first choice's message content (text parts joined,
// reasoning parts left out), else output.completion, else the scorer's
// extracted answer; "attachment://<hash>" strings are resolved through the
// sample's attachments. The grade is the value of InspectScorer (default:
// each sample's first scorer): "C" correct, "I" wrong, "N" abstained, "P"
// (partial credit) invalid; 1/true correct, 0/false wrong; a dict with
// "correct"/"incorrect"/"not_attempted" (inspect_evals' SimpleQA scorer)
// by its key whose value is 1. A sample with an error is invalid.
func readInspect(r io.Reader, name string, opt Options, st *Stats, fn func(*score.Sample) error) error {
	b, err := opt.Limits.readAll(r, "Inspect log")
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	ir := &inspectReader{name: name, opt: opt, st: st, fn: fn}
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		return ir.readZip(b)
	}
	var log inspectLog
	if err := unmarshal(b, &log); err != nil {
		return fmt.Errorf("%s: not an Inspect log: %w", name, err)
	}
	ir.header(&log)
	if log.Samples == nil {
		st.note("the log holds no samples (status %q)", log.Status)
	}
	for i, raw := range log.Samples {
		if err := ir.sample(raw, "samples["+strconv.Itoa(i)+"]"); err != nil {
			return err
		}
	}
	return nil
}

type inspectReader struct {
	name  string
	opt   Options
	st    *Stats
	fn    func(*score.Sample) error
	model string
	s     score.Sample
}

func (ir *inspectReader) header(log *inspectLog) {
	ir.model = log.Eval.Model
	ir.st.prov("inspect_task", log.Eval.Task)
	ir.st.prov("inspect_model", log.Eval.Model)
	ir.st.prov("inspect_run_id", log.Eval.RunID)
	ir.st.prov("inspect_created", log.Eval.Created)
	ir.st.prov("inspect_status", log.Status)
	ir.st.prov("inspect_dataset", log.Eval.Dataset.Name)
	ir.st.prov("inspect_ai_version", log.Eval.Packages["inspect_ai"])
	if log.Status != "" && log.Status != "success" {
		ir.st.note("Inspect log status is %q: the run did not finish; scoring the samples it holds", log.Status)
	}
}

func (ir *inspectReader) readZip(b []byte) error {
	entries, err := ir.opt.Limits.zipEntries(b)
	if err != nil {
		var n int
		if entries, n = ir.opt.Limits.zipLocalEntries(b); n == 0 {
			return fmt.Errorf("%s: .eval ZIP truncated or damaged, and no member could be recovered: %w", ir.name, err)
		}
		ir.st.note("ZIP central directory missing or damaged (%v), as a crashed run leaves it: read %d entries from their local headers", err, n)
	}
	read := func(n string) ([]byte, error) {
		e, ok := entries[n]
		if !ok {
			return nil, nil
		}
		return e()
	}
	head, err := read("header.json")
	if err != nil {
		return &Error{File: ir.name, Entry: "header.json", Err: err}
	}
	if head == nil {
		if head, err = read("_journal/start.json"); err != nil {
			return &Error{File: ir.name, Entry: "_journal/start.json", Err: err}
		}
		if head == nil {
			return fmt.Errorf("%s: .eval ZIP has neither header.json nor _journal/start.json", ir.name)
		}
		ir.st.note("no header.json: an unfinished run, read from its journal")
	}
	var log inspectLog
	if err := unmarshal(head, &log); err != nil {
		return &Error{File: ir.name, Entry: "header.json", Err: err}
	}
	ir.header(&log)

	// Full samples, in (id, epoch) order.
	var names []string
	for n := range entries {
		if strings.HasPrefix(n, "samples/") && strings.HasSuffix(n, ".json") {
			names = append(names, n)
		}
	}
	slices.SortFunc(names, func(a, b string) int { return cmpSampleNames(a, b) })
	done := map[string]bool{}
	for _, n := range names {
		data, err := read(n)
		if err != nil {
			if err := ir.st.bad(ir.opt.SkipBad, &Error{File: ir.name, Entry: n, Err: err}); err != nil {
				return err
			}
			continue
		}
		done[strings.TrimSuffix(path.Base(n), ".json")] = true
		if err := ir.sample(data, n); err != nil {
			return err
		}
	}
	// Summaries of samples whose full record is missing (an unfinished
	// run flushes summaries to the journal before samples are written).
	var sums []string
	if _, ok := entries["summaries.json"]; ok {
		sums = []string{"summaries.json"}
	} else {
		for n := range entries {
			if strings.HasPrefix(n, "_journal/summaries/") {
				sums = append(sums, n)
			}
		}
		slices.SortFunc(sums, cmpSampleNames)
	}
	fromSummaries := 0
	for _, n := range sums {
		data, err := read(n)
		if err != nil {
			return &Error{File: ir.name, Entry: n, Err: err}
		}
		var items []jsontext.Value
		if err := unmarshal(data, &items); err != nil {
			if err := ir.st.bad(ir.opt.SkipBad, &Error{File: ir.name, Entry: n, Err: err}); err != nil {
				return err
			}
			continue
		}
		for i, it := range items {
			var s inspectSample
			if unmarshal(it, &s) != nil {
				continue
			}
			id, _ := jtext(s.ID)
			key := id + "_epoch_" + strconv.Itoa(max(s.Epoch, 1))
			if done[key] {
				continue
			}
			done[key] = true
			fromSummaries++
			if err := ir.sample(it, n+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	}
	if fromSummaries > 0 {
		ir.st.note("%d samples read from summaries (no full sample record): response is the scorer's extracted answer", fromSummaries)
	}
	return nil
}

// cmpSampleNames orders "samples/10_epoch_1.json" after "samples/9_epoch_1.json".
func cmpSampleNames(a, b string) int {
	ka, kb := sampleKey(a), sampleKey(b)
	for i := range ka {
		if c := cmp.Compare(ka[i], kb[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(a, b)
}

func sampleKey(n string) [2]int {
	base := strings.TrimSuffix(path.Base(n), ".json")
	id, ep, _ := strings.Cut(base, "_epoch_")
	a, err1 := strconv.Atoi(id)
	e, _ := strconv.Atoi(ep)
	if err1 != nil {
		a = 1 << 30
	}
	return [2]int{a, e}
}

// sample reads one sample (or summary) and hands it on.
func (ir *inspectReader) sample(raw []byte, entry string) error {
	var in inspectSample
	if err := unmarshal(raw, &in); err != nil {
		return ir.st.bad(ir.opt.SkipBad, &Error{File: ir.name, Entry: entry, Err: err})
	}
	s := &ir.s
	*s = score.Sample{Model: cmp.Or(ir.opt.Model, ir.model, ir.opt.DefaultModel),
		Source: score.Source{File: ir.name, Entry: entry}}
	var ok bool
	if s.ID, ok = jtext(in.ID); !ok || s.ID == "" {
		return ir.st.bad(ir.opt.SkipBad, &Error{File: ir.name, Entry: entry, Field: "id", Err: fmt.Errorf("%s is not an id", abbrev(in.ID))})
	}
	resolve := func(t string) string {
		if h, ok := strings.CutPrefix(t, "attachment://"); ok {
			if v, ok := in.Attachments[h]; ok {
				return v
			}
		}
		return t
	}
	s.Question = resolve(messageText(in.Input, true))
	golds, err := jstrings(in.Target)
	if err != nil {
		return ir.st.bad(ir.opt.SkipBad, &Error{File: ir.name, Entry: entry, Field: "target", Err: err})
	}
	for i := range golds {
		golds[i] = resolve(golds[i])
	}
	s.Golds = golds
	if in.Output != nil {
		if len(in.Output.Choices) > 0 {
			s.Response = resolve(messageText(in.Output.Choices[0].Message.Content, false))
		}
		if s.Response == "" {
			t, _ := jstring(in.Output.Completion)
			s.Response = resolve(t)
		}
	}
	scorer, val, answer, err := ir.score(in.Scores)
	if err != nil {
		return ir.st.bad(ir.opt.SkipBad, &Error{File: ir.name, Entry: entry, Field: "scores", Err: err})
	}
	if s.Response == "" {
		s.Response = resolve(answer)
	}
	switch {
	case in.Error.Kind() != 'n' && in.Error.Kind() != 0:
		s.Outcome, s.Reason = score.Invalid, "sample error: "+errorText(in.Error)
	case scorer == "":
		s.Outcome, s.Reason = score.Invalid, "no score"
	default:
		s.Outcome, s.Reason = inspectOutcome(scorer, val)
	}
	ir.st.Samples++
	return ir.fn(s)
}

// score picks the scorer's value and extracted answer from a scores object.
func (ir *inspectReader) score(scores jsontext.Value) (scorer string, val jsontext.Value, answer string, err error) {
	if scores.Kind() != '{' {
		return "", nil, "", nil
	}
	err = members(scores, func(name string, v jsontext.Value) error {
		if scorer != "" || (ir.opt.InspectScorer != "" && name != ir.opt.InspectScorer) {
			return nil
		}
		var sc struct {
			Value  jsontext.Value `json:"value"`
			Answer jsontext.Value `json:"answer"`
		}
		if err := unmarshal(v, &sc); err != nil {
			return fmt.Errorf("scorer %s: %w", name, err)
		}
		scorer, val = name, sc.Value
		answer, _ = jtext(sc.Answer)
		return nil
	})
	if err == nil && scorer == "" && ir.opt.InspectScorer != "" {
		err = fmt.Errorf("no scorer %q", ir.opt.InspectScorer)
	}
	return scorer, val, answer, err
}

// inspectOutcome reads an Inspect score value as an outcome.
func inspectOutcome(scorer string, v jsontext.Value) (score.Outcome, string) {
	switch v.Kind() {
	case '"':
		s, _ := jstring(v)
		switch strings.ToUpper(strings.TrimSpace(s)) {
		case "C":
			return score.Correct, ""
		case "I":
			return score.Wrong, ""
		case "N":
			return score.Abstained, ""
		case "P":
			return score.Invalid, "scorer " + scorer + " gave partial credit (P), not a binary grade"
		}
		if o, err := score.ParseOutcome(s); err == nil && o != score.Ungraded {
			return o, ""
		}
	case 't', 'f', '0':
		return metricOutcome("scorer "+scorer, v)
	case '{':
		o := score.Ungraded
		members(v, func(name string, x jsontext.Value) error {
			if f, ok := jnumber(x); ok && f == 1 {
				switch strings.ToLower(name) {
				case "correct":
					o = score.Correct
				case "incorrect":
					o = score.Wrong
				case "not_attempted":
					o = score.Abstained
				}
			}
			return nil
		})
		if o != score.Ungraded {
			return o, ""
		}
	}
	return score.Invalid, "scorer " + scorer + " value " + abbrev(v) + " is not a grade"
}

// messageText returns the text of an Inspect input or message content: a
// string, a list of content parts ({type: "text", text}), or (for input) a
// list of chat messages, of which the last user message is taken.
func messageText(v jsontext.Value, input bool) string {
	if s, ok := jstring(v); ok {
		return s
	}
	var items []jsontext.Value
	if unmarshal(v, &items) != nil {
		return ""
	}
	var parts []string
	for _, it := range items {
		var m struct {
			Role    string         `json:"role"`
			Type    string         `json:"type"`
			Text    string         `json:"text"`
			Content jsontext.Value `json:"content"`
		}
		if unmarshal(it, &m) != nil {
			continue
		}
		switch {
		case input && m.Role != "":
			if m.Role == "user" {
				parts = []string{messageText(m.Content, false)}
			}
		case m.Type == "text":
			parts = append(parts, m.Text)
		}
	}
	return strings.Join(parts, "")
}

func errorText(v jsontext.Value) string {
	if s, ok := jstring(v); ok {
		return s
	}
	var e struct {
		Message string `json:"message"`
	}
	if unmarshal(v, &e) == nil && e.Message != "" {
		return e.Message
	}
	return abbrev(v)
}
