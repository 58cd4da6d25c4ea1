package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFlagHints checks that where a library's error names the option that
// resolves it, hallu's message names the flag, with the exit code the
// error has: 2 for the audit's options, 1 for input the flag would read
// differently.
func TestFlagHints(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	corpus := write("facts.tsv", "Ada\tborn\t1815\n")
	long := write("long.tsv", strings.Repeat("x", 3<<20)+"\tb\n")
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"undetected format", []string{"score", write("doc.json", "{\n\"a\": 1\n}\n")}, exitError,
			"a JSON document in no known log format; give --format"},
		{"an lm-eval array of no samples", []string{"score", write("array.json", "[1, 2]\n")}, exitError,
			"a JSON array that is not an lm-eval samples file; give --format"},
		{"the SimpleQA test set as the input", []string{"score", "../../evallog/testdata/simpleqa_test_head.csv"}, exitError,
			"give the predictions file as the input, and the test set beside it (--simpleqa-test)"},
		{"SimpleQA predictions alone", []string{"score", "--format", "simpleqa", "../../evallog/testdata/simpleqa_preds.jsonl"}, exitError,
			"SimpleQA predictions need the test set (--simpleqa-test)"},
		{"an lm-eval results file", []string{"score", "../../evallog/testdata/lmeval_results_2025-09-09T13-31-53.431753.json"}, exitError,
			"an lm-eval results file, not a samples file; give its samples_*.jsonl as the input, and this file beside them (--lm-eval-results)"},
		{"a CSV without the columns", []string{"score", "--format", "csv", write("log.csv", "x,y\n1,2\n")}, exitError,
			`column; map them with --map`},
		{"v0.3 normalised", []string{"bound", "--from", "lmeval-v03", "--norm", "length", "../../evallog/testdata/lmeval_v03_winogrande_head.json"}, exitError,
			"normalisation length: lm-eval v0.3 --write_out files do not separate the choices' texts from their contexts; only raw applies (give --norm raw)"},
		{"audit γ", []string{"audit", "--prompt", "1", "--gamma", "1.5", corpus}, exitUsage, "--gamma: γ = 1.5 outside (0, 1)"},
		{"audit γ = 0", []string{"audit", "--prompt", "1", "--gamma", "0", corpus}, exitUsage, "--gamma 0: want a number in (0, 1)"},
		{"audit without prompt", []string{"audit", corpus}, exitUsage, "--prompt: records need prompt columns (e.g. subject,relation)"},
		{"audit, two wrong options", []string{"audit", "--kind", "counts", "--prompt", "1", "--format", "xml", corpus}, exitUsage,
			"--kind: counts inputs take no prompt, answer, group, count or abstention columns\n--format: unknown format \"xml\""},
		{"audit record limit", []string{"audit", "--prompt", "1", "--max-record", "1MiB", long}, exitError,
			"long.tsv:1: record longer than the limit of 1MiB (raise it with --max-record)"},
	} {
		code, _, stderr := hallu(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and %q", tc.name, code, stderr, tc.code, tc.want)
		}
	}
}
