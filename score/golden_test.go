package score

import (
	"fmt"
	"math"
	"math/big"
	"testing"
)

// simpleQAExample builds the published SimpleQA comparison (OpenAI's blog post of 5 September 2025,
// from the GPT-5 System Card as quoted in OpenAI's blog of 5 Sep 2025) as
// 100 questions per model:
//
//	gpt-5-thinking-mini: 52% abstain, 22% correct, 26% wrong
//	o4-mini:              1% abstain, 24% correct, 75% wrong
func simpleQAExample(t testing.TB) *Dataset {
	var d Dataset
	add := func(model string, correct, wrong, abstained int) {
		i := 0
		for o, k := range map[Outcome]int{Correct: correct, Wrong: wrong, Abstained: abstained} {
			for range k {
				s := Sample{ID: fmt.Sprintf("q%03d", i), Model: model, Outcome: o}
				if err := d.Add(&s); err != nil {
					t.Fatal(err)
				}
				i++
			}
		}
	}
	add("gpt-5-thinking-mini", 22, 26, 52)
	add("o4-mini", 24, 75, 1)
	return &d
}

// ratScore is (correct − wrong·t/(1−t))/n in exact arithmetic.
func ratScore(correct, wrong, n int64, t *big.Rat) *big.Rat {
	one := big.NewRat(1, 1)
	pen := new(big.Rat).Quo(t, new(big.Rat).Sub(one, t))
	s := new(big.Rat).Mul(pen, big.NewRat(wrong, 1))
	s.Sub(big.NewRat(correct, 1), s)
	return s.Quo(s, big.NewRat(n, 1))
}

func TestSimpleQAPublishedExample(t *testing.T) {
	rep, err := Evaluate(simpleQAExample(t), Config{Bootstrap: -1})
	if err != nil {
		t.Fatal(err)
	}
	type key struct {
		model string
		t     float64
	}
	got := map[key]TargetResult{}
	for _, r := range rep.Results {
		got[key{r.Model, r.T}] = r
	}
	targets := []struct {
		t    float64
		rat  *big.Rat
		best string
	}{
		{0, big.NewRat(0, 1), "o4-mini"},               // binary grading rewards the guesser
		{0.5, big.NewRat(1, 2), "gpt-5-thinking-mini"}, // penalty 1
		{0.75, big.NewRat(3, 4), "gpt-5-thinking-mini"},
		{0.9, big.NewRat(9, 10), "gpt-5-thinking-mini"},
	}
	models := map[string][2]int64{"gpt-5-thinking-mini": {22, 26}, "o4-mini": {24, 75}}
	for _, tc := range targets {
		for m, cw := range models {
			r, ok := got[key{m, tc.t}]
			if !ok {
				t.Fatalf("no result for %s at t=%v", m, tc.t)
			}
			want, _ := ratScore(cw[0], cw[1], 100, tc.rat).Float64()
			if math.Abs(r.Score-want) > 1e-12 {
				t.Errorf("%s t=%v: score %v, want %v (exact %s)", m, tc.t, r.Score, want,
					ratScore(cw[0], cw[1], 100, tc.rat).RatString())
			}
			wantRank := 2
			if m == tc.best {
				wantRank = 1
			}
			if r.Rank != wantRank {
				t.Errorf("%s t=%v: rank %d, want %d", m, tc.t, r.Rank, wantRank)
			}
		}
	}
	// The exact values, by hand: t=0: 22/100 vs 24/100; t=1/2 (penalty 1):
	// (22−26)/100 = −1/25 vs (24−75)/100 = −51/100; t=3/4 (penalty 3, not
	// the paper's misprinted 2): −14/25 vs −201/100; t=9/10 (penalty 9):
	// −53/25 vs −651/100.
	hand := map[key]string{
		{"gpt-5-thinking-mini", 0}: "11/50", {"o4-mini", 0}: "6/25",
		{"gpt-5-thinking-mini", 0.5}: "-1/25", {"o4-mini", 0.5}: "-51/100",
		{"gpt-5-thinking-mini", 0.75}: "-14/25", {"o4-mini", 0.75}: "-201/100",
		{"gpt-5-thinking-mini", 0.9}: "-53/25", {"o4-mini", 0.9}: "-651/100",
	}
	for k, s := range hand {
		want, _ := new(big.Rat).SetString(s)
		wf, _ := want.Float64()
		if r := got[k]; math.Abs(r.Score-wf) > 1e-12 {
			t.Errorf("%v: score %v, want %s", k, r.Score, s)
		}
	}
	g5 := got[key{"gpt-5-thinking-mini", 0.5}]
	if g5.BinaryRank != 2 || g5.RankChange != 1 {
		t.Errorf("gpt-5-thinking-mini at t=0.5: binary rank %d change %d, want 2 and +1", g5.BinaryRank, g5.RankChange)
	}
	if g5.AbstentionRate != 0.52 || g5.Accuracy != 0.22 || g5.ErrorRate != 0.26 {
		t.Errorf("gpt-5-thinking-mini rates %v/%v/%v", g5.AbstentionRate, g5.Accuracy, g5.ErrorRate)
	}
}

func TestPenaltyErratum(t *testing.T) {
	// Section 4.2 of arXiv:2509.04664 and its v1 erratum: the paper prints penalty 2 at t = 0.75;
	// the formula t/(1−t) gives 3.
	if got := Penalty(0.75); got != 3 {
		t.Errorf("Penalty(0.75) = %v, want 3 (erratum: the paper prints 2)", got)
	}
	for _, tc := range []struct{ t, want float64 }{{0, 0}, {0.5, 1}, {2.0 / 3, 2}, {0.9, 9}} {
		if got := Penalty(tc.t); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("Penalty(%v) = %v, want %v", tc.t, got, tc.want)
		}
	}
	for _, bad := range []float64{-0.1, 1, 1.5, math.NaN()} {
		if CheckTarget(bad) == nil {
			t.Errorf("CheckTarget(%v) accepted", bad)
		}
	}
}

func TestTable2(t *testing.T) {
	// Table 2 of arXiv:2509.04664: ten benchmarks; all but WildBench binary, and only
	// WildBench gives (partial) IDK credit.
	if len(Table2) != 10 {
		t.Fatalf("%d rows", len(Table2))
	}
	for _, b := range Table2 {
		if (b.Name == "WildBench") != !b.Binary || (b.Name == "WildBench") != (b.IDKCredit == "partial") {
			t.Errorf("row %+v", b)
		}
	}
}
