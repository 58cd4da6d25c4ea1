package evallog

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/score"
)

func fixture(name string) string { return filepath.Join("testdata", name) }

func outcomes(ss []score.Sample) []score.Outcome {
	out := make([]score.Outcome, len(ss))
	for i, s := range ss {
		out[i] = s.Outcome
	}
	return out
}

func equalOutcomes(t *testing.T, ss []score.Sample, want ...score.Outcome) {
	t.Helper()
	got := outcomes(ss)
	if len(got) != len(want) {
		t.Fatalf("%d samples %v, want %d %v", len(got), got, len(want), want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("sample %d (%s): %v, want %v (%s)", i, ss[i].ID, got[i], want[i], ss[i].Reason)
		}
	}
}

const (
	C  = score.Correct
	W  = score.Wrong
	A  = score.Abstained
	IV = score.Invalid
	U  = score.Ungraded
)

func TestRunFile(t *testing.T) {
	f, err := os.Open(fixture("run.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ss []score.Sample
	st, err := ReadRun(f, "run.jsonl", func(s *score.Sample) error {
		c := *s
		c.Golds = append([]string(nil), s.Golds...)
		ss = append(ss, c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	equalOutcomes(t, ss, C, W, A, IV, U, W)
	if st.Samples != 6 || ss[0].Source.Line != 1 || ss[5].Source.Line != 7 {
		t.Errorf("stats %+v, lines %d %d", st, ss[0].Source.Line, ss[5].Source.Line)
	}
	if ss[2].Golds[1] != "anonymous" || ss[3].Reason != "API error: 500" || ss[5].Question != `Author of "Hamlet"?` {
		t.Errorf("fields: %+v", ss)
	}

	// RunWriter round-trips what ReadRun reads.
	var b strings.Builder
	w := NewRunWriter(&b)
	for i := range ss {
		if err := w.Write(&ss[i]); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	ss2, _, err := readAll2(t, strings.NewReader(b.String()), Options{Format: Run})
	if err != nil || len(ss2) != len(ss) {
		t.Fatalf("round trip: %v, %d samples", err, len(ss2))
	}
	for i := range ss {
		if ss2[i].ID != ss[i].ID || ss2[i].Outcome != ss[i].Outcome || ss2[i].Response != ss[i].Response ||
			(ss[i].Confidence != nil) != (ss2[i].Confidence != nil) || *ss2[i].Target != 0.5 {
			t.Errorf("round trip %d: %+v vs %+v", i, ss2[i], ss[i])
		}
	}
}

func TestGenericCSV(t *testing.T) {
	m, err := ParseColumnMap("id=qid,question=q,gold=answer,response=pred,grade=label,confidence=p,model=system,target=")
	if err != nil {
		t.Fatal(err)
	}
	ss, st, err := readAll(t, fixture("generic.csv"), Options{Format: Auto, Map: m})
	if err != nil {
		t.Fatal(err)
	}
	if st.Format != CSV {
		t.Errorf("detected %s", st.Format)
	}
	equalOutcomes(t, ss, C, W, U, U, U)
	if got := ss[2].Golds; len(got) != 3 || got[1] != "Leonardo" || got[2] != "da Vinci" {
		t.Errorf("aliases: %q", got)
	}
	if ss[4].Model != "alpha" || *ss[4].Confidence != 0.05 || ss[1].Source.Line != 3 {
		t.Errorf("fields: %+v", ss[4])
	}
}

func TestBadRecords(t *testing.T) {
	for _, tc := range []struct {
		name, in, field string
		format          Format
		line            int
	}{
		{"confidence out of range", `{"id":"a","outcome":"correct","confidence":1.5}`, "confidence", Run, 1},
		{"confidence not a number", "\n" + `{"id":"a","confidence":"high"}`, "confidence", Run, 2},
		{"target of 1", `{"id":"a","target":1}`, "target", Run, 1},
		{"not an object", `[1,2]`, "", Run, 1},
		{"truncated", `{"id":"a","response":"x`, "", Run, 1},
		{"golds not strings", `{"id":"a","golds":[{"x":1}]}`, "golds", Run, 1},
		{"csv confidence", "id,response,confidence\n1,x,abc\n", "confidence", CSV, 2},
		{"lm-eval doc_id", `{"doc_id":{},"resps":[]}`, "doc_id", LMEval, 1},
		{"lm-eval loglik", `{"doc_id":1,"target":0,"resps":[[["x","True"]],[["-1","False"]]]}`, "resps[0]", LMEval, 1},
		{"lm-eval target", `{"doc_id":1,"target":7,"resps":[[["-2","True"]],[["-1","False"]]]}`, "target", LMEval, 1},
		{"litcab correct", `{"question":"q","answer":["a"],"gold_answer":"b","normalized_score":[0.5],"rouge_correct_first_answer":"maybe"}`, "rouge_correct_first_answer", LitCab, 1},
		{"litcab confidence", `{"question":"q","answer":["a"],"gold_answer":"b","normalized_score":[1.5],"rouge_correct_first_answer":true}`, "normalized_score", LitCab, 1},
		{"truthfulqa prompt", `{"prompt":"What?","completion":" yes"}`, "prompt", TruthfulQA, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := readAll2(t, strings.NewReader(tc.in), Options{Format: tc.format})
			var e *Error
			if !errors.As(err, &e) || e.Field != tc.field || e.Line != tc.line {
				t.Fatalf("error %v (%#v), want field %q line %d", err, e, tc.field, tc.line)
			}
			// With SkipBad the record is counted, not fatal.
			_, st, err := readAll2(t, strings.NewReader(tc.in), Options{Format: tc.format, SkipBad: true})
			if err != nil || st.Skipped != 1 || len(st.Problems) != 1 {
				t.Fatalf("skip-bad: %v %+v", err, st)
			}
		})
	}
	if _, _, err := readAll2(t, strings.NewReader(`{"prompt":"Q: a\nA: b\nHelpful:","completion":" yes"}`), Options{Format: TruthfulQA, SkipBad: true}); err == nil || !strings.Contains(err.Error(), "informativeness") {
		t.Errorf("finetune_info accepted: %v", err)
	}
}

func TestSimpleQA(t *testing.T) {
	f, _ := os.Open(fixture("simpleqa_test_head.csv"))
	ts, err := ReadSimpleQATest(f, "simpleqa_test_head.csv")
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(ts.Items) != 3 || ts.Items[1].Answer != "Annick Bricaud" || ts.Items[0].Topic != "Science and technology" || ts.Items[2].AnswerType != "Place" {
		t.Fatalf("test set %+v", ts.Items)
	}
	ss, st, err := readAll(t, fixture("simpleqa_preds.jsonl"), Options{Format: SimpleQA, SimpleQATest: ts})
	if err != nil {
		t.Fatal(err)
	}
	// Grades A, B, C; then three ungraded for the matcher. The third was
	// joined by question text.
	equalOutcomes(t, ss, C, W, A, U, U, U)
	if ss[2].ID != "2" || ss[2].Golds[0] != "Radcliffe College" || ss[4].Golds[0] != "Annick Bricaud" || st.Provenance["joined"] != "6" {
		t.Errorf("join: %+v %+v", ss[2], st)
	}
	if _, _, err := readAll2(t, strings.NewReader(`{"id":"99","response":"x"}`), Options{Format: SimpleQA, SimpleQATest: ts}); err == nil || !strings.Contains(err.Error(), "not in the SimpleQA test set") {
		t.Errorf("unknown id: %v", err)
	}
}

func TestPyLiteral(t *testing.T) {
	v, err := parsePyLiteral(`{'topic': 'Art', "q": "it's", 'urls': ['a', 'b\'c'], 'n': -1.5e3, 't': (True, None), 'u': '\u00e9\x41'}`)
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	if m["topic"] != "Art" || m["q"] != "it's" || m["urls"].([]any)[1] != "b'c" || m["n"] != -1500.0 || m["u"] != "éA" {
		t.Errorf("%#v", m)
	}
	for _, bad := range []string{"{'a': }", "{'a' 1}", "['x'", "'unterminated", "{'a': 1} trailing", strings.Repeat("[", 200)} {
		if _, err := parsePyLiteral(bad); err == nil {
			t.Errorf("parsePyLiteral(%q) accepted", bad)
		}
	}
}

// Samples pair across logs by doc_hash where lm-eval logs one: the same
// doc_id in two tasks is two questions; without doc_hash the doc_id is all
// there is.
func TestLMEvalSampleIDs(t *testing.T) {
	in := `{"doc_id":0,"doc_hash":"aa","target":"x","resps":[["x"]],"filtered_resps":["x"],"metrics":["exact_match"],"exact_match":1}
{"doc_id":1,"target":"x","resps":[["y"]],"filtered_resps":["y"],"metrics":["exact_match"],"exact_match":0}
`
	ss, _, err := readAll2(t, strings.NewReader(in), Options{Format: LMEval})
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 2 || ss[0].ID != "aa" || ss[1].ID != "1" {
		t.Fatalf("IDs: %+v", ss)
	}
}

func TestLMEvalFixtures(t *testing.T) {
	// Generative, chat-API shape, graded by exact_match (strict-match).
	ss, st, err := readAll(t, fixture("lmeval_samples_gsm8k_2025-09-09T13-31-53.431753.jsonl"), Options{Format: Auto})
	if err != nil {
		t.Fatal(err)
	}
	equalOutcomes(t, ss, C, W, W)
	// doc 16's doc_hash, the sha256 lm-eval logs for the doc, is its ID.
	if ss[0].Response != "230" || ss[0].ID != "8d52662ed683404d1c5f225090293bd707c942fb370cf956572bef5e4057b3a6" ||
		!strings.HasPrefix(ss[0].Question, "Two trains") || st.Format != LMEval {
		t.Errorf("gsm8k: %+v", ss[0])
	}
	// Multiple choice: confidence = softmax of the four log-likelihoods at
	// the arg-max, computed here from the numbers in the file.
	ss, _, err = readAll(t, fixture("lmeval_mc_negotiationtom.jsonl"), Options{Format: LMEval})
	if err != nil {
		t.Fatal(err)
	}
	equalOutcomes(t, ss, W, C, C) // argmax is choice 0; targets 3, 0, 0
	ll := []float64{-10.125, -17.625, -21.125, -17.875}
	var z float64
	for _, x := range ll {
		z += math.Exp(x)
	}
	if want := math.Exp(ll[0]) / z; math.Abs(*ss[0].Confidence-want) > 1e-12 || ss[0].Response != "A" || ss[0].Golds[0] != "D" {
		t.Errorf("MC: confidence %v want %v, response %q gold %q", *ss[0].Confidence, want, ss[0].Response, ss[0].Golds)
	}
	// Length-normalised: every choice is one character long, so the same.
	ssn, _, _ := readAll(t, fixture("lmeval_mc_negotiationtom.jsonl"), Options{Format: LMEval, LengthNormalized: true})
	if math.Abs(*ssn[0].Confidence-*ss[0].Confidence) > 1e-12 {
		t.Errorf("length-normalised %v", *ssn[0].Confidence)
	}
	// 2023 format: flat arguments (one continuation), text targets; the
	// choices' texts come from the doc's options string, as lm-eval's mathqa
	// doc_to_choice splits it, so the targets name choices and length
	// normalisation works. Every grade agrees with the log's own acc and
	// acc_norm (all 0 here).
	for _, norm := range []bool{false, true} {
		ss, st, err = readAll(t, fixture("lmeval_mathqa_2023.jsonl"), Options{Format: LMEval, LengthNormalized: norm})
		if err != nil {
			t.Fatal(err)
		}
		equalOutcomes(t, ss, W, W, W)
		if ss[0].Confidence == nil || ss[0].Golds[0] != "38" || len(st.Notes) != 0 {
			t.Errorf("mathqa (norm %v): %+v %q", norm, ss[0], st.Notes)
		}
	}
	// Without the choices' texts, no length normalisation; the target text
	// names no choice, so the log's acc grades.
	noTexts := `{"doc_id":0,"doc":{},"target":"38","arguments":["Q","38"],"resps":[[[-1,false]],[[-2,false]]],"acc":1.0}`
	if _, _, err := readAll2(t, strings.NewReader(noTexts), Options{Format: LMEval, LengthNormalized: true}); err == nil || !strings.Contains(err.Error(), "field arguments: length normalisation needs the texts of the 2 choices") {
		t.Errorf("length normalisation without choice texts: %v", err)
	}
	ss, st, err = readAll2(t, strings.NewReader(noTexts), Options{Format: LMEval})
	if err != nil || ss[0].Outcome != C || ss[0].Response != "choice 0" || len(st.Notes) != 1 || !strings.Contains(st.Notes[0], "graded by the log's acc") {
		t.Errorf("graded by acc: %v %+v %q", err, ss, st.Notes)
	}
	// Bare Infinity tokens; no 0/1 metric, so ungraded (for the matcher).
	ss, _, err = readAll(t, fixture("lmeval_polymer_nan.jsonl"), Options{Format: Auto})
	if err != nil {
		t.Fatal(err)
	}
	equalOutcomes(t, ss, U, U, U)
	if ss[1].Response != "303" || ss[1].Golds[0] != "43.3930774" {
		t.Errorf("polymer: %+v", ss[1])
	}
	// 0.4.2: one JSON array.
	ss, st, err = readAll(t, fixture("lmeval_wmdp_array_042.jsonl"), Options{Format: Auto})
	if err != nil || st.Format != LMEval {
		t.Fatal(err, st.Format)
	}
	equalOutcomes(t, ss, C, C)
	if ss[1].Source.Entry != "[1]" {
		t.Errorf("entry %q", ss[1].Source.Entry)
	}
	// Results JSON for provenance.
	f, _ := os.Open(fixture("lmeval_results_2025-09-09T13-31-53.431753.json"))
	res, err := ReadLMEvalResults(f, "results")
	f.Close()
	if err != nil || res.Version != "0.4.9.1" || len(res.Tasks) != 1 || res.Tasks[0] != "gsm8k" {
		t.Errorf("results: %v %+v", err, res)
	}
	if name, ok := LMEvalResultsName("out/m/samples_gsm8k_2025-09-09T13-31-53.431753.jsonl.gz"); !ok || name != "results_2025-09-09T13-31-53.431753.json" {
		t.Errorf("LMEvalResultsName = %q", name)
	}
}

func TestInspectFixtures(t *testing.T) {
	for _, name := range []string{"inspect_log_formats.eval", "inspect_log_formats.json"} {
		ss, st, err := readAll(t, fixture(name), Options{Format: Auto})
		if err != nil {
			t.Fatal(err)
		}
		// One sample, match scorer I: llama3.1 said "No" to " Yes".
		equalOutcomes(t, ss, W)
		if ss[0].Model != "ollama/llama3.1" || ss[0].Response != "No" || ss[0].Golds[0] != " Yes" ||
			!strings.HasPrefix(ss[0].Question, "Is the following statement") || st.Format != Inspect {
			t.Errorf("%s: %+v", name, ss[0])
		}
	}
	// Unfinished runs: no header.json. With only the journal, the summary
	// gives the sample (response: the scorer's extracted answer).
	ss, st, err := readAll(t, fixture("inspect_unfinished_journal_only.eval"), Options{Format: Auto})
	if err != nil {
		t.Fatal(err)
	}
	equalOutcomes(t, ss, W)
	if ss[0].Response != "No" || len(st.Notes) != 2 || !strings.Contains(st.Notes[0], "unfinished") {
		t.Errorf("journal only: %+v %q", ss[0], st.Notes)
	}
	ss, _, err = readAll(t, fixture("inspect_unfinished_with_sample.eval"), Options{Format: Inspect})
	if err != nil || len(ss) != 1 || ss[0].Source.Entry != "samples/1_epoch_1.json" {
		t.Fatalf("with sample: %v %+v", err, ss)
	}
	// A scorer that is not there.
	if _, _, err := readAll(t, fixture("inspect_log_formats.json"), Options{Format: Inspect, InspectScorer: "nope"}); err == nil {
		t.Error("missing scorer accepted")
	}
}

func TestInspectScoreValues(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want score.Outcome
	}{
		{`"C"`, C}, {`"I"`, W}, {`"N"`, A}, {`"P"`, IV}, {`1`, C}, {`0.0`, W}, {`0.5`, IV}, {`true`, C},
		{`{"correct": 0, "incorrect": 0, "not_attempted": 1.0}`, A}, {`{"correct": 1.0}`, C}, {`{"x": 1}`, IV}, {`"maybe"`, IV},
	} {
		if got, _ := inspectOutcome("s", []byte(tc.v)); got != tc.want {
			t.Errorf("inspectOutcome(%s) = %v, want %v", tc.v, got, tc.want)
		}
	}
}

func TestOpenAIEvalsFixtures(t *testing.T) {
	ss, st, err := readAll(t, fixture("openaievals_us_tort_law.jsonl"), Options{Format: Auto})
	if err != nil {
		t.Fatal(err)
	}
	if c := tally(ss); c.Correct != 1 || c.Wrong != 4 || st.Format != OpenAIEvals {
		t.Errorf("us-tort-law: %+v (final report says accuracy 0.2)", c)
	}
	if ss[0].Model != "gpt-3.5-turbo" || ss[0].Response == "" || len(ss[0].Golds) != 1 {
		t.Errorf("%+v", ss[0])
	}
	ss, st, err = readAll(t, fixture("openaievals_modelgraded_incomplete.jsonl"), Options{Format: Auto})
	if err != nil {
		t.Fatal(err)
	}
	// .25 has a metrics event with fact choice E (consistent); .50 none.
	byID := map[string]score.Sample{}
	for _, s := range ss {
		byID[s.ID] = s
	}
	if byID["semantic_role_recognition.test.25"].Outcome != C || byID["semantic_role_recognition.test.50"].Outcome != IV || len(ss) != 2 {
		t.Errorf("model-graded: %+v", ss)
	}
	if !strings.Contains(strings.Join(st.Notes, " "), "no final_report") {
		t.Errorf("notes %q", st.Notes)
	}
}

func TestLitCabAndTruthfulQAFixtures(t *testing.T) {
	ss, st, err := readAll(t, fixture("litcab_handwritten.jsonl"), Options{Format: Auto, DefaultModel: "m"})
	if err != nil || st.Format != LitCab {
		t.Fatal(err, st.Format)
	}
	equalOutcomes(t, ss, C, W, C)
	if *ss[0].Confidence != 0.8485281374238571 || ss[1].Response != "Sydney" || ss[1].ID != "what is the capital of australia" || ss[0].Model != "m" {
		t.Errorf("%+v", ss[:2])
	}
	ss, st, err = readAll(t, fixture("truthfulqa_finetune_truth.jsonl"), Options{Format: Auto})
	if err != nil || st.Format != TruthfulQA {
		t.Fatal(err, st.Format)
	}
	// Labels no, yes, ?, then "I have no comment." (truthful, yet an
	// abstention), then an untruthful answer.
	if ss[3].Outcome != A || ss[3].Response != "I have no comment." || ss[0].Outcome != W || ss[1].Outcome != C {
		t.Errorf("%+v", ss)
	}
}

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		head string
		want Format
		err  string
	}{
		{"PK\x03\x04...", Inspect, ""},
		{`{"spec": {}}` + "\n", OpenAIEvals, ""},
		{`{"doc_id": 0, "mae": Infinity}`, LMEval, ""},
		{`{"id": "q1", "outcome": "correct"}`, Run, ""},
		{"{\n  \"version\": 2,\n  \"eval\": {}", Inspect, ""},
		{"metadata,problem,answer\n", "", "SimpleQA test set"},
		{"{\n \"results\": {}, \"configs\": {}", "", "results file"},
		{"id,response\n", CSV, ""},
		{"", "", "empty"},
	} {
		got, err := Detect([]byte(tc.head))
		if got != tc.want || (tc.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("Detect(%q) = %q, %v; want %q, %q", tc.head, got, err, tc.want, tc.err)
		}
	}
}

func TestInspectCrashedZip(t *testing.T) {
	// The .eval cut before its central directory, as a killed writer
	// leaves it: the members are recovered from their local headers.
	ss, st, err := readAll(t, fixture("inspect_truncated_no_central_directory.eval"), Options{Format: Auto})
	if err != nil {
		t.Fatal(err)
	}
	equalOutcomes(t, ss, W)
	if !strings.Contains(strings.Join(st.Notes, " "), "local headers") || ss[0].Response != "No" {
		t.Errorf("%+v %q", ss[0], st.Notes)
	}
	// Cut inside a member: the members before it are still read.
	b, _ := os.ReadFile(fixture("inspect_log_formats.eval"))
	if _, n := (Limits{}).zipLocalEntries(b[:1200]); n != 1 {
		t.Errorf("recovered %d members from a cut archive, want 1 (_journal/start.json)", n)
	}
}
