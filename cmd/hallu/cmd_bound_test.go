package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hallu runs the command line in-process and returns exit code, stdout, stderr.
func hallu(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestBoundJSON(t *testing.T) {
	code, out, stderr := hallu(t, "bound", "--json", "--exact", "../../examples/corollary2.jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var env struct {
		Schema int
		Inputs []struct{ SHA256 string }
		Result map[string]any
	}
	if err := json.Unmarshal([]byte(out), &env); err != nil {
		t.Fatal(err)
	}
	if env.Schema != 1 || len(env.Inputs) != 1 || len(env.Inputs[0].SHA256) != 64 {
		t.Errorf("envelope: schema %d, inputs %v", env.Schema, env.Inputs)
	}
	for _, key := range []string{"contexts", "rows", "err", "err_iiv", "threshold", "p_A", "phat_A", "delta",
		"delta_max_z", "max_valid", "min_errors", "bound", "slack", "vacuous", "unlisted_mass",
		"opt_err_iiv", "opt_threshold", "mc_bound"} {
		if _, ok := env.Result[key]; !ok {
			t.Errorf("JSON result lacks key %q", key)
		}
	}
	if got := env.Result["mc_bound"]; got != 0.5 {
		t.Errorf("mc_bound = %v, want 0.5", got)
	}
}

func TestBoundText(t *testing.T) {
	code, out, stderr := hallu(t, "bound", "../../examples/birthday.jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"1 context, 366 rows", "Theorem 1 bound     0.494505"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestBoundErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte(`{"context":"c","response":"v","label":"valid","p":1,"phat":0.5}`+"\n"+`{"context":"c","response":"e","label":"eror","phat":0.5}`+"\n"), 0o644)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"bound"}, exitUsage, "want 1 argument"},
		{[]string{"bound", "--threshold", "2", "x"}, exitUsage, "outside [0,1]"},
		{[]string{"bound", "--nope", "x"}, exitUsage, "unknown flag"},
		{[]string{"bound", "/does/not/exist"}, exitError, "no such file"},
		{[]string{"bound", bad}, exitError, bad + ": line 2: field label: unknown label \"eror\""},
	} {
		code, _, stderr := hallu(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("hallu %v: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}
