package demo

import (
	"context"
	"fmt"
	"math"

	"github.com/hallu-dev/hallu/facts"
)

// runSim simulates the Arbitrary Facts model (Definition 1) in a world
// that reproduces the audited corpus's singleton rate: K equally likely
// prompts (SimPrompts), N = the corpus's records, |R_c| = Answers, every
// prompt answered (α = 1).
func runSim(ctx context.Context, res *Result, workers int) error {
	s := res.Audit.Stats
	k, err := SimPrompts(s.Records, s.SingletonRate)
	if err != nil {
		return err
	}
	e := facts.Experiment{
		World: facts.WorldSpec{
			Prompts: k,
			Mu:      facts.Mu{Kind: facts.Uniform},
			Answers: facts.ConstAnswers(Answers),
			Alpha:   facts.Alpha{Const: 1},
		},
		WorldSeed: Seed,
		Config: facts.Config{
			N: int(s.Records), Runs: SimRuns, Seed: Seed, Gamma: Gamma,
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

// SimPrompts is the number K of equally likely prompts at which n
// examples drawn from them are expected to have singleton rate sr: a
// prompt is drawn exactly once with probability n·(1/K)·(1 − 1/K)^(n−1),
// so the expected singleton rate E[f₁]/n is (1 − 1/K)^(n−1), and
// K = 1/(1 − sr^(1/(n−1))), rounded. A real corpus is a small sample of a
// much larger world of facts; this is the size of world its singleton rate
// implies.
func SimPrompts(n int64, sr float64) (int, error) {
	if n < 2 || !(sr > 0 && sr < 1) {
		return 0, fmt.Errorf("no uniform world has singleton rate %g with N = %d", sr, n)
	}
	k := math.Round(-1 / math.Expm1(math.Log(sr)/float64(n-1)))
	if k > facts.MaxPrompts {
		return 0, fmt.Errorf("a singleton rate of %g with N = %d needs %g prompts, over %d", sr, n, k, facts.MaxPrompts)
	}
	return int(k), nil
}
