package demo

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/score"
)

func TestRun(t *testing.T) {
	res, err := Run(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	// The embedded corpus: 29,411 facts, 26,645 of them seen once
	// (counted independently by hallu audit on ParaRel's JSONL files).
	if s := res.Audit.Stats; s.Records != 29411 || s.Singletons != 26645 {
		t.Errorf("audit: N = %d, f1 = %d; want 29411, 26645", s.Records, s.Singletons)
	}
	// The simulated world reproduces the corpus's singleton rate: 20 runs
	// of N = 29,411 have a standard error of about 0.0004 around it.
	if got, want := res.Simulation.Points[0].Summaries[0].SR.Mean, res.Audit.Stats.SingletonRate; math.Abs(got-want) > 0.003 {
		t.Errorf("simulated sr %v, corpus %v", got, want)
	}
	// The flip is where the two entries' scores cross: check it against
	// a scan of t with score.Counts.Score, the one implementation of the
	// score.
	var always, cautious score.Counts
	for _, r := range res.Score.Results {
		if r.T == 0 {
			switch r.Model {
			case Model:
				always = r.Counts
			case Cautious():
				cautious = r.Counts
			}
		}
	}
	if always.Score(0) <= cautious.Score(0) {
		t.Fatalf("binary grading: always answering %v should beat the cautious entry %v", always.Score(0), cautious.Score(0))
	}
	first := math.NaN()
	for i := 0; i < 100000; i++ {
		x := float64(i) / 100000
		if cautious.Score(x) > always.Score(x) {
			first = x
			break
		}
	}
	if math.Abs(first-res.Flip) > 1e-5 {
		t.Errorf("flip at %v, scan finds the cautious entry ahead from %v", res.Flip, first)
	}
	var b strings.Builder
	if err := res.Write(&b); err != nil {
		t.Fatal(err)
	}
	p, err := res.Page()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Sections) < 10 {
		t.Errorf("page has %d sections", len(p.Sections))
	}
	// Every chart readable: legends off the data, markers inside the frame
	// and not hiding one another.
	figures := 0
	for _, s := range p.Sections {
		for _, f := range s.Figures {
			figures++
			if f.Geometry == nil {
				t.Errorf("section %q: a figure without geometry", s.Heading)
				continue
			}
			for _, msg := range append(f.Geometry.Problems(), f.Geometry.Hidden()...) {
				t.Errorf("section %q: %s", s.Heading, msg)
			}
		}
	}
	if figures != 7 {
		t.Errorf("%d figures, want 7", figures)
	}
}

func TestCrossing(t *testing.T) {
	r := func(model string, c, w, a int) score.TargetResult {
		return score.Summarize(model, score.Counts{Correct: c, Wrong: w, Abstained: a}, 0, score.DefaultZ)
	}
	for _, tc := range []struct {
		a, b score.TargetResult
		want float64
	}{
		// (9 − 7)/20 = 0.1 more right, (11 − 2)/20 = 0.45 more wrong:
		// k* = 2/9, t = k*/(1 + k*) = 2/11.
		{r("a", 9, 11, 0), r("b", 7, 2, 11), 2.0 / 11},
		{r("a", 9, 11, 0), r("b", 9, 11, 0), math.NaN()}, // same scores everywhere
		{r("a", 9, 1, 10), r("b", 5, 5, 10), math.NaN()}, // a ahead at every t
	} {
		got := crossing([]score.TargetResult{tc.a, tc.b}, "a", "b")
		if got != tc.want && !(math.IsNaN(got) && math.IsNaN(tc.want)) && math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("crossing(%v, %v) = %v, want %v", tc.a.Counts, tc.b.Counts, got, tc.want)
		}
	}
}

// TestExport writes the demo's data and checks each file against the size
// and sha256 data/SOURCE.md states (Export itself refuses a wrong sha256, so
// the sizes here are the independent check).
func TestExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	files, err := Export(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"pararel_trex.tsv": 825914, "qwen3-8b_negotiationtom_belief.jsonl": 166212, "moby_dick.txt": 1204997}
	source, err := os.ReadFile(filepath.Join(dir, "SOURCE.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := filepath.Base(f.Path)
		if name == "SOURCE.md" {
			continue
		}
		fi, err := os.Stat(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() != want[name] || f.Bytes != want[name] {
			t.Errorf("%s: %d bytes on disk, %d reported; want %d", name, fi.Size(), f.Bytes, want[name])
		}
		if !strings.Contains(string(source), f.SHA256) {
			t.Errorf("%s: sha256 %s is not the one SOURCE.md states", name, f.SHA256)
		}
		delete(want, name)
	}
	if len(want) != 0 {
		t.Errorf("not written: %v", want)
	}
}

// TestSimPrompts checks SimPrompts against the expected singleton rate
// computed independently, as a sum over the binomial count of one prompt,
// and the demo's world against the corpus.
func TestSimPrompts(t *testing.T) {
	for _, tc := range []struct {
		n  int64
		sr float64
	}{{29411, 0.905954}, {100, 0.5}, {2, 0.5}, {1000, 0.01}} {
		k, err := SimPrompts(tc.n, tc.sr)
		if err != nil {
			t.Fatal(err)
		}
		// E[f₁]/n = K·P(Binomial(n, 1/K) = 1)/n, for K and K ± 1: the
		// rounded K is the one whose rate is nearest sr.
		rate := func(k float64) float64 {
			n := float64(tc.n)
			expectedF1 := k * n * (1 / k) * math.Pow(1-1/k, n-1) // K prompts, each drawn once with this probability
			return expectedF1 / n
		}
		got := rate(float64(k))
		for _, other := range []float64{float64(k) - 1, float64(k) + 1} {
			if other >= 1 && math.Abs(rate(other)-tc.sr) < math.Abs(got-tc.sr) {
				t.Errorf("N = %d, sr = %g: K = %d gives %g, K = %g is nearer (%g)", tc.n, tc.sr, k, got, other, rate(other))
			}
		}
	}
	for _, sr := range []float64{0, 1, math.NaN()} {
		if _, err := SimPrompts(100, sr); err == nil {
			t.Errorf("sr = %g: no error", sr)
		}
	}
}
