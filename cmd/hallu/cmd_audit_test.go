package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const auditCorpus = `subject	relation	answer
Ada	born	1815
Ada	born	1815
Alan	born	1912
Alan	died	1954
Kurt	born	IDK
Emmy	born	1882
Emmy	born	1883
`

func execHallu(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

func writeCorpus(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "facts.tsv")
	if err := os.WriteFile(p, []byte(auditCorpus), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAuditText(t *testing.T) {
	p := writeCorpus(t)
	out, err := execHallu(t, "audit", "--prompt", "subject,relation", "--answer", "answer", "--idk", "IDK", "--answers", "365", p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"records N (abstentions included)       7",
		"singleton rate sr = |S|/N (Def. 2)     0.285714", // Alan/born, Alan/died: 2 of 7
		"prompts with conflicting answers       1",
		"Theorem 2 (|E_c| = 364, δ = 0)",
		`Emmy | born  "1882" ×1, "1883" ×1`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestAuditJSON(t *testing.T) {
	p := writeCorpus(t)
	csvPath := filepath.Join(t.TempDir(), "fof.csv")
	out, err := execHallu(t, "audit", "--json", "--prompt", "subject,relation", "--answer", "answer", "--idk", "IDK",
		"--group", "relation", "--answers", "365", "--freq-csv", csvPath, p)
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Inputs []struct{ SHA256 string }
		Result map[string]json.RawMessage
	}
	if err := json.Unmarshal([]byte(out), &env); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	for _, key := range []string{"records", "answered", "prompts", "freq_of_freq", "singleton_rate", "missing_mass_low",
		"missing_mass_high", "conflicting_prompts", "floor_99", "upper_99", "groups"} {
		if _, ok := env.Result[key]; !ok {
			t.Errorf("JSON result lacks %q", key)
		}
	}
	if len(env.Inputs) != 1 || len(env.Inputs[0].SHA256) != 64 {
		t.Errorf("inputs %+v, want one with a sha256", env.Inputs)
	}
	var groups []struct {
		Group   string   `json:"group"`
		Records int64    `json:"records"`
		Floor99 *float64 `json:"floor_99"`
	}
	json.Unmarshal(env.Result["groups"], &groups)
	if len(groups) != 2 || groups[0].Group != "born" || groups[0].Records != 6 || groups[0].Floor99 == nil {
		t.Errorf("groups %+v", groups)
	}
	got, err := os.ReadFile(csvPath)
	if err != nil || string(got) != "j,f_j\n1,2\n2,2\n" {
		t.Errorf("--freq-csv wrote %q, %v", got, err)
	}
}

func TestAuditUsageErrors(t *testing.T) {
	p := writeCorpus(t)
	for _, args := range [][]string{
		{"audit", p}, // no --prompt
		{"audit", "--prompt", "1", "--gamma", "1.5", p},   // γ out of range
		{"audit", "--prompt", "1", "--answers", "1", p},   // |R_c| < 2
		{"audit", "--prompt", "1", "--normalize", "x", p}, // unknown normalisation
		{"audit", "--prompt", "1", "--mem", "1K", p},      // budget too small
	} {
		_, err := execHallu(t, args...)
		if !errors.As(err, new(usageError)) {
			t.Errorf("%v: error %v, want a usage error", args, err)
		}
	}
	if _, err := execHallu(t, "audit", "--prompt", "1", filepath.Join(t.TempDir(), "*.tsv")); err == nil {
		t.Error("a pattern matching nothing was accepted")
	}
}

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{"512M": 512 << 20, "2G": 2 << 30, "1.5GiB": 3 << 29, "100": 100, "64k": 64 << 10} {
		if got, err := parseBytes(in); err != nil || got != want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "G", "-1G", "x"} {
		if _, err := parseBytes(bad); err == nil {
			t.Errorf("parseBytes(%q) accepted", bad)
		}
	}
}

// TestAuditHTMLDegenerate runs hallu audit --html on corpora whose
// frequency-of-frequencies table once made the HTML renderer panic (one j,
// equal f_j, none at all), and checks that the text result comes first:
// when the page cannot be written, the result is still printed.
func TestAuditHTMLDegenerate(t *testing.T) {
	var birthdays strings.Builder
	birthdays.WriteString("person\tbirthday\n")
	for i := range 5000 { // the paper's example: 5,000 distinct birthdays
		fmt.Fprintf(&birthdays, "p%d\t%d\n", i, i%365)
	}
	for name, corpus := range map[string]string{
		"one record":      "s\tr\ta\nAda\tborn\t1815\n",
		"all singletons":  birthdays.String(),
		"empty":           "s\tr\ta\n",
		"only IDK":        "s\tr\ta\nAda\tborn\tIDK\nAlan\tborn\tIDK\n",
		"equal f_j":       "s\tr\ta\nA\tb\t1\nA\tb\t1\nC\tb\t2\n",
		"one j, repeated": "s\tr\ta\nA\tb\t1\nA\tb\t1\nC\tb\t2\nC\tb\t2\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			in := filepath.Join(dir, "facts.tsv")
			if err := os.WriteFile(in, []byte(corpus), 0o644); err != nil {
				t.Fatal(err)
			}
			page := filepath.Join(dir, "audit.html")
			cols := []string{"--prompt", "s,r", "--answer", "a"}
			if strings.HasPrefix(corpus, "person") {
				cols = []string{"--prompt", "person", "--answer", "birthday"}
			}
			args := append([]string{"audit", "--idk", "IDK", "--answers", "365", "--html", page}, cols...)
			out, err := execHallu(t, append(args, in)...)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if !strings.Contains(out, "singleton rate") {
				t.Errorf("no result printed:\n%s", out)
			}
			if b, err := os.ReadFile(page); err != nil || !strings.Contains(string(b), "<svg") {
				t.Errorf("page not written (%v)", err)
			}

			// A page that cannot be written: the error, after the result.
			args[len(args)-len(cols)-1] = filepath.Join(dir, "no such dir", "audit.html")
			out, err = execHallu(t, append(args, in)...)
			if err == nil {
				t.Error("no error for an unwritable page")
			}
			if !strings.Contains(out, "singleton rate") {
				t.Errorf("result lost when the page failed:\n%s", out)
			}
		})
	}
}
