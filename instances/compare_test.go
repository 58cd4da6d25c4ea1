package instances

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// figures are the per-model quantities of Compare, as bruteForce computes
// them straight from the definitions.
type figures struct {
	acc, conf, ece               float64
	err, errIIV, delta, deltaMax float64
	bound, opt, mcBound          float64
}

// bruteForce computes every per-model figure from p̂ and the gold choices
// alone, by the definitions (arXiv:2509.04664 Sections 3.2 and 3.3.2, μ
// uniform, one valid answer per question with p = 1) and without package
// iiv or score: each threshold-dependent quantity is evaluated at every
// threshold where it can change (0, each p̂ value, 1), in O(rows²).
func bruteForce(phat [][]float64, gold []int, bins int) figures {
	n := float64(len(phat))
	var f figures
	minE := math.MaxInt
	var zs []float64
	binN := make([]float64, bins)
	binConf := make([]float64, bins)
	binAcc := make([]float64, bins)
	for c, p := range phat {
		minE = min(minE, len(p)-1)
		zs = append(zs, p...)
		pred := 0
		for i := range p {
			if p[i] > p[pred] {
				pred = i
			}
		}
		right := 0.0
		if pred == gold[c] {
			right = 1
		}
		f.acc += right / n
		f.conf += p[pred] / n
		f.err += (1 - p[gold[c]]) / n
		b := min(int(p[pred]*float64(bins)), bins-1)
		binN[b]++
		binConf[b] += p[pred]
		binAcc[b] += right
	}
	for b := range bins {
		if binN[b] > 0 {
			f.ece += binN[b] / n * math.Abs(binAcc[b]/binN[b]-binConf[b]/binN[b])
		}
	}
	at := func(z float64) (errIIV, delta float64) {
		var pA, phatA float64
		for c, p := range phat {
			for r, v := range p {
				if v > z {
					phatA += v / n
				}
				switch {
				case r == gold[c] && v > z:
					pA += 1 / n
				case r == gold[c]:
					errIIV += 0.5 / n // a valid answer classified −
				case v > z:
					errIIV += 1 / (2 * float64(len(p)-1)) / n // an error classified +
				}
			}
		}
		return errIIV, math.Abs(phatA - pA)
	}
	z0 := 1 / float64(minE)
	f.errIIV, f.delta = at(z0)
	f.bound = 2*f.errIIV - z0 - f.delta
	f.opt = math.Inf(1)
	for _, z := range append(zs, 0, 1) {
		e, d := at(z)
		f.deltaMax = max(f.deltaMax, d)
		f.opt = min(f.opt, e)
	}
	C := float64(minE + 1)
	f.mcBound = 2 * (1 - 1/C) * f.opt
	return f
}

// summaryFigures reads the same figures off Compare's summary.
func summaryFigures(s ModelSummary) figures {
	r := s.Result
	return figures{
		acc: s.Calibration.Accuracy, conf: s.Calibration.MeanConfidence, ece: s.Calibration.ECE,
		err: r.Err.Float64(), errIIV: r.Paper.ErrIIV.Float64(), delta: r.Paper.Delta.Float64(), deltaMax: r.DeltaMaxZ.Float64(),
		bound: r.Bound.Float64(), opt: r.Opt.Float64(), mcBound: r.MCBound.Float64(),
	}
}

func (f figures) diff(g figures, tol float64) string {
	var bad []string
	check := func(name string, a, b float64) {
		if math.Abs(a-b) > tol {
			bad = append(bad, fmt.Sprintf("%s %v vs %v", name, a, b))
		}
	}
	check("accuracy", f.acc, g.acc)
	check("mean confidence", f.conf, g.conf)
	check("ECE", f.ece, g.ece)
	check("err", f.err, g.err)
	check("err_iiv", f.errIIV, g.errIIV)
	check("δ", f.delta, g.delta)
	check("max δ_z", f.deltaMax, g.deltaMax)
	check("Theorem 1 bound", f.bound, g.bound)
	check("opt err_iiv", f.opt, g.opt)
	check("Theorem 3 bound", f.mcBound, g.mcBound)
	return strings.Join(bad, "; ")
}

func questionsOf(phat [][]float64, gold []int, prefix string) []Question {
	qs := make([]Question, len(phat))
	for i := range phat {
		qs[i] = Question{ID: fmt.Sprint(i), Text: fmt.Sprintf("%s question %d", prefix, i), Gold: gold[i], Phat: phat[i], Where: fmt.Sprintf("test[%d]", i)}
	}
	return qs
}

// Compare's per-model figures equal the brute force on random instances:
// ties, 2 to 6 choices per question, probabilities near 0 and 1.
func TestCompareMatchesBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 30).Draw(t, "questions")
		phat := make([][]float64, n)
		gold := make([]int, n)
		for c := range n {
			k := rapid.IntRange(2, 6).Draw(t, "choices")
			z := make([]float64, k)
			for i := range z {
				z[i] = float64(rapid.IntRange(-8, 8).Draw(t, "logit")) / 2 // small grid: ties happen
			}
			phat[c] = softmaxRef(z)
			gold[c] = rapid.IntRange(0, k-1).Draw(t, "gold")
		}
		cmp, err := Compare(context.Background(), []Model{{Name: "m", Questions: questionsOf(phat, gold, "")}}, CompareOptions{Reps: 2})
		if err != nil {
			t.Fatal(err)
		}
		if d := summaryFigures(cmp.Models[0]).diff(bruteForce(phat, gold, 10), 1e-9); d != "" {
			t.Fatal(d)
		}
	})
}

// softmaxRef is the test's own softmax.
func softmaxRef(z []float64) []float64 {
	m := slices.Max(z)
	out := make([]float64, len(z))
	var s float64
	for i, v := range z {
		out[i] = math.Exp(v - m)
		s += out[i]
	}
	for i := range out {
		out[i] /= s
	}
	return out
}

func TestComparePairsAndSeeds(t *testing.T) {
	mk := func(n int, shift float64) ([][]float64, []int) {
		phat := make([][]float64, n)
		gold := make([]int, n)
		for i := range n {
			phat[i] = softmaxRef([]float64{float64(i%3) * shift, 0, float64(i%5) / 2, -1})
			gold[i] = i % 4
		}
		return phat, gold
	}
	pa, ga := mk(40, 1)
	pb, gb := mk(40, 3)
	a := Model{Name: "a", Questions: questionsOf(pa, ga, "")}
	b := Model{Name: "b", Questions: questionsOf(pb, gb, "")[5:]} // lacks the first 5
	extra := Model{Name: "c", Questions: append(questionsOf(pa, ga, "")[:10], questionsOf(pa, ga, "other")[:3]...)}
	opts := CompareOptions{Reps: 200, Seed: 7}

	two, err := Compare(context.Background(), []Model{a, b}, opts)
	if err != nil {
		t.Fatal(err)
	}
	p := two.Pairs[0]
	if p.Shared != 35 || p.OnlyA != 5 || p.OnlyB != 0 {
		t.Fatalf("pair counts %+v", p)
	}
	// δ on the shared questions is δ of the models restricted to them.
	fa := bruteForce(pa[5:], ga[5:], 10)
	fb := bruteForce(pb[5:], gb[5:], 10)
	if math.Abs(p.DeltaA-fa.delta) > 1e-9 || math.Abs(p.DeltaB-fb.delta) > 1e-9 || math.Abs(p.Diff-(fa.delta-fb.delta)) > 1e-9 {
		t.Errorf("pair δ %v %v %v, want %v %v", p.DeltaA, p.DeltaB, p.Diff, fa.delta, fb.delta)
	}
	if !(p.DiffCI.Lo <= p.DiffCI.Hi) {
		t.Errorf("interval %+v", p.DiffCI)
	}

	// Adding a model changes neither the other pair's interval nor a
	// model's own.
	three, err := Compare(context.Background(), []Model{a, extra, b}, opts)
	if err != nil {
		t.Fatal(err)
	}
	var ab PairSummary
	for _, q := range three.Pairs {
		if q.A == "a" && q.B == "b" {
			ab = q
		}
		if q.A == "a" && q.B == "c" && (q.Shared != 10 || q.OnlyA != 30 || q.OnlyB != 3) {
			t.Errorf("a–c counts %+v", q)
		}
	}
	if ab != p {
		t.Errorf("a–b changed by adding c: %+v, was %+v", ab, p)
	}
	if three.Models[0].Delta != two.Models[0].Delta {
		t.Errorf("a's δ interval changed by adding c")
	}
	// Another seed gives another interval.
	opts.Seed = 8
	other, err := Compare(context.Background(), []Model{a, b}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if other.Pairs[0].DiffCI == p.DiffCI {
		t.Error("the seed does not change the interval")
	}
}

func TestComparePairingErrors(t *testing.T) {
	phat := [][]float64{{0.5, 0.5}, {0.25, 0.75}}
	a := Model{Name: "a", Questions: questionsOf(phat, []int{0, 1}, "")}
	b := Model{Name: "b", Questions: questionsOf(phat, []int{1, 1}, "")} // gold differs on question 0
	if _, err := Compare(context.Background(), []Model{a, b}, CompareOptions{Reps: 2}); err == nil || !strings.Contains(err.Error(), "gold 0 and 1") {
		t.Errorf("differing gold: %v", err)
	}
	c := Model{Name: "c", Questions: questionsOf(phat, []int{0, 1}, "other")}
	if _, err := Compare(context.Background(), []Model{a, c}, CompareOptions{Reps: 2}); err == nil || !strings.Contains(err.Error(), "no question in common") {
		t.Errorf("disjoint: %v", err)
	}
	noText := a
	noText.Questions = slices.Clone(a.Questions)
	noText.Questions[1].Text = ""
	if _, err := Compare(context.Background(), []Model{noText}, CompareOptions{Reps: 2}); err == nil || !strings.Contains(err.Error(), "pair by id") {
		t.Errorf("no text: %v", err)
	}
	// Repeated texts pair in order, and are counted.
	dup := Model{Name: "d", Questions: questionsOf(phat, []int{0, 1}, "")}
	dup.Questions[1].Text = dup.Questions[0].Text
	cmp, err := Compare(context.Background(), []Model{dup}, CompareOptions{Reps: 2})
	if err != nil || cmp.Models[0].DuplicateKeys != 1 {
		t.Errorf("duplicates: %v, %+v", err, cmp.Models)
	}
	for _, o := range []CompareOptions{{Reps: 1}, {Level: 1}, {PairBy: "doc"}, {Bins: -1}} {
		if _, err := Compare(context.Background(), []Model{a}, o); err == nil {
			t.Errorf("options %+v: no error", o)
		}
	}
}
