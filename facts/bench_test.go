package facts

import (
	"context"
	"testing"
)

// BenchmarkOneRunLarge is issue 3's first target: a world of 10^6 Zipf(1)
// prompts with 365 answers each, N = 10^7, one run with every default
// learner, in the closed form.
func BenchmarkOneRunLarge(b *testing.B) {
	e := Experiment{
		World:  WorldSpec{Prompts: 1_000_000, Mu: Mu{Kind: Zipf, S: 1}, Answers: ConstAnswers(365), Alpha: Alpha{Const: 0.9}},
		Config: Config{N: 10_000_000, Runs: 1, Seed: 1, Gamma: 0.01},
	}
	for b.Loop() {
		if _, err := Simulate(context.Background(), e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOneRunLargeBeta is BenchmarkOneRunLarge with α_c ~ Beta(2,1)
// drawn per prompt: no two prompts share a class, so the closed form works
// prompt by prompt.
func BenchmarkOneRunLargeBeta(b *testing.B) {
	e := Experiment{
		World:  WorldSpec{Prompts: 1_000_000, Mu: Mu{Kind: Zipf, S: 1}, Answers: ConstAnswers(365), Alpha: Alpha{Beta: true, A: 2, B: 1}},
		Config: Config{N: 10_000_000, Runs: 1, Seed: 1, Gamma: 0.01},
	}
	for b.Loop() {
		if _, err := Simulate(context.Background(), e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkManyRuns is issue 3's second target: 1,000 runs of N = 10^5
// over 10^4 Zipf(1) prompts, every default learner.
func BenchmarkManyRuns(b *testing.B) {
	e := Experiment{
		World:  WorldSpec{Prompts: 10_000, Mu: Mu{Kind: Zipf, S: 1}, Answers: ConstAnswers(365), Alpha: Alpha{Const: 0.9}},
		Config: Config{N: 100_000, Runs: 1000, Seed: 1, Gamma: 0.01},
	}
	for b.Loop() {
		if _, err := Simulate(context.Background(), e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDraw times the sampler alone: 10^7 examples over 10^6 Zipf(1)
// prompts (tables beyond the caches) on one goroutine.
func BenchmarkDraw(b *testing.B) {
	w, err := NewWorld(WorldSpec{Prompts: 1_000_000, Mu: Mu{Kind: Zipf, S: 1}, Answers: ConstAnswers(365), Alpha: Alpha{Const: 0.9}}, 1)
	if err != nil {
		b.Fatal(err)
	}
	var s Sample
	for b.Loop() {
		if err := w.Draw(context.Background(), 10_000_000, 1, 1, &s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*1e7/b.Elapsed().Seconds(), "examples/s")
}
