package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/hallu-dev/hallu/demo"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestGolden runs every command that prints a report without a network
// endpoint, on the data hallu demo ships and the repository's test data, and
// compares its text and HTML output with the files under testdata/golden,
// so that a change in any report is a reviewed diff.
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
	answers := strconv.Itoa(demo.Answers)
	textOnly := map[string]bool{"benchmarks": true, "ngram-train": true, "ngram-score": true, "ngram-perplexity": true}
	for _, c := range []struct {
		name string
		args []string
	}{
		{"audit", []string{"audit", "--prompt", "relation,sub_label", "--answer", "obj_label", "--answers", answers, facts}},
		{"floor", []string{"floor", "--n", "1000", "--sr", "0.3", "--min-errors", answers}},
		{"sim", []string{"sim", "--answers", answers, "--prompts", "200", "--n", "400", "--runs", "2", "--seed", "1"}},
		{"score", []string{"score", "--format", "lm-eval", "--model", demo.Model, "--targets", "0,0.5,0.75,0.9", outputs}},
		{"cor2", []string{"ngram", "cor2"}},
		{"bound", []string{"bound", inst}},
		{"compare", []string{"compare", "--names", "mistral-7b,llama-2-13b", "--reps", "200", logs[0], logs[1]}},
		{"agree", []string{"score", "--format", "jsonl", "--map", "id=id,question=question,gold=golds,response=response",
			"--reference", "human", "--ref-map", "Yes=correct,No=wrong", "--show", "2", logs[2]}},
		{"benchmarks", []string{"benchmarks"}},
		// In order: score and perplexity read the model train writes.
		{"ngram-train", []string{"ngram", "train", "--order", "3", "--out", "moby3.bin"}},
		{"ngram-score", []string{"ngram", "score", "-m", "moby3.bin", "-c", "She lost it and was completely out of", "-r", " her mind."}},
		{"ngram-perplexity", []string{"ngram", "perplexity", "-m", "moby3.bin", "held-out.txt"}},
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

// What differs between two runs of the same command: the tool's version and
// the time.
var (
	versionRE = regexp.MustCompile(`\b(?:devel|v\d+\.\d+\.\d+)(?:[-+][\w.]+)?\b`)
	timeRE    = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)`)
)

// golden compares got, with its variable parts replaced, to the file at
// path, or rewrites the file under -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	got = versionRE.ReplaceAllLiteral(got, []byte("$VERSION"))
	got = timeRE.ReplaceAllLiteral(got, []byte("$TIME"))
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
