package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/hallu-dev/hallu/demo"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestGolden runs every command that prints a report, on the data hallu
// demo ships and the repository's test data (those that need an endpoint
// against hallu serve's handler on loopback), and compares its text and HTML
// output with the files under testdata/golden, so that a change in any
// report is a reviewed diff.
// `go test ./cmd/hallu -run TestGolden -update` rewrites them.
func TestGolden(t *testing.T) {
	goldenDir, err := filepath.Abs(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	// Logs from the repository's test data, read before leaving it.
	var logs []string
	repoFiles := map[string][]byte{}
	for _, p := range []string{"evallog/testdata/lmeval_v03_winogrande_head.json", "evallog/testdata/lmeval_v03_winogrande_head_llama2.json",
		"score/grade/testdata/nq301_judged.jsonl"} {
		b, err := os.ReadFile(filepath.Join("..", "..", p))
		if err != nil {
			t.Fatal(err)
		}
		repoFiles[filepath.Base(p)] = b
		logs = append(logs, filepath.Base(p))
	}
	dir := t.TempDir()
	t.Chdir(dir) // inputs by relative name, so that column widths do not depend on the temporary path
	for name, b := range repoFiles {
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	extract := func(name string) string {
		b, err := demo.Data.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Base(name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	facts, outputs := extract(demo.FactsFile), extract(demo.OutputsFile)
	inst := "cor2.jsonl"
	if out, err := execHallu(t, "ngram", "cor2", "--orders", "3", "--write-instance", inst); err != nil {
		t.Fatalf("hallu ngram cor2: %v\n%s", err, out)
	}
	if err := os.WriteFile("held-out.txt", []byte("Call me Ishmael.\nThe whale was white and the sea was deep.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The commands that talk to an endpoint ask hallu serve (a trigram
	// model on loopback), without a cache and with a fixed sampling seed.
	writeQuiz(t, ".", 6)
	if err := os.WriteFile("mc.jsonl", []byte(mcItems), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("sets.jsonl", []byte(`{"context":"The capital of France is","valid":[" Paris."],"errors":[" Rome."," Lyon."]}`+"\n"+
		`{"context":"The capital of Italy is","valid":[" Rome."],"errors":[" Paris."," Madrid."]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	endpoint := []string{"--base-url", newServeFixture(t, 0).URL + "/v1", "--model", "tiny"}
	live := func(args ...string) []string { return append(args, endpoint...) }
	answers := strconv.Itoa(demo.Answers)
	textOnly := map[string]bool{"benchmarks": true, "ngram-train": true, "ngram-score": true, "ngram-perplexity": true,
		"probe": true, "run": true, "delta": true, "delta-choices": true}
	for _, c := range []struct {
		name string
		args []string
		mask func([]byte) []byte // hides what differs between runs, beyond golden's masks
	}{
		{"audit", []string{"audit", "--prompt", "relation,sub_label", "--answer", "obj_label", "--answers", answers, facts}, nil},
		{"floor", []string{"floor", "--n", "1000", "--sr", "0.3", "--min-errors", answers}, nil},
		{"sim", []string{"sim", "--answers", answers, "--prompts", "200", "--n", "400", "--runs", "2", "--seed", "1"}, nil},
		{"score", []string{"score", "--format", "lm-eval", "--model", demo.Model, "--targets", "0,0.5,0.75,0.9", outputs}, nil},
		{"cor2", []string{"ngram", "cor2"}, nil},
		{"bound", []string{"bound", inst}, nil},
		{"compare", []string{"compare", "--names", "mistral-7b,llama-2-13b", "--reps", "200", logs[0], logs[1]}, nil},
		{"agree", []string{"score", "--format", "jsonl", "--map", "id=id,question=question,gold=golds,response=response",
			"--reference", "human", "--ref-map", "Yes=correct,No=wrong", "--show", "2", logs[2]}, nil},
		{"benchmarks", []string{"benchmarks"}, nil},
		// In order: score and perplexity read the model train writes.
		{"ngram-train", []string{"ngram", "train", "--order", "3", "--out", "moby3.bin"}, nil},
		{"ngram-score", []string{"ngram", "score", "-m", "moby3.bin", "-c", "She lost it and was completely out of", "-r", " her mind."}, nil},
		{"ngram-perplexity", []string{"ngram", "perplexity", "-m", "moby3.bin", "held-out.txt"}, nil},
		{"probe", live("probe"), nil},
		{"run", live("run", "--dataset", "quiz.jsonl", "--targets", "0,0.75", "--max-tokens", "8", "-o", "run.jsonl",
			"--no-cache", "--sample-seed", "1", "--quiet"), maskRunTimes},
		{"delta", live("delta", "--dataset", "quiz.jsonl", "--threshold", "1/20", "--samples", "5", "--max-tokens", "6",
			"--bootstrap", "200", "--no-cache", "--sample-seed", "1"), nil},
		{"delta-choices", live("delta", "--choices", "mc.jsonl", "--threshold", "1/4", "--no-cache"), nil},
		{"bound-from", live("bound", "--from", "candidates", "--no-cache", "sets.jsonl"), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := c.args
			html := ""
			if !textOnly[c.name] {
				html = c.name + ".html"
				args = append(args[:len(args):len(args)], "--html", html)
			}
			out, err := execHallu(t, args...)
			if err != nil {
				t.Fatalf("hallu %v: %v\n%s", args, err, out)
			}
			if c.mask != nil {
				out = string(c.mask([]byte(out)))
			}
			golden(t, filepath.Join(goldenDir, c.name+".txt"), []byte(out))
			if html != "" {
				b, err := os.ReadFile(html)
				if err != nil {
					t.Fatal(err)
				}
				golden(t, filepath.Join(goldenDir, c.name+".html"), b)
			}
		})
	}
}

// What differs between two runs of the same command: the tool's version,
// the time and the port of a loopback endpoint.
var (
	versionRE = regexp.MustCompile(`\b(?:devel|v\d+\.\d+\.\d+)(?:[-+][\w.]+)?\b`)
	timeRE    = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)`)
	portRE    = regexp.MustCompile(`\b127\.0\.0\.1:\d+\b`)
)

// runTimesRE matches the row of hallu run's "Run" table up to its last two
// cells, seconds and pairs/s, which the clock decides.
var runTimesRE = regexp.MustCompile(`(?m)^( *\d+(?: +\d+){7})  ( *\d+\.\d)  ( *\d+\.\d)$`)

// maskRunTimes replaces the seconds and pairs/s of hallu run's "Run" table
// by $S and $R, right-aligned in their cells so that the table keeps its
// shape.
func maskRunTimes(b []byte) []byte {
	return runTimesRE.ReplaceAllFunc(b, func(row []byte) []byte {
		m := runTimesRE.FindSubmatch(row)
		return fmt.Appendf(nil, "%s  %*s  %*s", m[1], len(m[2]), "$S", len(m[3]), "$R")
	})
}

// golden compares got, with its variable parts replaced, to the file at
// path, or rewrites the file under -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	got = versionRE.ReplaceAllLiteral(got, []byte("$VERSION"))
	got = timeRE.ReplaceAllLiteral(got, []byte("$TIME"))
	got = portRE.ReplaceAllLiteral(got, []byte("127.0.0.1:$PORT"))
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/hallu -run TestGolden -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from its golden file; if the change is intended, run go test ./cmd/hallu -run TestGolden -update and review the diff\n%s", path, firstDiff(want, got))
	}
}

// firstDiff shows the first line where a and b differ.
func firstDiff(a, b []byte) string {
	al, bl := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y []byte
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if !bytes.Equal(x, y) {
			return "line " + strconv.Itoa(i+1) + ":\n  golden: " + clip(x) + "\n  now:    " + clip(y)
		}
	}
	return ""
}

func clip(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

func TestMaskRunTimes(t *testing.T) {
	in := "   12        0       12        0             12        0           0        0   1234.5      0.0\nseconds 1.5\n"
	want := "   12        0       12        0             12        0           0        0       $S       $R\nseconds 1.5\n"
	if got := string(maskRunTimes([]byte(in))); got != want {
		t.Errorf("maskRunTimes:\n%q\nwant\n%q", got, want)
	}
}
