package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/hallu-dev/hallu/audit"
	"github.com/hallu-dev/hallu/facts"
	"github.com/hallu-dev/hallu/ngram"
	"github.com/hallu-dev/hallu/report"
	"github.com/hallu-dev/hallu/score"
)

// The demo's parameters. Each step is what the corresponding command
// computes with these flags on the embedded files (see the README's tour):
//
//	hallu audit --prompt relation,sub_label --answer obj_label --answers 1000 demo/data/pararel_trex.tsv.zst
//	hallu sim --mu uniform --prompts K --n N --answers 1000 --runs 20 (K = SimPrompts(N, sr), N and sr the audit's)
//	hallu score --format lm-eval --model Qwen3-8B --targets 0,0.5,0.75,0.9 demo/data/qwen3-8b_negotiationtom_belief.jsonl.zst
//	hallu ngram cor2
//	hallu ngram cor2 --orders 3 --write-instance cor2.jsonl && hallu bound cor2.jsonl
const (
	// Answers is |R_c|, the plausible answers per prompt assumed for
	// Theorem 2 (so min|E_c| = 999).
	Answers = 1000
	// Gamma is γ: the general-γ bounds hold with probability 1 − γ.
	Gamma = 0.01
	// SimRuns is the number of simulated runs, seeded Seed, Seed+1, ….
	SimRuns = 20
	// Seed seeds the simulation and the scoring's bootstrap.
	Seed = 1
	// Model names the embedded model's samples.
	Model = "Qwen3-8B"
	// AbstainAbove is the confidence at or below which the demo's second
	// leaderboard entry, the same model's answers, says IDK instead.
	AbstainAbove = 0.99
)

// Targets are the confidence targets the outputs are scored at.
var Targets = []float64{0, 0.5, 0.75, 0.9}

// Cor2Orders are the n-gram orders trained for Corollary 2 (those of
// `hallu ngram cor2`).
var Cor2Orders = []int{3, 5, 8, 9}

// Result is everything the demo computed.
type Result struct {
	// Audit is the audit of the embedded facts, with Config.
	Audit       *audit.Result
	AuditConfig audit.Config
	// Experiment is the simulation run in a world with the audit's
	// singleton rate (SimPrompts), and Simulation its outcome.
	Experiment facts.Experiment
	Simulation *facts.Simulation
	// Score is the scoring of the embedded outputs as logged (model Model)
	// and as the same model would have scored saying IDK whenever its
	// confidence is at most AbstainAbove (model Cautious()).
	Score *score.Report
	// Flip is the confidence target at which the cautious entry overtakes
	// the one that always answers (NaN if their scores never cross).
	Flip float64
	// Cor2 is Corollary 2 measured on n-grams trained on Moby-Dick.
	Cor2 []ngram.Cor2Result
	// Bound is the reduction (Theorem 1, δ_z) on the instance of the
	// first of Cor2Orders, as hallu bound computes it.
	Bound report.Bound
	// Steps times each step.
	Steps []Step
}

// Step is the name and duration of one step of the demo.
type Step struct {
	Name    string
	Elapsed time.Duration
}

// Cautious names the leaderboard entry that answers only above
// AbstainAbove.
func Cautious() string { return fmt.Sprintf("%s, IDK unless confidence > %g", Model, AbstainAbove) }

// Run runs the four steps of the demo on the embedded data. workers bounds
// the goroutines of the audit and the simulation (0: one per CPU).
func Run(ctx context.Context, workers int) (*Result, error) {
	res := &Result{}
	steps := []struct {
		name string
		run  func(context.Context, *Result, int) error
	}{
		{"audit", runAudit},
		{"simulation", runSim},
		{"scoring", runScore},
		{"corollary 2", runCor2},
	}
	for _, s := range steps {
		start := time.Now()
		if err := s.run(ctx, res, workers); err != nil {
			return nil, fmt.Errorf("demo %s: %w", s.name, err)
		}
		res.Steps = append(res.Steps, Step{s.name, time.Since(start)})
	}
	return res, nil
}
