package facts

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/missingmass"
)

// Bad input: each gives an error that says what is wrong.
func TestBadInput(t *testing.T) {
	ok := zipfWorld(10, 1, 0.5, 4)
	cases := []struct {
		name string
		run  func() error
		want string
	}{
		{"K = 0", func() error { s := ok; s.Prompts = 0; _, err := NewWorld(s, 1); return err }, "at least one prompt"},
		{"K < 0", func() error { s := ok; s.Prompts = -3; _, err := NewWorld(s, 1); return err }, "at least one prompt"},
		{"N = 0", func() error {
			_, err := Simulate(context.Background(), Experiment{World: ok, Config: Config{N: 0, Runs: 1, Gamma: 0.01}})
			return err
		}, "at least one training example"},
		{"N = 0 draw", func() error { w, _ := NewWorld(ok, 1); return w.Draw(context.Background(), 0, 1, 1, &Sample{}) }, "at least one example"},
		{"runs = 0", func() error {
			_, err := Simulate(context.Background(), Experiment{World: ok, Config: Config{N: 5, Runs: 0, Gamma: 0.01}})
			return err
		}, "at least one run"},
		{"γ = 0", func() error {
			_, err := Simulate(context.Background(), Experiment{World: ok, Config: Config{N: 5, Runs: 1}})
			return err
		}, "γ"},
		{"α > 1", func() error { _, err := ParseAlpha("1.5"); return err }, "outside [0,1]"},
		{"α < 0", func() error { _, err := ParseAlpha("-0.1"); return err }, "outside [0,1]"},
		{"α NaN", func() error { _, err := ParseAlpha("NaN"); return err }, "outside [0,1]"},
		{"α not a number", func() error { _, err := ParseAlpha("half"); return err }, "want a number"},
		{"α in spec", func() error { s := ok; s.Alpha = Alpha{Const: 2}; _, err := NewWorld(s, 1); return err }, "outside [0,1]"},
		{"beta A = 0", func() error { _, err := ParseAlpha("beta:0,1"); return err }, "> 0"},
		{"beta one parameter", func() error { _, err := ParseAlpha("beta:2"); return err }, "beta:A,B"},
		{"|R_c| = 1", func() error { _, err := ParseAnswers("1"); return err }, "at least 2"},
		{"|R_c| = 0 in a mix", func() error { _, err := ParseAnswers("0:0.5,3:0.5"); return err }, "at least 2"},
		{"|R_c| < 2 in spec", func() error { s := ok; s.Answers = ConstAnswers(1); _, err := NewWorld(s, 1); return err }, "at least 2"},
		{"answer probabilities", func() error { _, err := ParseAnswers("2:0.5,3:0.4"); return err }, "sum to"},
		{"answers syntax", func() error { _, err := ParseAnswers("two"); return err }, "integer"},
		{"zipf negative", func() error { _, err := ParseMu("zipf:-1"); return err }, "≥ 0"},
		{"mu unknown", func() error { _, err := ParseMu("pareto"); return err }, "uniform, zipf:S or profile:FILE"},
		{"zipf underflow", func() error { s := ok; s.Prompts, s.Mu.S = 1000, 200; _, err := NewWorld(s, 1); return err }, "underflows"},
		{"profile and K disagree", func() error {
			s := ok
			s.Mu = Mu{Kind: FromProfile, Profile: missingmass.FreqOfFreq{{J: 1, F: 3}}}
			_, err := NewWorld(s, 1)
			return err
		}, "counts 3 prompts"},
		{"profile too large", func() error {
			s := ok
			s.Prompts = 0
			s.Mu = Mu{Kind: FromProfile, Profile: missingmass.FreqOfFreq{{J: 1, F: MaxPrompts + 1}}}
			_, err := NewWorld(s, 1)
			return err
		}, "more than the maximum"},
		{"learner", func() error { _, err := ParseLearner("oracle"); return err }, "want calibrated"},
		{"enumerate too big", func() error {
			_, err := Simulate(context.Background(), Experiment{World: zipfWorld(200_000, 1, 1, 365), Config: Config{N: 5, Runs: 1, Gamma: 0.01, Method: Exact}})
			return err
		}, "closed form"},
		{"sweep zipf over a profile", func() error {
			a, _ := ParseAxis("zipf=1,2")
			_, err := Simulate(context.Background(), Experiment{
				World:  WorldSpec{Mu: Mu{Kind: FromProfile, Profile: missingmass.FreqOfFreq{{J: 1, F: 3}}}, Answers: ConstAnswers(3), Alpha: Alpha{Const: 1}},
				Config: Config{N: 5, Runs: 1, Gamma: 0.01}, Sweep: []Axis{a},
			})
			return err
		}, "profile"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.run()
			if err == nil {
				t.Fatalf("no error, want one containing %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q does not contain %q", err, c.want)
			}
		})
	}
}

func TestParseSpecs(t *testing.T) {
	for _, s := range []string{"uniform", "zipf:1", "zipf:0.5"} {
		m, err := ParseMu(s)
		if err != nil || m.String() != s {
			t.Errorf("ParseMu(%q) = %v, %v", s, m, err)
		}
	}
	for _, s := range []string{"365", "2:0.25,365:0.75"} {
		a, err := ParseAnswers(s)
		if err != nil || a.String() != s {
			t.Errorf("ParseAnswers(%q) = %v, %v", s, a, err)
		}
	}
	for _, s := range []string{"0", "1", "0.9", "beta:2,5"} {
		a, err := ParseAlpha(s)
		if err != nil || a.String() != s {
			t.Errorf("ParseAlpha(%q) = %v, %v", s, a, err)
		}
	}
}

// A world's weights follow its μ; |R_c| and α_c follow their laws.
func TestWorldDraws(t *testing.T) {
	w, err := NewWorld(WorldSpec{Prompts: 4, Mu: Mu{Kind: Zipf, S: 2}, Answers: ConstAnswers(3), Alpha: Alpha{Const: 0.5}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	// μ ∝ 1, 1/4, 1/9, 1/16: sum 205/144.
	for c, want := range []float64{144.0 / 205, 36.0 / 205, 16.0 / 205, 9.0 / 205} {
		if got := w.Mu(c); math.Abs(got-want) > 1e-15 {
			t.Errorf("μ(%d) = %v, want %v", c, got, want)
		}
	}
	p := missingmass.FreqOfFreq{{J: 1, F: 2}, {J: 5, F: 1}}
	w, err = NewWorld(WorldSpec{Mu: Mu{Kind: FromProfile, Profile: p}, Answers: ConstAnswers(3), Alpha: Alpha{Const: 1}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if w.Prompts() != 3 || w.Mu(0) != 1.0/7 || w.Mu(1) != 1.0/7 || w.Mu(2) != 5.0/7 {
		t.Errorf("profile world: K = %d, μ = %v %v %v; want 3, 1/7 1/7 5/7", w.Prompts(), w.Mu(0), w.Mu(1), w.Mu(2))
	}

	const k = 100_000
	w, err = NewWorld(WorldSpec{Prompts: k, Answers: Answers{Sizes: []int{2, 365}, Probs: []float64{0.2, 0.8}}, Alpha: Alpha{Beta: true, A: 2, B: 6}}, 3)
	if err != nil {
		t.Fatal(err)
	}
	var twos, alpha float64
	for c := range k {
		if w.Answers(c) == 2 {
			twos++
		}
		alpha += w.Alpha(c)
	}
	// Binomial(10^5, 0.2) has sd 126; Beta(2,6) has mean 1/4 and sd 0.145, so the mean's sd is 4.6e-4.
	if math.Abs(twos-0.2*k) > 6*126 || math.Abs(alpha/k-0.25) > 6*4.6e-4 {
		t.Errorf("|R_c| = 2 for %v prompts (want ≈ %v), mean α %v (want ≈ 0.25)", twos, 0.2*k, alpha/k)
	}
	if w.MinErrors() != 1 || w.MaxErrors() != 364 {
		t.Errorf("min, max |E_c| = %d, %d; want 1, 364", w.MinErrors(), w.MaxErrors())
	}
}

// The alias table's implied probabilities equal the weights it was built
// from, up to its 32-bit coins.
func TestAliasTableIsExact(t *testing.T) {
	q := []float64{0.5, 0, 0.1, 0.25, 1e-9, 0.15 - 1e-9}
	tab := newAliasTable(q, 1)
	n := float64(len(q))
	implied := make([]float64, len(q))
	for i, b := range tab.bucket {
		keep := float64(b.accept) / (1 << 32)
		if b.accept == math.MaxUint32 {
			keep = 1
		}
		implied[i] += keep / n
		implied[b.alias] += (1 - keep) / n
	}
	for i := range q {
		if math.Abs(implied[i]-q[i]) > 1/(n*(1<<32)) {
			t.Errorf("outcome %d: implied probability %v, want %v", i, implied[i], q[i])
		}
	}
}

// Drawn counts match p: each of a small world's 2K outcome counts lies
// within 6 standard deviations of its mean.
func TestDrawMatchesDistribution(t *testing.T) {
	w, err := NewWorld(WorldSpec{Prompts: 5, Mu: Mu{Kind: Zipf, S: 1}, Answers: ConstAnswers(3), Alpha: Alpha{Beta: true, A: 1, B: 1}}, 2)
	if err != nil {
		t.Fatal(err)
	}
	const n = 1_000_000
	var s Sample
	if err := w.Draw(context.Background(), n, 9, 2, &s); err != nil {
		t.Fatal(err)
	}
	for c := range w.Prompts() {
		for i, p := range []float64{w.Mu(c) * w.Alpha(c), w.Mu(c) * (1 - w.Alpha(c))} {
			got := float64(s.counts[2*c+i])
			if sd := math.Sqrt(n * p * (1 - p)); math.Abs(got-n*p) > 6*sd+1 {
				t.Errorf("prompt %d outcome %d: %v draws, want %v ± %v", c, i, got, n*p, sd)
			}
		}
	}
}

// a_c is uniform over R_c and independent of the prompt's index.
func TestAnswerIsUniform(t *testing.T) {
	s := Sample{Seed: 77}
	const k, size = 60_000, 6
	var counts [size]float64
	for c := range k {
		counts[s.answer(c, size)]++
	}
	for r, got := range counts {
		if sd := math.Sqrt(k * (1.0 / size) * (5.0 / size)); math.Abs(got-k/size) > 6*sd {
			t.Errorf("a_c = %d for %v prompts, want %v ± %v", r, got, k/size, sd)
		}
	}
}

func TestDrawCancelled(t *testing.T) {
	w, _ := NewWorld(zipfWorld(10, 1, 1, 2), 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := w.Draw(ctx, 1000, 1, 1, &Sample{}); err != context.Canceled {
		t.Fatalf("Draw with a cancelled context: %v, want context.Canceled", err)
	}
}
