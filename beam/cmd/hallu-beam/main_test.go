package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
)

// TestMain runs pipelines on Prism (beamx's default runner).
func TestMain(m *testing.M) { ptest.Main(m) }

func parse(t *testing.T, args ...string) options {
	t.Helper()
	var o options
	fs := flag.NewFlagSet("hallu-beam", flag.ContinueOnError)
	o.register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("%q: %v", args, err)
	}
	return o
}

func TestFlagsBecomeHalluAuditsConfig(t *testing.T) {
	o := parse(t, "--input", "a/*.tsv", "--input", "gs://b/*.gz", "--output", "out.json",
		"--prompt", "subject,relation", "--prompt", "@file", "--answer", "object", "--idk", "IDK", "--idk", "?",
		"--normalize", "nfc,case", "--answers", "365", "--answers", "P19=1000", "--gamma", "0.05", "--skip-bad", "--show-conflicts", "0")
	cfg, err := o.config()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(o.inputs, " "); got != "a/*.tsv gs://b/*.gz" {
		t.Errorf("inputs %q", got)
	}
	if strings.Join(cfg.Prompt, ",") != "subject,relation,@file" || strings.Join(cfg.IDK, ",") != "IDK,?" ||
		!cfg.Normalize.NFC || !cfg.Normalize.FoldCase || cfg.Normalize.Space || cfg.Answers != 365 ||
		cfg.GroupAnswers["P19"] != 1000 || cfg.Gamma != 0.05 || !cfg.SkipBad || cfg.ShowConflicts != 0 {
		t.Errorf("config %+v", cfg)
	}
}

func TestBadFlagsAreUsageErrors(t *testing.T) {
	base := []string{"--input", "x.tsv", "--output", "o.json", "--prompt", "1"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--output", "o.json", "--prompt", "1"}, "--input is required"},
		{[]string{"--input", "x.tsv", "--prompt", "1"}, "--output is required"},
		{[]string{"--input", "x.tsv", "--output", "o.json"}, "--prompt: records need prompt columns"},
		{append(base, "--normalize", "lower"), `--normalize "lower": want nfc, case or space`},
		{append(base, "--answers", "1"), `--answers "1": want an integer ≥ 2, or GROUP=K`},
		{append(base, "--gamma", "1"), "--gamma: γ = 1 outside (0, 1)"},
		{append(base, "--gamma", "0"), "--gamma 0: want a number in (0, 1)"},
		{append(base, "--delta", "2", "--idk", "?"), "--idk: abstention values given but no answer column\n--delta: δ = 2 outside [0, 1]"},
		{[]string{"--input", "x.tsv", "--output", "o.json", "--kind", "freq"}, "kind freq"},
		{append(base, "--format", "xml"), `--format: unknown format "xml"`},
	} {
		o := parse(t, tc.args...)
		err := run(context.Background(), o, &bytes.Buffer{})
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want a usage error containing %q", tc.args, err, tc.want)
		}
	}
}

func TestRunWritesTheAuditAndItsShuffle(t *testing.T) {
	dir := t.TempDir()
	corpus := "subject\trelation\tanswer\nAda\tborn\t1815\nAda\tborn\t1815\nAlan\tborn\t1912\nKurt\tborn\tIDK\nEmmy\tborn\t1882\nEmmy\tborn\t1883\n"
	if err := os.WriteFile(filepath.Join(dir, "facts.tsv"), []byte(corpus), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "audit.json")
	o := parse(t, "--input", filepath.Join(dir, "*.tsv"), "--output", out, "--prompt", "subject,relation",
		"--answer", "answer", "--idk", "IDK", "--answers", "365")
	var stderr bytes.Buffer
	if err := run(context.Background(), o, &stderr); err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"command": "audit"`, `"records": 6`, `"singletons": 1`, `"conflicting_prompts": 1`, `"answer": "1882"`} {
		if !bytes.Contains(doc, []byte(want)) {
			t.Errorf("output lacks %s:\n%s", want, doc)
		}
	}
	// 6 records: keys of 1+16 bytes; values of 1+1 bytes for the IDK and
	// 1+5 for the 5 answers: 6·17 + 2 + 5·6 = 134.
	if want := "6 records, 134 bytes of key and value into the per-prompt combine (22.3 bytes/record)"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr %q lacks %q", stderr.String(), want)
	}
}
