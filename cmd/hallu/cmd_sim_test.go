package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sim runs `hallu sim args…` in-process and returns its standard output and
// error.
func sim(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(append([]string{"sim"}, args...))
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

func TestSimText(t *testing.T) {
	out, err := sim(t, "--prompts", "500", "--n", "2e3", "--alpha", "0.9")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"world: 500 prompts, μ zipf:1, |R_c| 365, α_c 0.9; N = 2000", "Lemma 1: MM ∈", "calibrated-est", "addk:1", "bounds held"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestSimJSON(t *testing.T) {
	out, err := sim(t, "--prompts", "300", "--n", "1000", "--runs", "3", "--json", "--learners", "calibrated,abstain")
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Schema     int
		Command    string
		Parameters map[string]any
		Result     struct {
			Points []struct {
				Summary []map[string]any
				Runs    []map[string]any
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &env); err != nil {
		t.Fatal(err)
	}
	if env.Schema != 1 || env.Command != "sim" || env.Parameters["seed"] != 1.0 || env.Parameters["runs"] != 3.0 {
		t.Errorf("envelope: schema %d, command %q, parameters %v", env.Schema, env.Command, env.Parameters)
	}
	p := env.Result.Points[0]
	if len(p.Runs) != 6 || len(p.Summary) != 2 {
		t.Fatalf("%d run records and %d summaries, want 6 and 2", len(p.Runs), len(p.Summary))
	}
	for _, key := range []string{"learner", "seed", "n", "sr", "mm", "err", "delta", "delta_max_z", "err_iiv", "abstention",
		"thm1_bound", "thm2_lower", "thm2_lower_99", "thm2_upper", "held"} {
		if _, ok := p.Runs[0][key]; !ok {
			t.Errorf("run record lacks %q", key)
		}
	}
	if held, ok := p.Summary[0]["held"].(map[string]any); !ok || held["thm2_lower"] == nil || p.Summary[0]["promised"] == nil {
		t.Errorf("summary lacks held/promised fractions: %v", p.Summary[0])
	}
	if p.Runs[2]["seed"] != 2.0 || p.Runs[2]["learner"] != "calibrated" {
		t.Errorf("third record: seed %v learner %v, want run 1's seed 2, calibrated", p.Runs[2]["seed"], p.Runs[2]["learner"])
	}
}

func TestSimCSV(t *testing.T) {
	out, err := sim(t, "--prompts", "200", "--sweep", "n=100..10000", "--sweep", "zipf=0.5,1", "--runs", "2", "--csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+3*2*5 || rows[0][0] != "n" || rows[1][0] != "100" || rows[1][1] != "zipf:0.5" {
		t.Fatalf("%d rows, first %v %v", len(rows), rows[0][:5], rows[1][:5])
	}
	out, err = sim(t, "--prompts", "200", "--n", "500", "--runs", "4", "--csv", "--per-run", "--learners", "guess")
	if err != nil {
		t.Fatal(err)
	}
	if rows, _ := csv.NewReader(strings.NewReader(out)).ReadAll(); len(rows) != 5 {
		t.Fatalf("per-run CSV: %d rows, want 5", len(rows))
	}
}

// A profile world reproduces a frequency-of-frequencies table; N defaults
// to the records it counts, and the file's sha256 is in the JSON.
func TestSimProfile(t *testing.T) {
	for _, path := range []string{"../../missingmass/testdata/profile.txt", "../../missingmass/testdata/audit.json"} {
		out, err := sim(t, "--mu", "profile:"+path, "--json", "--learners", "calibrated")
		if err != nil {
			t.Fatal(err)
		}
		var env struct {
			Inputs []struct{ Path, SHA256 string }
			Result struct{ Points []struct{ N, Prompts int } }
		}
		if err := json.Unmarshal([]byte(out), &env); err != nil {
			t.Fatal(err)
		}
		if p := env.Result.Points[0]; p.N != 277 || p.Prompts != 180 || len(env.Inputs) != 1 || len(env.Inputs[0].SHA256) != 64 {
			t.Errorf("%s: N %d, K %d, inputs %v; want 277, 180 and the file's sha256", path, p.N, p.Prompts, env.Inputs)
		}
	}
}

func TestSimOutFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sim.csv")
	if out, err := sim(t, "--prompts", "100", "--n", "100", "--csv", "-o", path); err != nil || out != "" {
		t.Fatalf("err %v, stdout %q", err, out)
	}
	entries, _ := os.ReadDir(dir)
	b, err := os.ReadFile(path)
	if err != nil || len(entries) != 1 || !bytes.HasPrefix(b, []byte("n,mu,prompts,learner")) {
		t.Fatalf("%d files in the directory, %q…: %v", len(entries), b[:min(len(b), 30)], err)
	}
}

func TestSimErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.txt")
	os.WriteFile(bad, []byte("1 10\n2 x\n"), 0o644)
	for _, tc := range []struct {
		args  []string
		usage bool
		want  string
	}{
		{[]string{"--prompts", "0"}, true, "at least one prompt"},
		{[]string{"--n", "0"}, true, "at least one training example"},
		{[]string{"--n", "1.5"}, true, "not a whole number"},
		{[]string{"--alpha", "1.2"}, true, "outside [0,1]"},
		{[]string{"--answers", "1"}, true, "at least 2"},
		{[]string{"--mu", "lognormal"}, true, "want uniform"},
		{[]string{"--learners", "oracle"}, true, "want calibrated"},
		{[]string{"--sweep", "k=1..2"}, true, "want n="},
		{[]string{"--method", "fast"}, true, "want closed-form"},
		{[]string{"--json", "--csv"}, true, "exclude each other"},
		{[]string{"--per-run"}, true, "needs --csv"},
		{[]string{"--runs", "0"}, true, "at least one run"},
		{[]string{"extra"}, true, "want 0 argument"},
		{[]string{"--mu", "profile:" + bad}, false, bad + ": line 2: field f_j"},
		{[]string{"--mu", "profile:/does/not/exist"}, false, "no such file"},
		{[]string{"--mu", "profile:../../missingmass/testdata/profile.txt", "--prompts", "10"}, true, "the profile counts 180 prompts"},
	} {
		_, err := sim(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) || errors.As(err, new(usageError)) != tc.usage {
			t.Errorf("hallu sim %v: error %v (usage error: %v); want %q, usage %v", tc.args, err, errors.As(err, new(usageError)), tc.want, tc.usage)
		}
	}
}
