package report

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/audit"
	"github.com/hallu-dev/hallu/facts"
	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/missingmass"
	"github.com/hallu-dev/hallu/ngram"
	"github.com/hallu-dev/hallu/score"
)

var remote = regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?\s*(https?:)?//`)

// checkPage renders p and checks that the HTML parses with balanced tags,
// holds at least figures inline SVGs, requests nothing from the network,
// and contains every string in want.
func checkPage(t *testing.T, p Page, figures int, want ...string) string {
	t.Helper()
	var b bytes.Buffer
	if err := p.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	// HTML's void elements are written as XML's empty ones, so that a
	// strict XML decoder checks that every other tag is closed in order.
	dec := xml.NewDecoder(strings.NewReader(voidTag.ReplaceAllString(html, "<$1$2/>")))
	dec.Entity = xml.HTMLEntity
	for {
		if _, err := dec.Token(); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("HTML does not parse: %v", err)
		}
	}
	if got := strings.Count(html, "<svg"); got < figures {
		t.Errorf("%d inline SVGs, want at least %d", got, figures)
	}
	if m := remote.FindString(html); m != "" {
		t.Errorf("page requests %q from the network", m)
	}
	if strings.Contains(html, "<script") {
		t.Error("page has a script")
	}
	for _, w := range want {
		if !strings.Contains(html, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	checkFigures(t, p)
	return html
}

// voidTag matches HTML's void elements, which have no end tag.
var voidTag = regexp.MustCompile(`<(meta|br|img|hr|link|input)\b([^>]*?)/?>`)

func ptr[T any](v T) *T { return &v }

func TestAuditPage(t *testing.T) {
	// 10 prompts seen once, 3 twice, 1 five times: N = 21, sr = 10/21.
	fof := missingmass.FreqOfFreq{{J: 1, F: 10}, {J: 2, F: 3}, {J: 5, F: 1}}
	sum, err := missingmass.Summarize(fof, 21, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	res := &audit.Result{Kind: audit.Records, Stats: audit.Stats{Summary: sum, Prompts: 14, FreqOfFreq: fof,
		Bounds: audit.Bounds{MinWrong: ptr[int64](999), MaxWrong: ptr[int64](999), Floor99: ptr(-3.25), Upper99: ptr(3.3), Floor: ptr(-3.2), Upper: ptr(3.1)}}}
	p, err := AuditPage("facts.tsv", res, audit.Config{Gamma: 0.01}, AuditAdvice{}, []string{"input facts.tsv"})
	if err != nil {
		t.Fatal(err)
	}
	checkPage(t, p, 1, "hallu audit: facts.tsv", F(10.0/21), "-3.25", "Frequency of frequencies", "says nothing")
}

func TestSimPage(t *testing.T) {
	e := facts.Experiment{
		World:  facts.WorldSpec{Prompts: 200, Mu: facts.Mu{Kind: facts.Uniform}, Answers: facts.ConstAnswers(10), Alpha: facts.Alpha{Const: 1}},
		Config: facts.Config{N: 300, Runs: 2, Seed: 1, Gamma: 0.01, Learners: facts.DefaultLearners},
	}
	sim, err := facts.Simulate(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	p, err := SimPage(e, sim, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := sim.Points[0].Summaries[0]
	checkPage(t, p, 1, "Error rate against singleton rate", "calibrated", F(s.Err.Mean), F(s.Thm2Upper.Mean))

	// A sweep over N: a table for each point, the bounds at each point's N.
	axis, err := facts.ParseAxis("n=100..1000:2")
	if err != nil {
		t.Fatal(err)
	}
	e.Sweep = []facts.Axis{axis}
	if sim, err = facts.Simulate(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	if p, err = SimPage(e, sim, nil); err != nil {
		t.Fatal(err)
	}
	checkPage(t, p, 1, "N = 100;", "N = 1000;", "at the point&#39;s N", "At the first of 2 sweep points, the calibrated learner")
}

func TestScorePage(t *testing.T) {
	var d score.Dataset
	add := func(model, id string, o score.Outcome, conf *float64) {
		if err := d.Add(&score.Sample{ID: id, Model: model, Outcome: o, Confidence: conf, Response: "r"}); err != nil {
			t.Fatal(err)
		}
	}
	// "bold" answers all 10: 6 right, 4 wrong. "careful" answers 5 (all
	// right) and abstains on 5: binary 0.6 > 0.5, at t = 0.5 0.2 < 0.5.
	for i := range 10 {
		id := string(rune('a' + i))
		o := score.Correct
		if i >= 6 {
			o = score.Wrong
		}
		add("bold", id, o, nil)
		if i < 5 {
			add("careful", id, score.Correct, nil)
		} else {
			add("careful", id, score.Abstained, nil)
		}
	}
	rep, err := score.Evaluate(&d, score.Config{Targets: []float64{0, 0.5}, Bootstrap: -1})
	if err != nil {
		t.Fatal(err)
	}
	p, err := ScorePage(nil, rep, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkPage(t, p, 1, ">0.6000<", ">0.5000<", ">0.2000<", "careful climbs from rank 2 under binary grading to rank 1 at t = 0.5", "carries a confidence")

	// With confidences: the reliability diagram and risk–coverage curve.
	d = score.Dataset{}
	for i := range 20 {
		c := float64(i) / 20
		o := score.Wrong
		if i%2 == 0 {
			o = score.Correct
		}
		add("m", string(rune('a'+i)), o, &c)
	}
	rep, err = score.Evaluate(&d, score.Config{Targets: []float64{0, 0.75}, Bootstrap: -1})
	if err != nil {
		t.Fatal(err)
	}
	p, err = ScorePage(nil, rep, nil)
	if err != nil {
		t.Fatal(err)
	}
	html := checkPage(t, p, 3, "Reliability diagram", "Risk–coverage", "No sample abstains")
	if strings.Contains(html, "carries a confidence") {
		t.Error("page says there are no confidences")
	}
}

func TestFloorPage(t *testing.T) {
	f, err := missingmass.NewFloor(missingmass.Theorem2{N: 1_000_000, SR: 0.2, MinE: 364, MaxE: 364}, 0.01, 0, 1.0/364)
	if err != nil {
		t.Fatal(err)
	}
	p, err := FloorPage(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkPage(t, p, 1, F(f.Lower), F(f.Upper99), "Theorem 2 as N grows")
}

func TestCor2Page(t *testing.T) {
	tr := ngram.NewTrainer()
	tr.AddSentence("The whale was white and the sea was deep.")
	res, err := ngram.Corollary2(context.Background(), tr, ngram.Cor2Options{Orders: []int{3}, Repeat: 1})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Cor2Page("a sentence", 1, res, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkPage(t, p, 1, "Corollary 2", "0.5", F(res[0].Rows[0].PHat))
}

func TestBoundPage(t *testing.T) {
	const instance = `{"context":"c1","mu":0.5,"response":"her mind","label":"valid","p":1,"phat":0.5}
{"context":"c1","mu":0.5,"response":"his mind","label":"error","p":0,"phat":0.5}
{"context":"c2","mu":0.5,"response":"his mind","label":"valid","p":1,"phat":0.5}
{"context":"c2","mu":0.5,"response":"her mind","label":"error","p":0,"phat":0.5}
`
	res, err := iiv.Analyze[iiv.Float](context.Background(), strings.NewReader(instance), iiv.DefaultTolerance)
	if err != nil {
		t.Fatal(err)
	}
	p, err := BoundPage("cor2.jsonl", NewBound(res), nil)
	if err != nil {
		t.Fatal(err)
	}
	checkPage(t, p, 1, "hallu bound: cor2.jsonl", "δ_z", "Theorem 1")
}

func TestScorePageBehavioral(t *testing.T) {
	var d score.Dataset
	// Run under t = 0.5: answers 4 of 10, 3 right; under t = 0.9: answers
	// 2, both right.
	for i := range 10 {
		for _, run := range []struct {
			t       float64
			answers int
			right   int
		}{{0.5, 4, 3}, {0.9, 2, 2}} {
			o := score.Abstained
			switch {
			case i < run.right:
				o = score.Correct
			case i < run.answers:
				o = score.Wrong
			}
			if err := d.Add(&score.Sample{ID: string(rune('a' + i)), Model: "m", Outcome: o, Target: ptr(run.t), Response: "r"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	rep, err := score.Evaluate(&d, score.Config{Bootstrap: -1})
	if err != nil {
		t.Fatal(err)
	}
	p, err := ScorePage(nil, rep, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkPage(t, p, 1, "Behavioural calibration", "75.0%", "100.0%", "0.5 (run)")
}

// TestAuditAdvice checks that an audit without |R_c| and with more
// frequencies than shown tells its reader how to give |R_c| and where the
// other rows are: by audit's fields when no advice is given, never by a
// flag, and by the words a command gives.
func TestAuditAdvice(t *testing.T) {
	var fof missingmass.FreqOfFreq
	n := int64(0)
	for j := int64(1); j <= shownFreqRows+3; j++ {
		fof = append(fof, missingmass.Class{J: j, F: 1})
		n += j
	}
	sum, err := missingmass.Summarize(fof, n, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	res := &audit.Result{Kind: audit.Records, Stats: audit.Stats{Summary: sum, Prompts: int64(len(fof)), FreqOfFreq: fof}}
	for _, tc := range []struct {
		adv  AuditAdvice
		want []string
	}{
		{AuditAdvice{}, []string{"per prompt: Config.Answers K (|R_c|)", "… 3 more rows (Stats.FreqOfFreq has them all)", "per prompt (Config.Answers)."}},
		{AuditAdvice{Answers: "--answers", AllRows: "--json gives them"}, []string{"per prompt: --answers K (|R_c|)", "… 3 more rows (--json gives them)", "per prompt (--answers)."}},
	} {
		var text strings.Builder
		if err := WriteAuditText(&text, res, audit.Config{Gamma: 0.01}, tc.adv); err != nil {
			t.Fatal(err)
		}
		sections, err := AuditSections("facts.tsv", res, audit.Config{Gamma: 0.01}, tc.adv)
		if err != nil {
			t.Fatal(err)
		}
		all := text.String() + sections[0].Paragraphs[0]
		for _, w := range tc.want {
			if !strings.Contains(all, w) {
				t.Errorf("advice %+v: %q lacks %q", tc.adv, all, w)
			}
		}
		if tc.adv == (AuditAdvice{}) && regexp.MustCompile(`--[a-z]`).MatchString(all) {
			t.Errorf("no advice given, yet %q names a flag", all)
		}
	}
}
