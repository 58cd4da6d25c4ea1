package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	letterCSV  = "../../evallog/testdata/choices_letter_logits.csv"
	vicunaHead = "../../evallog/testdata/lmeval_v040_array_abstract_algebra_head.jsonl"
)

func TestCompareJSONAndHTML(t *testing.T) {
	dir := t.TempDir()
	// A second table: the first question left out, another added.
	other := filepath.Join(dir, "other.csv")
	body, err := os.ReadFile(letterCSV)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(body), "\n")
	edited := lines[0] + strings.Join(lines[2:], "") + "New question?,a,b,c,d,D,0,0,0,1,D,\n"
	if err := os.WriteFile(other, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "cmp.html")
	code, out, stderr := hallu(t, "compare", "--scores", "Logit_*", "--gold", "5", "--question", "0", "--names", "a,b",
		"--reps", "50", "--json", "--html", page, letterCSV, other)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var env struct {
		Command string
		Inputs  []struct{ SHA256 string }
		Params  map[string]any `json:"parameters"`
		Result  struct {
			PairBy string `json:"pair_by"`
			Models []struct {
				Name      string
				Questions int
				Accuracy  float64
				Bound     map[string]any
				DeltaCI   struct{ Lo, Hi float64 } `json:"delta_ci"`
			}
			Pairs []struct {
				S int `json:"shared"`
				A int `json:"only_a"`
				B int `json:"only_b"`
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &env); err != nil {
		t.Fatal(err)
	}
	r := env.Result
	if env.Command != "compare" || len(env.Inputs) != 2 || r.PairBy != "text" || len(r.Models) != 2 || len(r.Pairs) != 1 {
		t.Fatalf("envelope %+v", env)
	}
	if p := r.Pairs[0]; p.S != 2 || p.A != 1 || p.B != 1 {
		t.Errorf("pair counts %+v, want 2 shared, 1 only in each", p)
	}
	// By hand: a's answers (B, C, A by first largest logit) are all right.
	if m := r.Models[0]; m.Name != "a" || m.Questions != 3 || m.Accuracy != 1 || m.Bound["delta"] == nil || m.DeltaCI.Lo > m.DeltaCI.Hi {
		t.Errorf("model a: %+v", m)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(html); strings.Count(s, "<svg") != 2 || !strings.Contains(s, "Reliability diagrams") || !strings.Contains(s, "only A") {
		t.Errorf("page lacks its two charts or the pair table")
	}
	// The text form says the counts too.
	code, text, stderr := hallu(t, "compare", "--scores", "Logit_*", "--gold", "5", "--question", "0", "--names", "a,b", "--reps", "20", letterCSV, other)
	if code != 0 || !strings.Contains(text, "only A") || !strings.Contains(text, "Theorem 1's bound is vacuous") {
		t.Errorf("exit %d %s:\n%s", code, stderr, text)
	}
}

func TestCompareFormatsAndErrors(t *testing.T) {
	// Auto-detection reads an lm-eval 0.4.0 array named .jsonl.
	code, out, stderr := hallu(t, "compare", "--reps", "10", vicunaHead)
	if code != 0 || !strings.Contains(out, "read as lmeval") {
		t.Fatalf("exit %d %s:\n%s", code, stderr, out)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("q,gold,A,B\nx,A,1,2\ny,B,NaN,2\n"), 0o644)
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--scores", "A,B", "--gold", "gold", bad}, 1, bad + " line 3: field A: score NaN is not finite"},
		{[]string{"--scores", "A,C", "--gold", "gold", bad}, 1, `column "C" not found`},
		{[]string{"--scores", "A,B", "--gold", "gold", "--names", "x,y", bad}, 2, "2 names for 1 files"},
		{[]string{"--scores", "A,B", "--gold", "gold", "--kind", "odds", bad}, 1, "unknown score kind"},
		{nil, 2, "name at least one FILE"},
		{[]string{"--from", "csv", bad}, 2, `--from "csv"`},
	} {
		code, _, stderr := hallu(t, append([]string{"compare"}, c.args...)...)
		if code != c.code || !strings.Contains(stderr, c.msg) {
			t.Errorf("%v: exit %d, %q; want exit %d and %q", c.args, code, stderr, c.code, c.msg)
		}
	}
	// --skip-bad counts what it leaves out.
	code, out, _ = hallu(t, "compare", "--scores", "A,B", "--gold", "gold", "--skip-bad", "--reps", "10", bad)
	if code != 0 || !strings.Contains(out, "1 questions skipped (--skip-bad)") {
		t.Errorf("skip-bad: exit %d\n%s", code, out)
	}
}

func TestBoundFromChoices(t *testing.T) {
	code, out, stderr := hallu(t, "bound", "--from", "choices", "--scores", "Logit_*", "--gold", "5", "--question", "0", "--json", letterCSV)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var env struct{ Result map[string]any }
	if err := json.Unmarshal([]byte(out), &env); err != nil {
		t.Fatal(err)
	}
	if env.Result["contexts"] != 3.0 || env.Result["rows"] != 12.0 || env.Result["min_errors"] != 3.0 {
		t.Errorf("result %v", env.Result)
	}
	code, _, stderr = hallu(t, "bound", "--from", "helm", "../../evallog/testdata/helm_joint_top_logprobs.json")
	if code != 0 {
		t.Errorf("helm: exit %d: %s", code, stderr)
	}
	code, _, stderr = hallu(t, "bound", "--from", "lmeval-v03", "--norm", "length", "../../evallog/testdata/lmeval_v03_winogrande_head.json")
	if code == 0 || !strings.Contains(stderr, "only raw applies") {
		t.Errorf("v0.3 with --norm length: exit %d: %s", code, stderr)
	}
}

func TestCompareDefaultNames(t *testing.T) {
	got := defaultNames([]string{"a/run1/scenario_state.json", "a/run2/scenario_state.json"})
	if got[0] != "a/run1/scenario_state.json" || got[1] != "a/run2/scenario_state.json" {
		t.Errorf("colliding base names: %q", got)
	}
	got = defaultNames([]string{"x/base.csv", "y/instruct.jsonl.gz"})
	if got[0] != "base" || got[1] != "instruct" {
		t.Errorf("names %q", got)
	}
}
