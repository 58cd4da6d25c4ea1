package facts_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/hallu-dev/hallu/facts"
	"github.com/hallu-dev/hallu/missingmass"
)

// Birthdays (Definition 1 of arXiv:2509.04664): 10,000 people, mentioned with Zipf(1)
// frequencies, 365 possible birthdays each, a tenth of the examples saying
// "I don't know". One run of 100,000 training examples.
func ExampleSimulate() {
	sim, err := facts.Simulate(context.Background(), facts.Experiment{
		World: facts.WorldSpec{
			Prompts: 10_000,
			Mu:      facts.Mu{Kind: facts.Zipf, S: 1},
			Answers: facts.ConstAnswers(365),
			Alpha:   facts.Alpha{Const: 0.9},
		},
		Config: facts.Config{N: 100_000, Runs: 1, Seed: 1, Gamma: 0.01},
	})
	if err != nil {
		panic(err)
	}
	run := sim.Points[0].Runs[0]
	fmt.Printf("sr %.4f, MM %.4f\n", run.SR, run.MM)
	for _, l := range run.Learners {
		fmt.Printf("%-15v err %.4f  δ %.4f  Theorem 2 lower bound (99%%) %.4f\n", l.Learner, l.Err, l.Delta, l.Thm2Lower99)
	}
	// Output:
	// sr 0.0230, MM 0.0226
	// calibrated      err 0.0225  δ 0.0000  Theorem 2 lower bound (99%) -0.3116
	// calibrated-est  err 0.0225  δ 0.0000  Theorem 2 lower bound (99%) -0.3116
	// guess           err 0.0250  δ 0.0000  Theorem 2 lower bound (99%) -0.3116
	// abstain         err 0.0000  δ 0.0226  Theorem 2 lower bound (99%) -0.3342
	// addk:1          err 0.5960  δ 0.5558  Theorem 2 lower bound (99%) -0.8674
}

// A world can reproduce a corpus's mention profile: f_j prompts of weight j,
// here μ = j/245.
func ExampleNewWorld_profile() {
	p, err := missingmass.ReadTable(strings.NewReader("j f_j\n1 120\n2 40\n3 15\n"))
	if err != nil {
		panic(err)
	}
	w, err := facts.NewWorld(facts.WorldSpec{Mu: facts.Mu{Kind: facts.FromProfile, Profile: p}, Answers: facts.ConstAnswers(365), Alpha: facts.Alpha{Const: 1}}, 1)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d prompts; μ of a prompt seen once %.5f, three times %.5f\n", w.Prompts(), w.Mu(0), w.Mu(w.Prompts()-1))
	// Output: 175 prompts; μ of a prompt seen once 0.00408, three times 0.01224
}
