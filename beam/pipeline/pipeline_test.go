package pipeline_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/hallu-dev/hallu/audit"
	"github.com/hallu-dev/hallu/beam/pipeline"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/internal/provenance"
)

// TestMain runs the pipelines on Prism, the Go SDK's local runner, unless
// --runner says otherwise.
func TestMain(m *testing.M) { ptest.Main(m) }

// sharedData is the real corpora beside the repository (each folder's
// SOURCE.md gives its origin and licence), relative to this package.
const sharedData = "../../../shared/data"

func dataPath(t *testing.T, parts ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{sharedData}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real data not available (%v); it lives in ../shared/data beside the repository", err)
	}
	return p
}

// runBeam runs the pipeline on patterns and returns the document it wrote.
func runBeam(t *testing.T, cfg audit.Config, patterns ...string) []byte {
	t.Helper()
	p, s := beam.NewPipelineWithRoot()
	doc, err := pipeline.Audit(s, cfg, patterns)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "audit.json")
	textio.Write(s, out, doc)
	if err := ptest.Run(p); err != nil {
		t.Fatalf("pipeline: %v", err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// runHallu is what hallu audit --json does (cmd/hallu's runAudit): expand
// the patterns, open each input with internal/input, audit.Run, and the
// envelope with the inputs' sha256 and cfg.Parameters().
func runHallu(t *testing.T, cfg audit.Config, patterns ...string) []byte {
	t.Helper()
	var paths []string
	for _, p := range patterns {
		m, err := filepath.Glob(p)
		if err != nil || len(m) == 0 {
			t.Fatalf("pattern %q matches nothing (%v)", p, err)
		}
		paths = append(paths, m...)
	}
	opened := make([]*input.File, len(paths))
	sources := make([]audit.Source, len(paths))
	for i, p := range paths {
		sources[i] = audit.Source{Name: p, Reopen: true, Open: func() (io.ReadCloser, error) {
			f, err := input.Open(p)
			if err == nil && opened[i] == nil {
				opened[i] = f
			}
			return f, err
		}}
	}
	run := cfg
	run.Workers = 2
	res, err := audit.Run(context.Background(), run, sources)
	if err != nil {
		t.Fatal(err)
	}
	inputs := make([]provenance.Input, len(paths))
	for i, f := range opened {
		inputs[i] = f.Input()
	}
	var b bytes.Buffer
	if err := provenance.WriteJSON(&b, provenance.NewEnvelope("audit", cfg.Parameters(), res, inputs...)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// checkSame runs both and compares the documents byte for byte, which
// compares every field, envelope included.
func checkSame(t *testing.T, cfg audit.Config, patterns ...string) []byte {
	t.Helper()
	want := runHallu(t, cfg, patterns...)
	got := runBeam(t, cfg, patterns...)
	if !bytes.Equal(got, want) {
		g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range max(len(g), len(w)) {
			if i >= len(g) || i >= len(w) || g[i] != w[i] {
				lo, hi := max(i-3, 0), i+3
				t.Fatalf("the pipeline's JSON differs from hallu audit --json at line %d:\npipeline:\n%s\nhallu audit:\n%s",
					i+1, strings.Join(g[lo:min(hi, len(g))], "\n"), strings.Join(w[lo:min(hi, len(w))], "\n"))
			}
		}
	}
	return got
}

// Google-RE: JSONL, one file gzip and two plain, grouped by predicate, with
// Theorem 2's floor for the birth dates.
func TestRealGoogleRE(t *testing.T) {
	dir := dataPath(t, "lama_google_re")
	cfg := audit.Config{Format: audit.JSONL, Prompt: []string{"sub", "pred"}, Answer: "obj", Group: "pred",
		GroupAnswers: map[string]int64{"/people/person/date_of_birth": 365}, ShowConflicts: 5}
	checkSame(t, cfg, filepath.Join(dir, "*.jsonl*"))
}

// ParaRel: 41 files, one per relation, the relation being the file's name.
func TestRealParaRel(t *testing.T) {
	dir := dataPath(t, "pararel_trex_facts", "facts")
	cfg := audit.Config{Prompt: []string{"sub_label", audit.FileColumn}, Answer: "obj_label", Group: audit.FileColumn, Answers: 100, ShowConflicts: 5}
	checkSame(t, cfg, filepath.Join(dir, "*.jsonl"))
}

// CoDEx-S: a knowledge graph's TSV triples, in three patterns, with the
// multi-valued relations as conflicting prompts.
func TestRealCodexS(t *testing.T) {
	dir := dataPath(t, "kg_codex_s")
	cfg := audit.Config{Prompt: []string{"1", "2"}, Answer: "3", Answers: 1000, ShowConflicts: 5}
	doc := checkSame(t, cfg, filepath.Join(dir, "train.txt"), filepath.Join(dir, "valid.txt"), filepath.Join(dir, "test.txt"))
	if !bytes.Contains(doc, []byte(`"distinct_answers"`)) {
		t.Error("no conflict examples: the test does not exercise the second pass")
	}
}

// writeShards writes facts drawn from seed into shards files of mixed
// formats and compression, with a few malformed records, and returns the
// glob matching them.
func writeShards(t *testing.T, seed uint64, records, shards int) string {
	t.Helper()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(seed, 11))
	rels := []string{"born_in", "died_in", "Birthday"}
	for i := range shards {
		var b bytes.Buffer
		format := []string{"tsv", "csv", "jsonl"}[i%3]
		switch format {
		case "tsv":
			b.WriteString("subject\trelation\tanswer\n")
		case "csv":
			b.WriteString("subject,relation,answer\n")
		}
		for k := range records / shards {
			p := int(3000 * rng.Float64() * rng.Float64())
			subj, rel := fmt.Sprintf("Person  %d", p/3), rels[p%3]
			ans := fmt.Sprintf("answer %d", p*7)
			switch r := rng.Float64(); {
			case r < 0.05:
				ans = "IDK"
			case r < 0.08:
				ans = fmt.Sprintf("other %d", rng.IntN(3))
			}
			switch {
			case k%997 == 5 && format != "jsonl":
				b.WriteString("malformed\n") // too few columns
			case format == "tsv":
				fmt.Fprintf(&b, "%s\t%s\t%s\n", subj, rel, ans)
			case format == "csv":
				fmt.Fprintf(&b, "%q,%s,%s\n", subj, rel, ans)
			default:
				fmt.Fprintf(&b, "{\"subject\":%q,\"relation\":%q,\"answer\":%q}\n", subj, rel, ans)
			}
		}
		name := filepath.Join(dir, fmt.Sprintf("shard-%02d.%s", i, format))
		data := b.Bytes()
		if i%2 == 1 {
			var z bytes.Buffer
			zw := gzip.NewWriter(&z)
			zw.Write(data)
			zw.Close()
			name, data = name+".gz", z.Bytes()
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "shard-*")
}

// Generated shards, TSV, CSV and JSONL, plain and gzip: grouped and not,
// normalised and not, malformed records skipped.
func TestGeneratedShards(t *testing.T) {
	glob := writeShards(t, 1, 30_000, 6)
	for _, tc := range []struct {
		name string
		cfg  audit.Config
	}{
		{"plain", audit.Config{Prompt: []string{"subject", "relation"}, Answer: "answer", IDK: []string{"IDK"},
			Answers: 50, SkipBad: true, ShowConflicts: 5}},
		{"grouped-normalised", audit.Config{Prompt: []string{"subject", "relation"}, Answer: "answer", Group: "relation",
			IDK: []string{"idk"}, Normalize: audit.Normalization{FoldCase: true, Space: true},
			Answers: 100, GroupAnswers: map[string]int64{"born_in": 200, "birthday": 365}, Delta: 0.01, SkipBad: true, ShowConflicts: 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var env struct {
				Inputs []provenance.Input
				Result audit.Result
			}
			if err := json.Unmarshal(checkSame(t, tc.cfg, glob), &env); err != nil {
				t.Fatal(err)
			}
			// The comparison means something only if every part was exercised.
			r := env.Result
			if len(env.Inputs) != 6 || env.Inputs[1].SHA256 == "" || r.Skipped == 0 || len(r.SkippedExamples) != 5 ||
				r.Abstained == 0 || r.ConflictingPrompts == 0 || len(r.ConflictExamples) != tc.cfg.ShowConflicts ||
				(tc.cfg.Group != "" && len(r.Groups) != 3) || r.Floor99 == nil {
				t.Errorf("the corpus does not exercise the audit: %d inputs, %d skipped (%d shown), %d abstained, %d conflicting (%d shown), %d groups, floor %v",
					len(env.Inputs), r.Skipped, len(r.SkippedExamples), r.Abstained, r.ConflictingPrompts, len(r.ConflictExamples), len(r.Groups), r.Floor99)
			}
		})
	}
}

// Pre-counted prompts (key⇥count lines, --kind counts) in two shards, a
// prompt split across them.
func TestCountedShards(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"counts-0.tsv": "Ada\tborn\t2\nAlan\tborn\t1\nKurt\tborn\t0\n",
		"counts-1.tsv": "Ada\tborn\t1\nEmmy\tborn\t1\nGrace\tborn\t3\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	doc := checkSame(t, audit.Config{Kind: audit.Counted, Answers: 365}, filepath.Join(dir, "counts-*.tsv"))
	if !bytes.Contains(doc, []byte(`"records": 8`)) || !bytes.Contains(doc, []byte(`"singletons": 2`)) {
		t.Errorf("want 8 records and 2 singletons (Alan, Emmy):\n%s", doc)
	}
}

// A malformed record without --skip-bad fails the pipeline with its file,
// line and field, as it fails hallu audit.
func TestMalformedRecordFails(t *testing.T) {
	glob := writeShards(t, 2, 3_000, 1)
	p, s := beam.NewPipelineWithRoot()
	doc, err := pipeline.Audit(s, audit.Config{Prompt: []string{"subject", "relation"}, Answer: "answer"}, []string{glob})
	if err != nil {
		t.Fatal(err)
	}
	textio.Write(s, filepath.Join(t.TempDir(), "audit.json"), doc)
	err = ptest.Run(p)
	if err == nil || !strings.Contains(err.Error(), "shard-00.tsv:7: wrong number of columns") {
		t.Fatalf("err = %v, want shard-00.tsv:7's wrong number of columns", err)
	}
}

func TestAuditRejectsBadConfig(t *testing.T) {
	_, s := beam.NewPipelineWithRoot()
	for _, tc := range []struct {
		cfg      audit.Config
		patterns []string
	}{
		{audit.Config{}, []string{"x"}},
		{audit.Config{Prompt: []string{"1"}, Gamma: 2}, []string{"x"}},
		{audit.Config{Kind: audit.FreqTable}, []string{"x"}},
		{audit.Config{Prompt: []string{"1"}}, nil},
		{audit.Config{Prompt: []string{"1"}}, []string{"-"}},
		{audit.Config{Prompt: []string{"1"}}, []string{"hdfs://corpus/*.tsv"}},
	} {
		if _, err := pipeline.Audit(s, tc.cfg, tc.patterns); err == nil {
			t.Errorf("Audit(%+v, %q): no error", tc.cfg, tc.patterns)
		}
	}
}
