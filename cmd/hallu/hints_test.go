package main

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
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
		{"a column no record has", []string{"score", "--map", "response=answr", write("map.jsonl", `{"answer":"x","outcome":"correct"}`+"\n")}, exitUnusable,
			"field response (column \"answr\"): no value in any of the 1 records; check the spelling in --map"},
		{"grades hallu does not read", []string{"score", write("grades.jsonl", `{"response":"x","outcome":"maybe"}`+"\n")}, exitUnusable,
			"name their outcomes with --grade-values (e.g. maybe=abstained), or give --skip-bad to count them invalid"},
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

// TestFlagNotesCommands checks that each command flagNotes serves has the
// flags noteFlags says it has.
func TestFlagNotesCommands(t *testing.T) {
	root := newRootCmd()
	for name, flags := range noteFlags {
		cmd, _, err := root.Find([]string{name})
		if err != nil {
			t.Fatal(err)
		}
		for _, flag := range flags {
			if cmd.Flags().Lookup(flag) == nil || !slices.Contains(slices.Collect(maps.Values(libraryFlags)), flag) {
				t.Errorf("hallu %s: --%s is not a flag it has for an option libraryFlags names", name, flag)
			}
		}
	}
}

// TestFlagText checks flagText against the flags a command has.
func TestFlagText(t *testing.T) {
	has := func(flag string) bool { return flag == "skip-bad" || flag == "method" }
	got := flagText("give Options.SkipBad, not Options.Map; Endpoint.Method auto chose letters (BuildOptions.SkipBad)", has)
	want := "give --skip-bad, not Options.Map; --method auto chose letters (--skip-bad)"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestFlagNotes checks that the notes hallu bound prints from
// instances.Build name its flags, where the library's name its options.
func TestFlagNotes(t *testing.T) {
	log, err := os.ReadFile("../../evallog/testdata/lmeval_mc_negotiationtom.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "bad.jsonl")
	if err := os.WriteFile(p, append(log, "{\"doc_id\": 99, \"filter\": \"none\"}\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := hallu(t, "bound", "--from", "lmeval", "--norm", "length", "--skip-bad", p)
	for _, want := range []string{"Note: --norm length: each log-likelihood", "1 samples skipped (--skip-bad); first: "} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, out, stderr, want)
		}
	}
}

// TestServeAllowAdvice checks the advice hallu serve gives a refused
// client: the flag of hallu serve that allows its host or origin.
func TestServeAllowAdvice(t *testing.T) {
	serve, _, err := newRootCmd().Find([]string{"serve"})
	if err != nil {
		t.Fatal(err)
	}
	for _, flag := range []string{"allow-host", "allow-origin"} {
		if serve.Flags().Lookup(flag) == nil {
			t.Errorf("hallu serve has no --%s", flag)
		}
	}
	for option, want := range map[string]string{
		"AllowHosts":   "hallu serve is started with --allow-host box.lan",
		"AllowOrigins": "hallu serve is started with --allow-origin box.lan",
	} {
		if got := serveAllowAdvice(option, "box.lan"); got != want {
			t.Errorf("%s: %q, want %q", option, got, want)
		}
	}
}
