package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func defaultScoreOptions() scoreOptions {
	return scoreOptions{Format: "auto", Match: "strict", Targets: "0,0.5,0.75,0.9", Bins: 10, Coverage: 0.8, CurveStep: 0.01, Bootstrap: 200, Seed: 1}
}

// writeSimpleQAExample writes the published SimpleQA comparison (OpenAI's blog
// post of 5 September 2025) as a hallu run file: 100 questions per model.
func writeSimpleQAExample(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, m := range []struct {
		name             string
		abst, corr, wrng int
	}{{"gpt-5-thinking-mini", 52, 22, 26}, {"o4-mini", 1, 24, 75}} {
		i := 0
		for _, o := range []struct {
			outcome, response string
			n                 int
		}{{"abstained", "I don't know", m.abst}, {"correct", "right", m.corr}, {"wrong", "wrong", m.wrng}} {
			for range o.n {
				fmt.Fprintf(&b, `{"id":"q%d","model":%q,"response":%q,"outcome":%q}`+"\n", i, m.name, o.response, o.outcome)
				i++
			}
		}
	}
	p := filepath.Join(t.TempDir(), "simpleqa_example.jsonl")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestScoreSimpleQAExampleJSON(t *testing.T) {
	p := writeSimpleQAExample(t)
	o := defaultScoreOptions()
	o.JSON = true
	var out strings.Builder
	if err := runScore(context.Background(), o, []string{p}, &out); err != nil {
		t.Fatal(err)
	}
	var env struct {
		Schema int
		Inputs []struct{ Path, SHA256 string }
		Result struct {
			Results []map[string]any `json:"results"`
		}
	}
	if err := json.Unmarshal([]byte(out.String()), &env); err != nil {
		t.Fatal(err)
	}
	if env.Schema != 1 || len(env.Inputs) != 1 || len(env.Inputs[0].SHA256) != 64 {
		t.Errorf("envelope: %+v", env)
	}
	if len(env.Result.Results) != 8 {
		t.Fatalf("%d results", len(env.Result.Results))
	}
	required := []string{"model", "t", "penalty", "n", "score", "accuracy", "error_rate", "abstention_rate",
		"invalid_rate", "accuracy_given_attempted", "f1"}
	// Hand-computed: score = (correct − wrong·t/(1−t))/100.
	want := map[string]map[float64]float64{
		"gpt-5-thinking-mini": {0: 0.22, 0.5: -0.04, 0.75: -0.56, 0.9: -2.12},
		"o4-mini":             {0: 0.24, 0.5: -0.51, 0.75: -2.01, 0.9: -6.51},
	}
	for _, r := range env.Result.Results {
		for _, k := range required {
			if _, ok := r[k]; !ok {
				t.Errorf("result %v lacks %q", r, k)
			}
		}
		m, tt := r["model"].(string), r["t"].(float64)
		if got := r["score"].(float64); math.Abs(got-want[m][tt]) > 1e-12 {
			t.Errorf("%s t=%v: score %v, want %v", m, tt, got, want[m][tt])
		}
		best := "gpt-5-thinking-mini"
		if tt == 0 {
			best = "o4-mini" // binary grading ranks the guesser first
		}
		if rank := r["rank"].(float64); (m == best) != (rank == 1) {
			t.Errorf("%s t=%v: rank %v", m, tt, rank)
		}
		if tt == 0.75 && r["penalty"].(float64) != 3 {
			t.Errorf("penalty at 0.75 = %v, want 3 (paper's erratum)", r["penalty"])
		}
	}
}

func TestScoreText(t *testing.T) {
	p := writeSimpleQAExample(t)
	var out strings.Builder
	if err := runScore(context.Background(), defaultScoreOptions(), []string{p}, &out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{"binary: o4-mini > gpt-5-thinking-mini", "t=0.5: gpt-5-thinking-mini > o4-mini", "-0.0400", "-6.5100", "Paired bootstrap"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
}

func TestScoreBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(`{"id":"a","outcome":"correct"}`+"\n"+`{"id":"b","outcome":"correct","confidence":7}`+"\n"), 0o644)
	empty := filepath.Join(dir, "empty.jsonl")
	os.WriteFile(empty, []byte("\n"), 0o644)
	for _, tc := range []struct {
		name  string
		mod   func(*scoreOptions)
		args  []string
		usage bool
		msg   string
	}{
		{"target 1", func(o *scoreOptions) { o.Targets = "0,1" }, []string{bad}, true, "not in [0,1)"},
		{"target text", func(o *scoreOptions) { o.Targets = "half" }, []string{bad}, true, "not a number"},
		{"format", func(o *scoreOptions) { o.Format = "xml" }, []string{bad}, true, "--format"},
		{"map", func(o *scoreOptions) { o.Map = "colour=x" }, []string{bad}, true, "unknown field"},
		{"match", func(o *scoreOptions) { o.Match = "loose" }, []string{bad}, true, "--match"},
		{"missing file", nil, []string{filepath.Join(dir, "nope.jsonl")}, false, "no such file"},
		{"bad record", nil, []string{bad}, false, "bad.jsonl:2: field confidence: 7 is not a probability"},
		{"no samples", func(o *scoreOptions) { o.Format = "hallu" }, []string{empty}, false, "no samples"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := defaultScoreOptions()
			if tc.mod != nil {
				tc.mod(&o)
			}
			err := runScore(context.Background(), o, tc.args, &strings.Builder{})
			if err == nil || !strings.Contains(err.Error(), tc.msg) || errors.As(err, new(usageError)) != tc.usage {
				t.Fatalf("err = %v (usage %v), want %q (usage %v)", err, errors.As(err, new(usageError)), tc.msg, tc.usage)
			}
		})
	}
	// --skip-bad counts the bad line and scores the rest.
	o := defaultScoreOptions()
	o.SkipBad, o.JSON = true, true
	var out strings.Builder
	if err := runScore(context.Background(), o, []string{bad}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"skipped": 1`) {
		t.Errorf("skip count missing:\n%s", out.String())
	}
}

func TestScoreCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := runScore(ctx, defaultScoreOptions(), []string{writeSimpleQAExample(t)}, &strings.Builder{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestScoreRealLMEvalPair(t *testing.T) {
	dir := "../../../shared/data/evallogs/lm-eval"
	a := filepath.Join(dir, "gemma-3-4b-it_mmlu-stem__samples_mmlu_abstract_algebra_2025-09-25T09-53-24.656847.jsonl")
	b := filepath.Join(dir, "qwen2.5-3b-instruct_mmlu-stem__samples_mmlu_abstract_algebra_2025-09-25T09-38-02.724479.jsonl")
	if _, err := os.Stat(a); err != nil {
		t.Skipf("real logs not present (%v)", err)
	}
	o := defaultScoreOptions()
	o.JSON = true
	var out strings.Builder
	if err := runScore(context.Background(), o, []string{a, b}, &out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	// Model names come from the results files found beside the samples;
	// both results files are inputs with their sha256.
	for _, want := range []string{`"model": "google/gemma-3-4b-it"`, `"model": "Qwen/Qwen2.5-3B-Instruct"`, `"shared": 100`, "results_2025-09-25T09-53-24.656847.json"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %s", want)
		}
	}
}

func TestBenchmarks(t *testing.T) {
	var out strings.Builder
	if err := runBenchmarks(benchmarksOptions{}, &out); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != 14 || !strings.Contains(out.String(), "WildBench") {
		t.Errorf("%d lines:\n%s", n, out.String())
	}
	out.Reset()
	if err := runBenchmarks(benchmarksOptions{JSON: true}, &out); err != nil || !strings.Contains(out.String(), `"idk_credit": "partial"`) {
		t.Errorf("%v\n%s", err, out.String())
	}
}

func TestScoreSimpleQAJoin(t *testing.T) {
	o := defaultScoreOptions()
	o.JSON = true
	o.SimpleQATest = "../../evallog/testdata/simpleqa_test_head.csv"
	var out strings.Builder
	if err := runScore(context.Background(), o, []string{"../../evallog/testdata/simpleqa_preds.jsonl"}, &out); err != nil {
		t.Fatal(err)
	}
	// Three predictions carry SimpleQA grades (A, B, C); three are graded
	// by matching against the test set's answers: right, right (contained),
	// wrong.
	for _, want := range []string{`"graded_by_matching": 3`, `"format": "simpleqa"`, `"simpleqa_test": "../../evallog/testdata/simpleqa_test_head.csv"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %s", want)
		}
	}
	var env struct {
		Result struct{ Results []map[string]any }
	}
	json.Unmarshal([]byte(out.String()), &env)
	for _, r := range env.Result.Results {
		if r["model"] == "matcher" && (r["correct"].(float64) != 2 || r["wrong"].(float64) != 1) {
			t.Errorf("matcher: %v", r)
		}
	}
}
