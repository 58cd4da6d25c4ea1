package main

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/demo"
)

// TestDemo runs hallu demo, with no flags, end to end in a temporary
// directory, then runs each individual command on the same embedded data
// with the flags the demo documents, and checks that they report the
// demo's numbers. Each command also writes its --html page, which must be
// self-contained.
func TestDemo(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // with no flags, the page goes to ./demo.html
	page := "demo.html"
	out, err := execHallu(t, "demo")
	if err != nil {
		t.Fatalf("hallu demo: %v\n%s", err, out)
	}
	res, err := demo.Run(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	s := res.Audit.Stats
	for _, want := range []string{strconv.FormatInt(s.Records, 10), "sr = 0.905954", "flips at t = 0.181818", "order 3 cannot see the subject: err = 0.5", page} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	checkHTMLFile(t, page, 6)

	extract := func(name string) string {
		b, err := demo.Data.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.Base(name))
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	run := func(v any, args ...string) {
		t.Helper()
		html := filepath.Join(dir, args[0]+".html")
		out, err := execHallu(t, append(args, "--json", "--html", html)...)
		if err != nil {
			t.Fatalf("hallu %v: %v\n%s", args, err, out)
		}
		var env struct{ Result json.RawMessage }
		if err := json.Unmarshal([]byte(out), &env); err != nil {
			t.Fatalf("hallu %v: %v\n%s", args, err, out)
		}
		if err := json.Unmarshal(env.Result, v); err != nil {
			t.Fatalf("hallu %v: %v", args, err)
		}
		checkHTMLFile(t, html, 1)
	}
	same := func(what string, got, want float64) {
		t.Helper()
		if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("%s: command %v, demo %v", what, got, want)
		}
	}

	// Step 1: hallu audit.
	var a struct {
		SingletonRate float64 `json:"singleton_rate"`
		Floor99       float64 `json:"floor_99"`
		Upper99       float64 `json:"upper_99"`
	}
	auditArgs := []string{"audit", "--prompt", "relation,sub_label", "--answer", "obj_label", "--answers", strconv.Itoa(demo.Answers), extract(demo.FactsFile)}
	run(&a, auditArgs...)
	same("singleton rate", a.SingletonRate, s.SingletonRate)
	same("Theorem 2 floor", a.Floor99, *s.Floor99)
	same("calibrated ceiling", a.Upper99, *s.Upper99)

	// Step 1 again through hallu floor, from N and sr.
	var f struct {
		Lower99 float64 `json:"lower_bound_99"`
	}
	run(&f, "floor", "--n", strconv.FormatInt(s.Records, 10), "--sr", strconv.FormatFloat(s.SingletonRate, 'g', -1, 64), "--min-errors", strconv.Itoa(demo.Answers-1))
	same("floor's lower bound", f.Lower99, *s.Floor99)

	// Step 2: hallu sim in a uniform world of the size whose expected
	// singleton rate is the audit's.
	k, err := demo.SimPrompts(s.Records, s.SingletonRate)
	if err != nil {
		t.Fatal(err)
	}
	var sim struct {
		Points []struct {
			Summary []struct {
				Learner string
				SR, Err struct{ Mean float64 }
				Lower   struct{ Mean float64 } `json:"thm2_lower"`
				Upper   struct{ Mean float64 } `json:"thm2_upper"`
			}
		}
	}
	run(&sim, "sim", "--mu", "uniform", "--prompts", strconv.Itoa(k), "--n", strconv.FormatInt(s.Records, 10),
		"--answers", strconv.Itoa(demo.Answers), "--runs", strconv.Itoa(demo.SimRuns), "--seed", strconv.Itoa(demo.Seed))
	got := sim.Points[0].Summary
	want := res.Simulation.Points[0].Summaries
	if len(got) != len(want) {
		t.Fatalf("sim: %d learners, demo %d", len(got), len(want))
	}
	for i, g := range got {
		w := want[i]
		if g.Learner != w.Learner.String() {
			t.Errorf("sim learner %d: %s, demo %s", i, g.Learner, w.Learner)
		}
		same(g.Learner+" sr", g.SR.Mean, w.SR.Mean)
		same(g.Learner+" err", g.Err.Mean, w.Err.Mean)
		same(g.Learner+" Theorem 2 lower", g.Lower.Mean, w.Thm2Lower.Mean)
		same(g.Learner+" Theorem 2 upper", g.Upper.Mean, w.Thm2Upper.Mean)
	}

	// Step 3: hallu score. The cautious entry is the policy "answer iff
	// confidence > AbstainAbove", which hallu score reports at that t.
	var sc struct {
		Results []struct {
			Model                           string
			T, Score                        float64
			Correct, Wrong, Abstained, Rank int
		}
		Groups []struct {
			Policy struct {
				N      int
				Points []struct {
					T    float64
					Rate float64 `json:"answer_rate"`
					Acc  float64 `json:"accuracy_answered"`
				}
			}
		}
	}
	ts := []string{}
	for _, x := range demo.Targets {
		ts = append(ts, strconv.FormatFloat(x, 'g', -1, 64))
	}
	run(&sc, "score", "--format", "lm-eval", "--model", demo.Model, "--targets", strings.Join(append(ts, strconv.FormatFloat(demo.AbstainAbove, 'g', -1, 64)), ","), extract(demo.OutputsFile))
	matched := 0
	for _, r := range sc.Results {
		for _, w := range res.Score.Results {
			if w.Model == r.Model && w.T == r.T {
				same(r.Model+" score at "+strconv.FormatFloat(r.T, 'g', -1, 64), r.Score, w.Score)
				matched++
			}
		}
	}
	if matched != len(demo.Targets) {
		t.Errorf("score: %d of the demo's %d targets compared", matched, len(demo.Targets))
	}
	if len(sc.Groups) != 1 {
		t.Fatalf("score: %d confidence groups, want 1", len(sc.Groups))
	}
	cautious := struct{ correct, wrong, abstained int }{-1, -1, -1}
	for _, p := range sc.Groups[0].Policy.Points {
		if p.T == demo.AbstainAbove {
			n := sc.Groups[0].Policy.N
			answered := int(math.Round(p.Rate * float64(n)))
			cautious.correct = int(math.Round(p.Acc * float64(answered)))
			cautious.wrong = answered - cautious.correct
			cautious.abstained = n - answered
		}
	}
	for _, w := range res.Score.Results {
		if w.Model == demo.Cautious() && w.T == 0 {
			if w.Correct != cautious.correct || w.Wrong != cautious.wrong || w.Abstained != cautious.abstained {
				t.Errorf("cautious entry: demo %d/%d/%d correct/wrong/abstained, score's policy at %g %+v",
					w.Correct, w.Wrong, w.Abstained, demo.AbstainAbove, cautious)
			}
		}
	}

	// Step 4: hallu ngram cor2.
	var c struct {
		Results []struct {
			Order           int
			Err, Opt, Bound float64
		}
	}
	run(&c, "ngram", "cor2")
	if len(c.Results) != len(res.Cor2) {
		t.Fatalf("cor2: %d orders, demo %d", len(c.Results), len(res.Cor2))
	}
	for i, r := range c.Results {
		w := res.Cor2[i]
		if r.Order != w.Order {
			t.Errorf("cor2 order %d, demo %d", r.Order, w.Order)
		}
		same("cor2 err", r.Err, w.Err)
		same("cor2 opt", r.Opt, w.Opt)
		same("cor2 bound", r.Bound, w.Bound)
	}

	// Step 4's Theorem 1: hallu bound on the first order's instance.
	inst := filepath.Join(dir, "cor2.jsonl")
	if out, err := execHallu(t, "ngram", "cor2", "--orders", strconv.Itoa(demo.Cor2Orders[0]), "--write-instance", inst); err != nil {
		t.Fatalf("hallu ngram cor2 --write-instance: %v\n%s", err, out)
	}
	var bd struct {
		Err    float64 `json:"err"`
		ErrIIV float64 `json:"err_iiv"`
		Delta  float64 `json:"delta"`
		Bound  float64 `json:"bound"`
	}
	run(&bd, "bound", inst)
	same("bound err", bd.Err, res.Bound.Err)
	same("bound err_iiv", bd.ErrIIV, res.Bound.ErrIIV)
	same("bound δ", bd.Delta, res.Bound.Delta)
	same("Theorem 1 bound", bd.Bound, res.Bound.Bound)
}

var remoteRef = regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?\s*(https?:)?//`)

// checkHTMLFile checks that the page at path exists, holds at least svgs
// inline SVGs and loads nothing from the network.
func checkHTMLFile(t *testing.T, path string, svgs int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	if n := strings.Count(html, "<svg"); n < svgs {
		t.Errorf("%s: %d inline SVGs, want at least %d", path, n, svgs)
	}
	if m := remoteRef.FindString(html); m != "" || strings.Contains(html, "<script") {
		t.Errorf("%s loads from the network or runs a script: %q", path, m)
	}
}
