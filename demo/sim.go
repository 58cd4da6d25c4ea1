package demo

import (
	"context"

	"github.com/hallu-dev/hallu/facts"
)

// runSim simulates the Arbitrary Facts model with the audited corpus's
// mention profile: μ(c) ∝ j for each prompt seen j times, N = the corpus's
// answered records, |R_c| = Answers, every prompt answered (α = 1).
func runSim(ctx context.Context, res *Result, workers int) error {
	profile := res.Audit.FreqOfFreq
	e := facts.Experiment{
		World: facts.WorldSpec{
			Mu:      facts.Mu{Kind: facts.FromProfile, Profile: profile},
			Answers: facts.ConstAnswers(Answers),
			Alpha:   facts.Alpha{Const: 1},
		},
		WorldSeed: Seed,
		Config: facts.Config{
			N: int(profile.Answered()), Runs: SimRuns, Seed: Seed, Gamma: Gamma,
			Learners: facts.DefaultLearners, Method: facts.ClosedForm, Workers: workers,
		},
	}
	sim, err := facts.Simulate(ctx, e)
	if err != nil {
		return err
	}
	res.Experiment, res.Simulation = e, sim
	return nil
}
