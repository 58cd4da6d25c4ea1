package evallog

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/score"
)

// TestFormatErrorOptions checks that the errors of logs Read cannot read
// as given name the option that resolves them, and no flag.
func TestFormatErrorOptions(t *testing.T) {
	test, err := os.ReadFile("testdata/simpleqa_test_head.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, in string
		opt      Options
		want     string
	}{
		{"a JSON array", "[1, 2]\n", Options{Format: Auto}, "Format"},
		{"a JSON document", "{\n\"a\": 1\n}\n", Options{Format: Auto}, "Format"},
		{"a first line past the detection window", "{" + strings.Repeat(" ", detectBytes), Options{Format: Auto}, "Format"},
		{"an lm-eval results file", "{\n\"results\": {}, \"configs\": {}\n}\n", Options{Format: Auto}, "LMEvalResults"},
		{"the SimpleQA test set", string(test), Options{Format: Auto}, "SimpleQATest"},
		{"predictions without the test set", `{"id": "1", "response": "x"}` + "\n", Options{Format: SimpleQA}, "SimpleQATest"},
		{"a CSV header without the columns", "x,y\n1,2\n", Options{Format: CSV}, "Map"},
	} {
		_, err := Read(strings.NewReader(tc.in), "log", tc.opt, func(*score.Sample) error { return nil })
		var fe *FormatError
		if !errors.As(err, &fe) || fe.Option != tc.want {
			t.Errorf("%s: error %v, want a FormatError with option %s", tc.name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "--") {
			t.Errorf("%s: error %q names a flag", tc.name, err)
		}
	}
}

// TestLimitErrorOptions checks that a log past a limit is a LimitError
// naming the field of Limits that raises it.
func TestLimitErrorOptions(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		opt      Options
		want     string
	}{
		{"a long line", `{"response": "` + strings.Repeat("x", 200<<10) + `", "outcome": "correct"}` + "\n", Options{Limits: Limits{MaxLine: 100}}, "MaxLine"},
		{"a long document", "{\n\"eval\": {}, \"version\": 2, \"x\": \"" + strings.Repeat("x", 200) + "\"\n}\n", Options{Format: Inspect, Limits: Limits{MaxDocument: 100}}, "MaxDocument"},
		{"many samples", strings.Repeat(`{"response": "x", "outcome": "correct"}`+"\n", 3), Options{Limits: Limits{MaxSamples: 2}}, "MaxSamples"},
	} {
		_, err := Read(strings.NewReader(tc.in), "log", tc.opt, func(*score.Sample) error { return nil })
		var le *LimitError
		if !errors.As(err, &le) || le.Option != tc.want {
			t.Errorf("%s: error %v, want a LimitError with option %s", tc.name, err, tc.want)
		}
	}
}

// TestMessagesNameOptions checks that the advice in ColumnErrors, in
// Stats.Notes and in number-field errors names the field of Options that
// acts on it (which a command maps to its flag), and no flag.
func TestMessagesNameOptions(t *testing.T) {
	gsm8k, err := os.ReadFile("testdata/lmeval_samples_gsm8k_2025-09-09T13-31-53.431753.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(gsm8k), "\n")
	other := strings.TrimSuffix(string(gsm8k), "\n") + "\n" + strings.Replace(first, `"strict-match"`, `"flexible-extract"`, 1)
	for _, tc := range []struct {
		name, log, m string
		opt          Options
		want         string // the option the message names
	}{
		{"misspelt column", `{"id":"1","answer":"x","golds":["x"]}`, "response=answr", Options{Format: JSONL}, "Options.Map"},
		{"nothing to score", `{"a":1}`, "", Options{Format: JSONL}, "Options.Map"},
		{"no gold, no grade", `{"id":"1","response":"x"}`, "", Options{Format: JSONL}, "Options.Map"},
		{"unknown grades", `{"response":"x","outcome":"maybe"}`, "", Options{Format: JSONL}, "Options.SkipBad"},
		{"grader letters", `{"response":"x","outcome":"A"}`, "", Options{Format: JSONL}, "Options.GradeValues"},
		{"a grade column named", `{"response":"x","hallucinated":"yes"}`, "grade=hallucinated", Options{Format: JSONL}, "Options.GradeValues"},
		{"a target column of text", `{"response":"x","target":"Paris"}`, "", Options{Format: JSONL}, "Options.Map"},
		{"other lm-eval filters", other, "", Options{Format: LMEval}, "Options.LMEvalFilter"},
	} {
		_, st, err := readMapped(t, tc.log+"\n", tc.m, tc.opt)
		msgs := st.Notes
		if err != nil {
			msgs = append(msgs, err.Error())
		}
		if !strings.Contains(strings.Join(msgs, "\n"), tc.want) {
			t.Errorf("%s: messages %q do not name %s", tc.name, msgs, tc.want)
		}
		for _, m := range msgs {
			if strings.Contains(m, "--") {
				t.Errorf("%s: message %q names a flag", tc.name, m)
			}
		}
	}
}
