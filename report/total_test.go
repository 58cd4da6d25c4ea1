package report

import (
	"context"
	"io"
	"math"
	"testing"

	"github.com/hallu-dev/hallu/audit"
	"github.com/hallu-dev/hallu/facts"
	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/internal/proptest"
	"github.com/hallu-dev/hallu/missingmass"
	"github.com/hallu-dev/hallu/ngram"
	"github.com/hallu-dev/hallu/score"
	"pgregory.net/rapid"
)

// TestMain raises rapid's default number of cases to 1,000.
func TestMain(m *testing.M) { proptest.Main(m, 1000) }

// The renderers must be total over valid results: every page below is
// drawn from a result its library could return, degenerate ones favoured
// (empty, a single value, equal values, zeros, bounds ≤ 0 or ≥ 1), and must
// render to HTML with no error, no panic, and charts a reader can read.

// renders checks that p renders and that its charts pass the geometry
// checks.
func renders(t *rapid.T, p Page, err error) {
	if err != nil {
		t.Fatalf("renderer: %v", err)
	}
	if err := p.WriteHTML(io.Discard); err != nil {
		t.Fatalf("WriteHTML: %v", err)
	}
	for _, s := range p.Sections {
		for _, f := range s.Figures {
			if f.Geometry == nil {
				t.Fatalf("section %q: figure without geometry", s.Heading)
			}
			if msg := f.Geometry.Problems(); msg != nil {
				t.Fatalf("section %q: %v", s.Heading, msg)
			}
		}
	}
}

func TestAuditPageTotal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		// A table with few distinct j, often one, often equal f_j, or none.
		counts := map[int64]int64{}
		for range rapid.IntRange(0, 4).Draw(t, "rows") {
			j := rapid.SampledFrom([]int64{1, 1, 2, 3, 71, 5000}).Draw(t, "j")
			counts[j] = rapid.SampledFrom([]int64{1, 1, 5000, 26645}).Draw(t, "f")
		}
		fof, err := missingmass.FromMap(counts)
		if err != nil {
			t.Fatal(err)
		}
		n := fof.Answered() + rapid.SampledFrom([]int64{0, 0, 1, 100}).Draw(t, "abstained")
		gamma := 0.01
		sum, err := missingmass.Summarize(fof, n, gamma)
		if err != nil {
			t.Fatal(err)
		}
		st := audit.Stats{Summary: sum, Prompts: fof.Distinct(), FreqOfFreq: fof}
		if rapid.Bool().Draw(t, "bounds") {
			e := rapid.SampledFrom([]int64{1, 364, 999}).Draw(t, "minE")
			th := missingmass.Theorem2{N: max(n, 1), SR: sum.SingletonRate, MinE: e, MaxE: e}
			lo, up, lo99, up99 := th.Lower(gamma), th.Upper(gamma), th.Lower99(), th.Upper99()
			st.Bounds = audit.Bounds{MinWrong: &e, MaxWrong: &e, Floor99: &lo99, Upper99: &up99, Floor: &lo, Upper: &up}
		}
		res := &audit.Result{Kind: audit.Records, Stats: st}
		if rapid.Bool().Draw(t, "groups") {
			res.Groups = []audit.Group{{Group: "g", Stats: st}}
		}
		cfg := audit.Config{Gamma: gamma}
		p, err := AuditPage("facts.tsv", res, cfg, AuditAdvice{}, nil)
		renders(t, p, err)
		agrees(t, p, func(w io.Writer) error { return WriteAuditText(w, res, cfg, AuditAdvice{}) })
	})
}

func TestSimPageTotal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		e := facts.Experiment{
			World: facts.WorldSpec{
				Prompts: rapid.IntRange(1, 20).Draw(t, "prompts"),
				Mu:      facts.Mu{Kind: facts.Uniform},
				Answers: facts.ConstAnswers(rapid.IntRange(1, 4).Draw(t, "answers")),
				Alpha:   facts.Alpha{Const: rapid.SampledFrom([]float64{0, 0.5, 1}).Draw(t, "alpha")},
			},
			Config: facts.Config{
				N: rapid.IntRange(1, 30).Draw(t, "N"), Runs: rapid.IntRange(1, 2).Draw(t, "runs"),
				Seed: rapid.Uint64().Draw(t, "seed"), Gamma: 0.01, Learners: facts.DefaultLearners, Workers: 1,
			},
		}
		if rapid.Bool().Draw(t, "sweep") {
			axis, err := facts.ParseAxis("n=1..20:3")
			if err != nil {
				t.Fatal(err)
			}
			e.Sweep = []facts.Axis{axis}
		}
		sim, err := facts.Simulate(context.Background(), e)
		if err != nil {
			return // not a valid experiment: nothing to render
		}
		p, err := SimPage(e, sim, nil)
		renders(t, p, err)
		agrees(t, p, func(w io.Writer) error { return WriteSimText(w, e, sim) })
	})
}

func TestScorePageTotal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var d score.Dataset
		outcomes := []score.Outcome{score.Correct, score.Wrong, score.Abstained, score.Invalid}
		models := rapid.IntRange(1, 3).Draw(t, "models")
		samples := rapid.IntRange(1, 6).Draw(t, "samples")
		withConf := rapid.Bool().Draw(t, "confidences")
		for m := range models {
			for i := range samples {
				s := &score.Sample{ID: string(rune('a' + i)), Model: string(rune('A' + m)), Response: "r",
					Outcome: rapid.SampledFrom(outcomes).Draw(t, "outcome")}
				if withConf {
					c := rapid.SampledFrom([]float64{0, 0.5, 0.99, 1}).Draw(t, "confidence")
					s.Confidence = &c
				}
				if err := d.Add(s); err != nil {
					t.Fatal(err)
				}
			}
		}
		targets := rapid.SampledFrom([][]float64{nil, {0}, {0, 0.5, 0.9}}).Draw(t, "targets")
		rep, err := score.Evaluate(&d, score.Config{Targets: targets, Bootstrap: -1})
		if err != nil {
			return // not a valid report: nothing to render
		}
		inputs := []ScoreInput{{Path: "log.jsonl", Format: "jsonl", Samples: d.Len(), Notes: []string{"a note"}}}
		p, err := ScorePage(inputs, rep, nil)
		renders(t, p, err)
		agrees(t, p, func(w io.Writer) error { return WriteScoreText(w, inputs, rep) })
	})
}

func TestFloorPageTotal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		e := rapid.SampledFrom([]int64{1, 2, 364, 1 << 40}).Draw(t, "minE")
		th := missingmass.Theorem2{
			N:     rapid.SampledFrom([]int64{1, 2, 100, 1_000_000, math.MaxInt64}).Draw(t, "N"),
			SR:    rapid.SampledFrom([]float64{0, 1e-9, 0.2, 1}).Draw(t, "sr"),
			MinE:  e,
			MaxE:  e + rapid.SampledFrom([]int64{0, 1, 1000}).Draw(t, "extra"),
			Delta: rapid.SampledFrom([]float64{0, 0.5, 1}).Draw(t, "delta"),
		}
		gamma := rapid.SampledFrom([]float64{1e-12, 0.01, 1}).Draw(t, "gamma")
		f, err := missingmass.NewFloor(th, gamma, 0, 1.0/float64(e))
		if err != nil {
			return // not valid parameters
		}
		p, err := FloorPage(f, nil)
		renders(t, p, err)
		agrees(t, p, func(w io.Writer) error { return WriteFloorText(w, f) })
	})
}

func TestCor2PageTotal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var res []ngram.Cor2Result
		for i := range rapid.IntRange(0, 4).Draw(t, "orders") {
			r := ngram.Cor2Result{Order: rapid.SampledFrom([]int{2, 3, 9, 3 + i}).Draw(t, "order"), Sees: rapid.Bool().Draw(t, "sees")}
			for range 4 {
				r.Rows = append(r.Rows, ngram.Cor2Row{PHat: rapid.SampledFrom([]float64{0, 0.5, 1}).Draw(t, "phat")})
			}
			r.Err = rapid.SampledFrom([]float64{0, 0.5, 1}).Draw(t, "err")
			r.Opt = rapid.SampledFrom([]float64{0, 0.5}).Draw(t, "opt")
			r.Bound = r.Opt
			res = append(res, r)
		}
		p, err := Cor2Page("text", 1, res, []string{"a note"}, nil)
		renders(t, p, err)
		agrees(t, p, func(w io.Writer) error { return WriteCor2Text(w, "text", 1, res, []string{"a note"}) })
	})
}

func TestBoundPageTotal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		unit := rapid.SampledFrom([]float64{0, 0.25, 0.5, 1})
		b := Bound{
			Contexts: rapid.IntRange(0, 3).Draw(t, "contexts"), Rows: rapid.IntRange(0, 6).Draw(t, "rows"),
			Err: unit.Draw(t, "err"), Threshold: unit.Draw(t, "threshold"), ErrIIV: unit.Draw(t, "erriiv"),
			Delta: unit.Draw(t, "delta"), DeltaMaxZ: unit.Draw(t, "dmax"),
			Bound: rapid.SampledFrom([]float64{-2, 0, 0.5}).Draw(t, "bound"),
		}
		b.Vacuous = b.Bound <= 0
		lo := 0.0
		for range rapid.IntRange(0, 4).Draw(t, "steps") { // descending z, as iiv gives them
			hi := lo + unit.Draw(t, "width")
			b.Curve = append([]iiv.CurvePoint{{Low: lo, High: hi, Delta: unit.Draw(t, "dz")}}, b.Curve...)
			lo = hi
		}
		if rapid.Bool().Draw(t, "mc") {
			opt, bound := unit.Draw(t, "opt"), unit.Draw(t, "mcbound")
			slack := b.Err - bound
			b.OptErrIIV, b.MCBound, b.MCSlack, b.OptAt = &opt, &bound, &slack, &[2]float64{0, 1}
		}
		p, err := BoundPage("instance.jsonl", b, nil)
		renders(t, p, err)
		agrees(t, p, func(w io.Writer) error { return WriteBoundText(w, "instance.jsonl", b) })
	})
}
