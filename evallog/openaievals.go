package evallog

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/hallu-dev/hallu/score"
)

// oaiEvent is one line of an openai/evals run log after the spec line.
type oaiEvent struct {
	Spec        jsontext.Value `json:"spec"`
	FinalReport jsontext.Value `json:"final_report"`
	SampleID    string         `json:"sample_id"`
	Type        string         `json:"type"`
	EventID     int            `json:"event_id"`
	Data        jsontext.Value `json:"data"`
}

// oaiSample gathers the events of one sample_id.
type oaiSample struct {
	id       string
	line     int
	question string
	response string
	golds    []string
	outcome  score.Outcome
	reason   string
	graded   bool
}

// modelGradedFact scores openai/evals' "fact" model-graded spec, whose
// choices are A (subset of the expert answer, consistent), B (superset,
// consistent), C (same details), D (disagreement), E (differences that do
// not matter for factuality): every choice but D is factually consistent.
var modelGradedFact = map[string]score.Outcome{"A": score.Correct, "B": score.Correct, "C": score.Correct, "D": score.Wrong, "E": score.Correct}

// readOpenAIEvals reads an oaieval record log: a spec line,
// a final_report line anywhere (or none, for an unfinished run), then
// events. A sample's response is its first sampling event's completion
// (or its match event's "sampled"); its grade the match event's "correct",
// or, for model-graded evals, the metrics event's numeric score, or its
// choice under the "fact" spec (A/B/C/E correct, D wrong). A sample with
// no grading event is invalid ("no grade event").
func readOpenAIEvals(r io.Reader, name string, opt Options, st *Stats, fn func(*score.Sample) error) error {
	sc := opt.Limits.newScanner(r)
	var order []string
	samples := map[string]*oaiSample{}
	model, spec := "", ""
	line := 0
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		var ev oaiEvent
		if err := unmarshal(raw, &ev); err != nil {
			if err := st.bad(opt.SkipBad, &Error{File: name, Line: line, Err: err}); err != nil {
				return err
			}
			continue
		}
		switch {
		case ev.Spec.Kind() == '{':
			var s struct {
				CompletionFns []string `json:"completion_fns"`
				EvalName      string   `json:"eval_name"`
				RunID         string   `json:"run_id"`
				CreatedAt     string   `json:"created_at"`
				RunConfig     struct {
					EvalSpec struct {
						Cls  string `json:"cls"`
						Args struct {
							ModelGradedSpec string `json:"modelgraded_spec"`
						} `json:"args"`
					} `json:"eval_spec"`
				} `json:"run_config"`
			}
			if err := unmarshal(ev.Spec, &s); err != nil {
				return &Error{File: name, Line: line, Field: "spec", Err: err}
			}
			if len(s.CompletionFns) > 0 {
				model = s.CompletionFns[0]
			}
			spec = s.RunConfig.EvalSpec.Args.ModelGradedSpec
			st.prov("openai_evals_eval", s.EvalName)
			st.prov("openai_evals_class", s.RunConfig.EvalSpec.Cls)
			st.prov("openai_evals_run_id", s.RunID)
			st.prov("openai_evals_created", s.CreatedAt)
			st.prov("openai_evals_completion_fn", model)
			continue
		case ev.FinalReport.Kind() == '{':
			st.prov("openai_evals_final_report", string(ev.FinalReport))
			continue
		case ev.SampleID == "":
			if err := st.bad(opt.SkipBad, &Error{File: name, Line: line, Field: "sample_id", Err: fmt.Errorf("an event without a sample id")}); err != nil {
				return err
			}
			continue
		}
		s := samples[ev.SampleID]
		if s == nil {
			s = &oaiSample{id: ev.SampleID, line: line}
			samples[ev.SampleID] = s
			order = append(order, ev.SampleID)
		}
		if err := s.event(ev, spec); err != nil {
			if err := st.bad(opt.SkipBad, &Error{File: name, Line: line, Field: "data", Err: err}); err != nil {
				return err
			}
		}
	}
	if err := sc.Err(); err != nil {
		return opt.Limits.scanError(name, line+1, err)
	}
	if _, ok := st.Provenance["openai_evals_final_report"]; !ok {
		st.note("no final_report line: the run did not finish")
	}
	ungraded := 0
	var smp score.Sample
	for _, id := range order {
		o := samples[id]
		smp = score.Sample{ID: o.id, Question: o.question, Golds: o.golds, Response: o.response,
			Model:  cmp.Or(opt.Model, model, opt.DefaultModel),
			Source: score.Source{File: name, Line: o.line, Entry: o.id}}
		if o.graded {
			smp.Outcome, smp.Reason = o.outcome, o.reason
		} else {
			smp.Outcome, smp.Reason = score.Invalid, "no match or metrics event (unfinished run?)"
			ungraded++
		}
		st.Samples++
		if err := fn(&smp); err != nil {
			return err
		}
	}
	if ungraded > 0 {
		st.note("%d samples have no grading event and are invalid", ungraded)
	}
	return nil
}

func (s *oaiSample) event(ev oaiEvent, spec string) error {
	switch ev.Type {
	case "sampling":
		var d struct {
			Prompt  jsontext.Value `json:"prompt"`
			Sampled jsontext.Value `json:"sampled"`
		}
		if err := unmarshal(ev.Data, &d); err != nil {
			return err
		}
		if s.response == "" && s.question == "" { // the first sampling event is the model's answer
			if got, err := jstrings(d.Sampled); err == nil && len(got) > 0 {
				s.response = got[0]
			}
			s.question = lastUserMessage(d.Prompt)
		}
	case "match":
		var d struct {
			Correct  *bool          `json:"correct"`
			Expected jsontext.Value `json:"expected"`
			Sampled  jsontext.Value `json:"sampled"`
		}
		if err := unmarshal(ev.Data, &d); err != nil {
			return err
		}
		if d.Correct == nil {
			return fmt.Errorf("match event without \"correct\"")
		}
		s.graded, s.outcome = true, score.Wrong
		if *d.Correct {
			s.outcome = score.Correct
		}
		s.golds, _ = jstrings(d.Expected)
		if t, ok := jstring(d.Sampled); ok {
			s.response = t
		}
	case "metrics":
		var d struct {
			Choice jsontext.Value `json:"choice"`
			Score  jsontext.Value `json:"score"`
		}
		if err := unmarshal(ev.Data, &d); err != nil {
			return err
		}
		choice, _ := jtext(d.Choice)
		if x, ok := jnumber(d.Score); ok && d.Score.Kind() == '0' {
			s.graded = true
			s.outcome, s.reason = metricOutcome("score", d.Score)
			if x == 1 || x == 0 {
				s.reason = ""
			}
			return nil
		}
		if o, ok := modelGradedFact[strings.ToUpper(choice)]; ok && spec == "fact" {
			s.graded, s.outcome, s.reason = true, o, "model-graded fact choice "+choice
			return nil
		}
		s.graded, s.outcome, s.reason = true, score.Invalid, "model-graded choice "+strconv.Quote(choice)+" under spec "+strconv.Quote(spec)+" has no known grade"
	}
	return nil
}

// lastUserMessage returns the content of the last user message of a chat
// prompt, or the prompt itself if it is a string.
func lastUserMessage(v jsontext.Value) string {
	if s, ok := jstring(v); ok {
		return s
	}
	var msgs []struct {
		Role    string         `json:"role"`
		Content jsontext.Value `json:"content"`
	}
	if unmarshal(v, &msgs) != nil {
		return ""
	}
	q := ""
	for _, m := range msgs {
		if m.Role == "user" {
			q, _ = jstring(m.Content)
		}
	}
	return q
}
