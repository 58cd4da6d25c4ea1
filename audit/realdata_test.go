package audit

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/internal/input"
)

// The real corpora in ../shared/data (see each folder's SOURCE.md). Each
// test counts the corpus independently, with encoding/json or
// strings.Split and plain maps, and checks that Run's counts are the same.
const sharedData = "../../shared/data"

func dataPath(t *testing.T, parts ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{sharedData}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real data not available (%v); it lives in ../shared/data beside the repository", err)
	}
	return p
}

func inputSource(path string) Source {
	return Source{Name: path, Reopen: true, Open: func() (io.ReadCloser, error) { return input.Open(path) }}
}

// independent counts records the way the paper defines them.
type independent struct {
	records, abstained int64
	answered           map[string]int64
	answers            map[string]map[string]bool
	seen               map[string]bool
}

func newIndependent() *independent {
	return &independent{answered: map[string]int64{}, answers: map[string]map[string]bool{}, seen: map[string]bool{}}
}

func (c *independent) add(prompt, answer string, n int64) {
	if n == 0 {
		return
	}
	c.records += n
	c.seen[prompt] = true
	c.answered[prompt] += n
	if c.answers[prompt] == nil {
		c.answers[prompt] = map[string]bool{}
	}
	c.answers[prompt][answer] = true
}

func (c *independent) brute() *brute {
	b := &brute{records: c.records, abstained: c.abstained, prompts: int64(len(c.seen)), fof: map[int64]int64{}}
	for p, n := range c.answered {
		if n > 0 {
			b.fof[n]++
		}
		if len(c.answers[p]) > 1 {
			b.conflicts++
		}
	}
	return b
}

func readJSONL(t *testing.T, path string, each func(map[string]any)) {
	t.Helper()
	f, err := input.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		each(m)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

func logResult(t *testing.T, res *Result) {
	t.Helper()
	s := res.Stats
	t.Logf("N=%d prompts=%d f1=%d sr=%.4f MM∈[%.4f, %.4f] conflicts=%d floor99=%s upper99=%s",
		s.Records, s.Prompts, s.Singletons, s.SingletonRate, s.MissingMassLow, s.MissingMassHigh, s.ConflictingPrompts,
		fmtPtr(s.Floor99), fmtPtr(s.Upper99))
	for _, g := range res.Groups {
		t.Logf("  %s: N=%d prompts=%d sr=%.4f conflicts=%d", g.Group, g.Records, g.Prompts, g.SingletonRate, g.ConflictingPrompts)
	}
}

func fmtPtr(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.4g", *v)
}

// T-REx evidence sample: a fact occurs once per evidence sentence, so the
// evidences array is the record's count (--count evidences).
func TestRealTRExEvidence(t *testing.T) {
	dir := dataPath(t, "lama_trex_evidence_sample")
	files, _ := filepath.Glob(filepath.Join(dir, "P*.jsonl*"))
	want := newIndependent()
	var sources []Source
	for _, p := range files {
		sources = append(sources, inputSource(p))
		readJSONL(t, p, func(m map[string]any) {
			ev, _ := m["evidences"].([]any)
			want.add(m["sub_uri"].(string)+"\t"+m["predicate_id"].(string), m["obj_uri"].(string), int64(len(ev)))
		})
	}
	cfg := Config{Format: JSONL, Prompt: []string{"sub_uri", "predicate_id"}, Answer: "obj_uri", Count: "evidences", Group: "predicate_id", Answers: 1000}
	res, err := Run(context.Background(), cfg, sources)
	if err != nil {
		t.Fatal(err)
	}
	checkStats(t, "T-REx", res.Stats, want.brute())
	logResult(t, res)
}

// FB15k-237: prompt = head + relation, answer = tail; many relations are
// multi-valued, which the conflict count shows.
func TestRealFB15k237(t *testing.T) {
	path := dataPath(t, "kg_fb15k237", "FB15k-237.zip")
	open := func() (io.ReadCloser, error) {
		zr, err := zip.OpenReader(path)
		if err != nil {
			return nil, err
		}
		for _, f := range zr.File {
			if strings.HasSuffix(f.Name, "/train.txt") {
				rc, err := f.Open()
				if err != nil {
					zr.Close()
					return nil, err
				}
				return struct {
					io.Reader
					io.Closer
				}{rc, zr}, nil
			}
		}
		zr.Close()
		return nil, os.ErrNotExist
	}
	rc, err := open()
	if err != nil {
		t.Fatal(err)
	}
	want := newIndependent()
	sc := bufio.NewScanner(rc)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		want.add(f[0]+"\t"+f[1], f[2], 1)
	}
	rc.Close()
	cfg := Config{Prompt: []string{"1", "2"}, Answer: "3", ShowConflicts: 2}
	res, err := Run(context.Background(), cfg, []Source{{Name: "FB15k-237/train.txt", Open: open, Reopen: true}})
	if err != nil {
		t.Fatal(err)
	}
	checkStats(t, "FB15k-237", res.Stats, want.brute())
	if len(res.ConflictExamples) != 2 {
		t.Errorf("%d conflict examples, want 2", len(res.ConflictExamples))
	}
	for _, c := range res.ConflictExamples {
		if len(want.answers[c.Prompt[0]+"\t"+c.Prompt[1]]) != int(c.DistinctAnswers) {
			t.Errorf("conflict %v: %d distinct answers, the independent count says %d", c.Prompt, c.DistinctAnswers, len(want.answers[c.Prompt[0]+"\t"+c.Prompt[1]]))
		}
	}
	logResult(t, res)
}

// Google-RE: the paper's running example, people's birth dates (and
// places of birth and death), prompt = subject + predicate.
func TestRealGoogleRE(t *testing.T) {
	dir := dataPath(t, "lama_google_re")
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl*"))
	want := newIndependent()
	var sources []Source
	for _, p := range files {
		sources = append(sources, inputSource(p))
		readJSONL(t, p, func(m map[string]any) { want.add(m["sub"].(string)+"\t"+m["pred"].(string), m["obj"].(string), 1) })
	}
	cfg := Config{Format: JSONL, Prompt: []string{"sub", "pred"}, Answer: "obj", Group: "pred", GroupAnswers: map[string]int64{"/people/person/date_of_birth": 365}}
	res, err := Run(context.Background(), cfg, sources)
	if err != nil {
		t.Fatal(err)
	}
	checkStats(t, "Google-RE", res.Stats, want.brute())
	logResult(t, res)
}

// ParaRel: one file per relation, so the relation is the file's name (@file).
func TestRealParaRel(t *testing.T) {
	dir := dataPath(t, "pararel_trex_facts", "facts")
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	want := newIndependent()
	var sources []Source
	for _, p := range files {
		sources = append(sources, inputSource(p))
		rel := strings.TrimSuffix(filepath.Base(p), ".jsonl")
		readJSONL(t, p, func(m map[string]any) { want.add(m["sub_label"].(string)+"\t"+rel, m["obj_label"].(string), 1) })
	}
	cfg := Config{Format: JSONL, Prompt: []string{"sub_label", FileColumn}, Answer: "obj_label", Group: FileColumn}
	res, err := Run(context.Background(), cfg, sources)
	if err != nil {
		t.Fatal(err)
	}
	checkStats(t, "ParaRel", res.Stats, want.brute())
	if len(res.Groups) != len(files) {
		t.Errorf("%d groups, want one per file (%d)", len(res.Groups), len(files))
	}
	logResult(t, res)
}
