package facts

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/hallu-dev/hallu/missingmass"
)

func simulate(t *testing.T, e Experiment) *Simulation {
	t.Helper()
	sim, err := Simulate(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	return sim
}

func zipfWorld(k int, s, alpha float64, answers int) WorldSpec {
	return WorldSpec{Prompts: k, Mu: Mu{Kind: Zipf, S: s}, Answers: ConstAnswers(answers), Alpha: Alpha{Const: alpha}}
}

// Lemma 1 (Appendix B of arXiv:2509.04664): |MM − sr| ≤ 4.42·sqrt(ln(5/γ)/N) with
// probability ≥ 1 − γ. Over 1,000 seeded runs the interval must contain the
// true MM in at least 99% of them, at γ = 0.01.
func TestLemma1IntervalContainsMM(t *testing.T) {
	sim := simulate(t, Experiment{
		World:  zipfWorld(2000, 1.1, 0.8, 10),
		Config: Config{N: 5000, Runs: 1000, Seed: 7, Gamma: 0.01, Learners: []Learner{{Kind: Calibrated}}},
	})
	runs := sim.Points[0].Runs
	inside := 0
	for _, r := range runs {
		radius := missingmass.Lemma1Radius(int64(r.N), 0.01)
		in := math.Abs(r.MM-r.SR) <= radius
		if in != r.Lemma1Held || r.MMLow != math.Max(0, r.SR-radius) || r.MMHigh != math.Min(1, r.SR+radius) {
			t.Fatalf("run %d: Lemma1Held = %v, interval [%v, %v]; MM %v, sr %v, radius %v", r.Run, r.Lemma1Held, r.MMLow, r.MMHigh, r.MM, r.SR, radius)
		}
		if in {
			inside++
		}
	}
	if inside < 990 {
		t.Fatalf("MM inside Lemma 1's interval in %d of 1000 runs, want ≥ 990", inside)
	}
	if got := sim.Points[0].Summaries[0].Held.Lemma1; got != float64(inside)/1000 {
		t.Fatalf("summary says Lemma 1 held in %v of runs, counted %v", got, float64(inside)/1000)
	}
}

// sr concentrates on MM as N grows: the root-mean-square of sr − MM over
// runs shrinks roughly as 1/√N (Lemma 1), so from N = 10^3 to 10^5 it must
// fall at least threefold.
func TestSingletonRateConcentratesOnMM(t *testing.T) {
	rms := func(n int) float64 {
		sim := simulate(t, Experiment{
			World:  zipfWorld(10_000, 1, 0.9, 365),
			Config: Config{N: n, Runs: 100, Seed: 3, Gamma: 0.01, Learners: []Learner{{Kind: Calibrated}}},
		})
		var s float64
		for _, r := range sim.Points[0].Runs {
			s += (r.SR - r.MM) * (r.SR - r.MM)
		}
		return math.Sqrt(s / 100)
	}
	small, large := rms(1_000), rms(100_000)
	if !(large*3 < small) {
		t.Fatalf("rms(sr − MM) = %v at N = 10^3 and %v at N = 10^5; want at least a threefold fall", small, large)
	}
}

// Simulated runs agree with the identities the tests above prove exactly:
// with α = 1, guess errs on MM·(|R|−1)/|R| in every run, calibrated on the
// same, abstain never; Theorem 1 holds in every run for every learner, and
// Theorem 2's bounds in at least the fraction promised.
func TestRunsMeetTheIdentitiesAndBounds(t *testing.T) {
	sim := simulate(t, Experiment{
		World:  zipfWorld(5000, 1, 1, 365),
		Config: Config{N: 20_000, Runs: 50, Seed: 11, Gamma: 0.01},
	})
	for _, r := range sim.Points[0].Runs {
		want := r.MM * 364 / 365
		for _, l := range r.Learners {
			switch l.Learner.Kind {
			case Guess, Calibrated:
				if math.Abs(l.Err-want) > 1e-12 {
					t.Errorf("run %d %v: err = %v, want MM·364/365 = %v", r.Run, l.Learner, l.Err, want)
				}
			case Abstain:
				if l.Err != 0 || math.Abs(l.Delta-r.MM) > 1e-12 {
					t.Errorf("run %d abstain: err = %v, δ = %v; want 0 and MM = %v", r.Run, l.Err, l.Delta, r.MM)
				}
			}
		}
	}
	for _, s := range sim.Points[0].Summaries {
		if s.Held.Thm1 != 1 {
			t.Errorf("%v: Theorem 1 held in %v of runs, want all", s.Learner, s.Held.Thm1)
		}
		if s.Held.Thm2Lower < s.Promised.Thm2Lower || s.Held.Thm2Lower99 < s.Promised.Thm2Lower99 {
			t.Errorf("%v: Theorem 2's lower bounds held in %v and %v of runs, promised %v and %v",
				s.Learner, s.Held.Thm2Lower, s.Held.Thm2Lower99, s.Promised.Thm2Lower, s.Promised.Thm2Lower99)
		}
		if s.Held.Thm2Upper < s.Promised.Thm2Upper || s.Held.Thm2Upper99 < s.Promised.Thm2Upper99 {
			t.Errorf("%v: Theorem 2's upper bounds held in %v and %v of runs, promised %v and %v",
				s.Learner, s.Held.Thm2Upper, s.Held.Thm2Upper99, s.Promised.Thm2Upper, s.Promised.Thm2Upper99)
		}
	}
}

// The same seed gives the same numbers whatever the number of goroutines,
// both when runs are spread over them and when one run's sample is.
func TestSameSeedSameNumbersAnyWorkers(t *testing.T) {
	for _, runs := range []int{1, 5} {
		e := Experiment{
			World:     WorldSpec{Prompts: 3000, Mu: Mu{Kind: Zipf, S: 0.8}, Answers: Answers{Sizes: []int{5, 365}, Probs: []float64{0.3, 0.7}}, Alpha: Alpha{Beta: true, A: 2, B: 1}},
			WorldSeed: 5,
			Config:    Config{N: 3*chunkSize + 17, Runs: runs, Seed: 42, Gamma: 0.05},
		}
		var first *Simulation
		for _, workers := range []int{1, 2, 3, 8} {
			e.Workers = workers
			sim := simulate(t, e)
			if first == nil {
				first = sim
				continue
			}
			if !reflect.DeepEqual(sim, first) {
				t.Fatalf("runs = %d: %d workers gave different results from 1", runs, workers)
			}
		}
	}
}

// Run r with seed S is run 0 with seed S + r: any run can be repeated alone.
func TestRunSeedsRepeatAlone(t *testing.T) {
	e := Experiment{World: zipfWorld(500, 1, 0.7, 20), Config: Config{N: 2000, Runs: 4, Seed: 100, Gamma: 0.01}}
	all := simulate(t, e).Points[0].Runs
	e.Runs, e.Seed = 1, 103
	alone := simulate(t, e).Points[0].Runs[0]
	alone.Run = 3
	if !reflect.DeepEqual(alone, all[3]) {
		t.Fatalf("run 3 alone differs from run 3 of four")
	}
}

// The closed form, iiv's enumeration in float64 and in exact arithmetic give
// the same figures on a world of 300 prompts with mixed |R_c| and random α_c.
func TestMethodsAgree(t *testing.T) {
	e := Experiment{
		World:     WorldSpec{Prompts: 300, Mu: Mu{Kind: Zipf, S: 1.2}, Answers: Answers{Sizes: []int{3, 12}, Probs: []float64{0.5, 0.5}}, Alpha: Alpha{Beta: true, A: 3, B: 1}},
		WorldSeed: 9,
		Config:    Config{N: 400, Runs: 2, Seed: 1, Gamma: 0.01},
	}
	var results [3][]RunResult
	for m := range results {
		e.Method = Method(m)
		results[m] = simulate(t, e).Points[0].Runs
	}
	for m := 1; m < len(results); m++ {
		for r := range results[0] {
			for i, want := range results[0][r].Learners {
				got := results[m][r].Learners[i]
				a, b := reflect.ValueOf(got.Quantities), reflect.ValueOf(want.Quantities)
				for f := range a.NumField() {
					if d := math.Abs(a.Field(f).Float() - b.Field(f).Float()); d > 1e-12 {
						t.Errorf("run %d %v: %s by %v = %v, closed form %v", r, want.Learner, a.Type().Field(f).Name, Method(m), a.Field(f).Float(), b.Field(f).Float())
					}
				}
			}
		}
	}
	for _, r := range results[Exact] {
		if q := r.Learners[0].Quantities; q.Delta != 0 || q.DeltaMaxZ != 0 {
			t.Errorf("exact calibrated: δ = %v, max δ_z = %v; want 0", q.Delta, q.DeltaMaxZ)
		}
	}
}

// A sweep over N and the Zipf exponent visits the grid's product, first
// axis outermost, and redraws the world only when μ changes.
func TestSweepGrid(t *testing.T) {
	n, _ := ParseAxis("n=100..10000")
	s, _ := ParseAxis("zipf=0.5,1.5")
	sim := simulate(t, Experiment{
		World:  zipfWorld(200, 1, 1, 5),
		Config: Config{Runs: 2, Seed: 1, Gamma: 0.01, Learners: []Learner{{Kind: Guess}}},
		Sweep:  []Axis{n, s},
	})
	var got [][2]float64
	for _, p := range sim.Points {
		got = append(got, [2]float64{float64(p.N), p.Mu.S})
		if len(p.Runs) != 2 || len(p.Summaries) != 1 {
			t.Fatalf("point %v: %d runs, %d summaries", p, len(p.Runs), len(p.Summaries))
		}
	}
	want := [][2]float64{{100, 0.5}, {100, 1.5}, {1000, 0.5}, {1000, 1.5}, {10000, 0.5}, {10000, 1.5}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("grid %v, want %v", got, want)
	}
}
