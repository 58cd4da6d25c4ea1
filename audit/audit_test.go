package audit

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	kgzip "github.com/klauspost/compress/gzip"

	"github.com/hallu-dev/hallu/missingmass"
)

// fact is one generated record.
type fact struct {
	subject, relation, answer string
}

// genFacts draws n records over about prompts prompts, with a fraction of
// abstentions ("IDK") and of conflicting answers.
func genFacts(seed uint64, n, prompts int) []fact {
	rng := rand.New(rand.NewPCG(seed, 7))
	rels := []string{"born_in", "died_in", "birthday"}
	out := make([]fact, n)
	for i := range out {
		p := int(float64(prompts) * rng.Float64() * rng.Float64()) // skewed towards small ids
		f := fact{subject: fmt.Sprintf("person %d", p/3), relation: rels[p%3]}
		switch r := rng.Float64(); {
		case r < 0.05:
			f.answer = "IDK"
		case r < 0.07:
			f.answer = fmt.Sprintf("other %d", rng.IntN(3))
		default:
			f.answer = fmt.Sprintf("answer %d", p*7)
		}
		out[i] = f
	}
	return out
}

// bruteStats counts facts the obvious way, independently of the package:
// prompt = subject + relation (+ group), Definition 2's counts.
type brute struct {
	records, abstained, prompts, conflicts int64
	fof                                    map[int64]int64
}

func bruteCount(facts []fact, grouped bool) map[string]*brute {
	type acc struct {
		answered int64
		answers  map[string]bool
		group    string
	}
	byPrompt := map[string]*acc{}
	out := map[string]*brute{"": {fof: map[int64]int64{}}}
	for _, f := range facts {
		g := ""
		if grouped {
			g = f.relation
		}
		k := f.subject + "\x00" + f.relation
		a := byPrompt[k]
		if a == nil {
			a = &acc{answers: map[string]bool{}, group: g}
			byPrompt[k] = a
		}
		for _, key := range uniq("", g) {
			if out[key] == nil {
				out[key] = &brute{fof: map[int64]int64{}}
			}
			out[key].records++
			if f.answer == "IDK" {
				out[key].abstained++
			}
		}
		if f.answer != "IDK" {
			a.answered++
			a.answers[f.answer] = true
		}
	}
	for _, a := range byPrompt {
		for _, key := range uniq("", a.group) {
			b := out[key]
			b.prompts++
			if a.answered > 0 {
				b.fof[a.answered]++
			}
			if len(a.answers) > 1 {
				b.conflicts++
			}
		}
	}
	return out
}

func uniq(a, b string) []string {
	if a == b {
		return []string{a}
	}
	return []string{a, b}
}

func writeFacts(t testing.TB, facts []fact, format Format) string {
	t.Helper()
	var b bytes.Buffer
	switch format {
	case TSV:
		b.WriteString("subject\trelation\tanswer\n")
		for _, f := range facts {
			fmt.Fprintf(&b, "%s\t%s\t%s\n", f.subject, f.relation, f.answer)
		}
	case CSV:
		w := csv.NewWriter(&b)
		w.Write([]string{"subject", "relation", "answer"})
		for _, f := range facts {
			w.Write([]string{f.subject, f.relation, f.answer})
		}
		w.Flush()
	case JSONL:
		for _, f := range facts {
			line, _ := json.Marshal(map[string]string{"sub": f.subject, "rel": f.relation, "obj": f.answer})
			b.Write(line)
			b.WriteByte('\n')
		}
	}
	path := filepath.Join(t.TempDir(), "facts."+string(format))
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func fileSource(path string) Source {
	return Source{Name: path, Reopen: true, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

func bytesSource(name string, data []byte) Source {
	return Source{Name: name, Reopen: true, Size: int64(len(data)), Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
}

func checkStats(t *testing.T, what string, got Stats, want *brute) {
	t.Helper()
	wantFoF, _ := missingmass.FromMap(want.fof)
	if got.Records != want.records || got.Abstained != want.abstained || got.Prompts != want.prompts ||
		got.ConflictingPrompts != want.conflicts || !slices.Equal(got.FreqOfFreq, wantFoF) && len(wantFoF) > 0 {
		t.Errorf("%s: got records %d abstained %d prompts %d conflicts %d fof %v\nwant records %d abstained %d prompts %d conflicts %d fof %v",
			what, got.Records, got.Abstained, got.Prompts, got.ConflictingPrompts, head(got.FreqOfFreq),
			want.records, want.abstained, want.prompts, want.conflicts, head(wantFoF))
	}
	if want.records > 0 {
		if sr := float64(wantFoF.F(1)) / float64(want.records); got.SingletonRate != sr {
			t.Errorf("%s: sr %v, want %v", what, got.SingletonRate, sr)
		}
	}
}

func head(f missingmass.FreqOfFreq) missingmass.FreqOfFreq { return f[:min(len(f), 8)] }

func TestRunMatchesBruteForce(t *testing.T) {
	facts := genFacts(1, 60_000, 40_000)
	want := bruteCount(facts, true)
	for _, format := range []Format{TSV, CSV, JSONL} {
		t.Run(string(format), func(t *testing.T) {
			path := writeFacts(t, facts, format)
			cfg := Config{Prompt: []string{"subject", "relation"}, Answer: "answer", Group: "relation", IDK: []string{"IDK"}, ShowConflicts: 3}
			if format == JSONL {
				cfg.Prompt, cfg.Answer, cfg.Group = []string{"sub", "rel"}, "obj", "rel"
			}
			res, err := Run(context.Background(), cfg, []Source{fileSource(path)})
			if err != nil {
				t.Fatal(err)
			}
			checkStats(t, "all", res.Stats, want[""])
			if len(res.Groups) != 3 {
				t.Fatalf("%d groups, want 3", len(res.Groups))
			}
			for _, g := range res.Groups {
				checkStats(t, g.Group, g.Stats, want[g.Group])
			}
			if len(res.ConflictExamples) != 3 {
				t.Errorf("%d conflict examples, want 3", len(res.ConflictExamples))
			}
			for _, c := range res.ConflictExamples {
				if c.DistinctAnswers < 2 || len(c.Prompt) != 2 || c.Group == nil || *c.Group != c.Prompt[1] {
					t.Errorf("bad conflict example %+v", c)
				}
			}
		})
	}
}

func TestSpillMatchesMemory(t *testing.T) {
	facts := genFacts(2, 300_000, 1_000_000)
	path := writeFacts(t, facts, TSV)
	for _, group := range []string{"", "2"} {
		t.Run("group="+group, func(t *testing.T) { testSpill(t, facts, path, group) })
	}
}

func testSpill(t *testing.T, facts []fact, path, group string) {
	cfg := Config{Prompt: []string{"1", "2"}, Answer: "3", Group: group, Header: true, IDK: []string{"IDK"}, ShowConflicts: 2, Workers: 2}
	mem, err := Run(context.Background(), cfg, []Source{fileSource(path)})
	if err != nil {
		t.Fatal(err)
	}
	cfg.MemBytes = MinMem(2) + 3<<20 // tables of about 4 MiB: several spills per shard
	cfg.TempDir = t.TempDir()
	spilled, err := Run(context.Background(), cfg, []Source{fileSource(path)})
	if err != nil {
		t.Fatal(err)
	}
	if spilled.Run.SpillRuns == 0 {
		t.Fatalf("no spill at the smallest budget (%d distinct prompts)", mem.Prompts)
	}
	a, _ := json.Marshal(mem)
	b, _ := json.Marshal(spilled)
	if !bytes.Equal(a, b) {
		t.Errorf("spilled result differs:\n%s\n%s", a, b)
	}
	if left, _ := os.ReadDir(cfg.TempDir); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
	checkStats(t, "all", spilled.Stats, bruteCount(facts, false)[""])
	t.Logf("%d records, %d prompts, %d spill runs, %d bytes spilled", spilled.Records, spilled.Prompts, spilled.Run.SpillRuns, spilled.Run.SpilledBytes)
}

type ioReadCloser = io.ReadCloser

// gzipReader decompresses data the way internal/input does.
func gzipReader(data []byte) (io.ReadCloser, error) {
	zr, err := kgzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return wrapName{zr, "facts.tsv.gz"}, nil
}

// wrapName names the file in read errors, as internal/input.File does.
type wrapName struct {
	io.ReadCloser
	name string
}

func (w wrapName) Read(p []byte) (int, error) {
	n, err := w.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%s: %w", w.name, err)
	}
	return n, err
}

// Cancelling a run that has spilled removes its temporary files.
func TestCancelRemovesSpillFiles(t *testing.T) {
	facts := genFacts(3, 400_000, 1_000_000)
	path := writeFacts(t, facts, TSV)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	progress := new(Progress)
	cfg := Config{Prompt: []string{"1", "2"}, Answer: "3", Header: true, MemBytes: MinMem(2), Workers: 2, TempDir: dir, Progress: progress}
	// A source that cancels the run once the first spill file exists.
	src := Source{Name: path, Open: func() (io.ReadCloser, error) {
		f, err := os.Open(path)
		return cancelAfterSpill{f, dir, cancel}, err
	}}
	_, err := Run(ctx, cfg, []Source{src})
	if err == nil {
		t.Skip("the run finished before it could be cancelled")
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("temporary files left behind after cancel: %v", left)
	}
}

type cancelAfterSpill struct {
	*os.File
	dir    string
	cancel func()
}

func (c cancelAfterSpill) Read(p []byte) (int, error) {
	if d, _ := os.ReadDir(c.dir); len(d) > 0 {
		if files, _ := os.ReadDir(filepath.Join(c.dir, d[0].Name())); len(files) > 0 {
			c.cancel()
		}
	}
	return c.File.Read(p[:min(len(p), 64<<10)])
}

// Counts beyond a slot's 30 bits and beyond what a worker's cache gathers
// are carried exactly.
func TestHugeCounts(t *testing.T) {
	data := "a\tx\t999999999999999999\nb\tx\t3000000000\na\tx\t999999999999999999\na\ty\t999999999999999999\nb\tx\t5\nc\tz\t1\n"
	for _, mem := range []int64{0, MinMem(1)} {
		res, err := Run(context.Background(), Config{Prompt: []string{"1"}, Answer: "2", Count: "3", Workers: 1, MemBytes: mem, TempDir: t.TempDir()},
			[]Source{bytesSource("huge", []byte(data))})
		if err != nil {
			t.Fatal(err)
		}
		want := missingmass.FreqOfFreq{{J: 1, F: 1}, {J: 3000000005, F: 1}, {J: 2999999999999999997, F: 1}}
		if !slices.Equal(res.FreqOfFreq, want) || res.ConflictingPrompts != 1 || res.Records != 2999999999999999997+3000000006 {
			t.Errorf("mem %d: fof %v, conflicts %d, records %d", mem, res.FreqOfFreq, res.ConflictingPrompts, res.Records)
		}
	}
}
