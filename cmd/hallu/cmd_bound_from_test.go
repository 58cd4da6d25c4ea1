package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/ngram"
	"github.com/hallu-dev/hallu/serve"
)

const gemmaMMLU = "../../../shared/data/evallogs/lm-eval/gemma-3-4b-it_mmlu-stem__samples_mmlu_abstract_algebra_2025-09-25T09-53-24.656847.jsonl"

func TestBoundFromLMEval(t *testing.T) {
	if _, err := os.Stat(gemmaMMLU); err != nil {
		t.Skipf("real logs not present (%v)", err)
	}
	inst := filepath.Join(t.TempDir(), "inst.jsonl")
	code, out, stderr := hallu(t, "bound", "--from", "lmeval", "--norm", "length", "--json", "--write-instance", inst, gemmaMMLU)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var env struct {
		Params map[string]any `json:"parameters"`
		Inputs []struct{ SHA256 string }
		Result map[string]any
	}
	if err := json.Unmarshal([]byte(out), &env); err != nil {
		t.Fatal(err)
	}
	if env.Params["from"] != "lmeval" || env.Params["norm"] != "length" || len(env.Inputs) != 1 || env.Result["contexts"] != 100.0 {
		t.Errorf("params %v, inputs %v, contexts %v", env.Params, env.Inputs, env.Result["contexts"])
	}
	if notes, _ := env.Params["notes"].([]any); len(notes) == 0 || !strings.Contains(notes[0].(string), "restricted to the choices") {
		t.Errorf("notes %v lack the restriction to the offered choices", env.Params["notes"])
	}
	// The saved instance is a plain instance that gives the same numbers.
	code, out2, stderr := hallu(t, "bound", "--json", inst)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var env2 struct{ Result map[string]any }
	json.Unmarshal([]byte(out2), &env2)
	for _, k := range []string{"err", "err_iiv", "delta", "bound", "mc_bound"} {
		if env.Result[k] != env2.Result[k] {
			t.Errorf("%s: %v from the log, %v from the saved instance", k, env.Result[k], env2.Result[k])
		}
	}
	code, text, _ := hallu(t, "bound", "--from", "lmeval", gemmaMMLU)
	if code != 0 || !strings.Contains(text, "Note: p̂ is the model's distribution restricted to the choices") {
		t.Errorf("text output lacks the note:\n%s", text)
	}
}

func TestBoundFromCandidates(t *testing.T) {
	tr := ngram.NewTrainer()
	tr.AddText(strings.NewReader("The capital of France is Paris. The capital of Italy is Rome. Paris is in France."))
	m, err := tr.Train(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer((&serve.Server{Model: m, ModelID: "tiny"}).Handler())
	defer hs.Close()
	sets := filepath.Join(t.TempDir(), "sets.jsonl")
	os.WriteFile(sets, []byte(`{"context":"The capital of France is","valid":[" Paris."],"errors":[" Rome."," Lyon."]}`+"\n"), 0o644)
	code, out, stderr := hallu(t, "bound", "--from", "candidates", "--base-url", hs.URL+"/v1", "--model", "tiny", "--no-cache", sets)
	if code != 0 || !strings.Contains(out, "1 context, 3 rows") || !strings.Contains(out, "restricted to the candidate set") {
		t.Errorf("exit %d, stderr %s, out:\n%s", code, stderr, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte(`{"context":"c","valid":[" a"]}`+"\n"), 0o644)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"bound", "--from", "candidates", "--base-url", hs.URL + "/v1", "--model", "tiny", "--no-cache", bad}, exitError, bad + " line 1: field valid/errors: a candidate set of one"},
		{[]string{"bound", "--from", "candidates", sets}, exitUsage, "--base-url and --model"},
		{[]string{"bound", "--from", "nope", sets}, exitUsage, `--from "nope"`},
		{[]string{"bound", "--from", "lmeval", "--norm", "log", sets}, exitUsage, "unknown normalisation"},
	} {
		code, _, stderr := hallu(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("hallu %v: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}

// --max-line and --max-doc bound what the --from readers hold: over them,
// the error names the file, the line and the flag, and the exit is 1.
func TestBoundFromLimits(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("a", 3000)
	sets := filepath.Join(dir, "sets.jsonl")
	os.WriteFile(sets, []byte(`{"context":"c","valid":[" a"],"errors":[" b"]}`+"\n"+`{"context":"`+long+`","valid":[" a"],"errors":[" b"]}`+"\n"), 0o644)
	eq := filepath.Join(dir, "P1.test.json")
	os.WriteFile(eq, []byte(`[{"question":"`+long+`","answers":["x"]},{"question":"q","answers":["y"]}]`), 0o644)
	endpoint := []string{"--base-url", "http://127.0.0.1:1/v1", "--model", "m", "--no-cache", "--max-retries", "0"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--from", "candidates", "--max-line", "1K", sets}, sets + ": line 2: line longer than the limit of 1KiB (raise it with --max-line)"},
		{[]string{"--from", "entityquestions", "--max-doc", "2K", eq}, eq + ": EntityQuestions file longer than the limit of 2KiB (raise it with --max-doc)"},
	} {
		code, _, stderr := hallu(t, append(append([]string{"bound"}, tc.args...), endpoint...)...)
		if code != exitError || !strings.Contains(stderr, tc.want) {
			t.Errorf("hallu bound %v: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, exitError, tc.want)
		}
	}
}

// TestCompareDeltaLimits: compare's logs and delta --choices' items are
// bounded by their own --max-line (and compare's --max-doc), named in the
// error.
func TestCompareDeltaLimits(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("a", 3000)
	samples := filepath.Join(dir, "samples_task.jsonl")
	os.WriteFile(samples, []byte(`{"doc_id":0,"doc":{"q":"`+long+`"}}`+"\n"), 0o644)
	array := filepath.Join(dir, "samples_task.json")
	os.WriteFile(array, []byte(`[{"doc_id":0,"doc":{"q":"`+long+`"}}]`), 0o644)
	items := filepath.Join(dir, "items.jsonl")
	os.WriteFile(items, []byte(`{"question":"`+long+`","choices":["a","b"],"gold":0}`+"\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"compare", "--max-line", "1K", samples}, samples + ": line 1: line longer than the limit of 1KiB (raise it with --max-line)"},
		{[]string{"compare", "--max-doc", "2K", array}, "longer than the limit of 2KiB (raise it with --max-doc)"},
		{[]string{"delta", "--choices", items, "--threshold", "0.01", "--max-line", "1K", "--base-url", "http://127.0.0.1:1/v1", "--model", "m", "--no-cache"},
			items + ": line 1: line longer than the limit of 1KiB (raise it with --max-line)"},
	} {
		code, _, stderr := hallu(t, tc.args...)
		if code != exitError || !strings.Contains(stderr, tc.want) {
			t.Errorf("hallu %v: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, exitError, tc.want)
		}
	}
}
