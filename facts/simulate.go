package facts

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// Config holds a Monte Carlo experiment's settings besides its world.
type Config struct {
	// N is the number of training examples per run, 1 ≤ N ≤ MaxExamples;
	// unused when a sweep varies N.
	N int
	// Runs is the number of independent runs, ≥ 1.
	Runs int
	// Seed seeds the runs: run r draws its facts and examples from seed
	// Seed + r, so any run can be repeated alone with Runs = 1.
	Seed uint64
	// Gamma is the γ ∈ (0,1) of the general-γ bounds, which hold with
	// probability 1 − γ.
	Gamma float64
	// Learners are the algorithms to evaluate; nil means DefaultLearners.
	Learners []Learner
	// Method chooses how the reduction's quantities are computed.
	Method Method
	// Workers is the number of goroutines; ≤ 0 means GOMAXPROCS. Results do
	// not depend on it.
	Workers int
	// Progress, if set, is called after each run with the runs done and the
	// total; calls are serialised.
	Progress func(done, total int)
}

// Experiment is a world, the runs to make in it, and an optional sweep.
type Experiment struct {
	World WorldSpec
	// WorldSeed draws the world's |R_c| and α_c when they are random.
	WorldSeed uint64
	Config
	// Sweep lists the axes to vary; the experiment runs at every point of
	// their product, the first axis outermost. A zipf axis overrides the
	// world's μ. No axes: one point.
	Sweep []Axis
}

// Simulation is the outcome of an Experiment: one Point per grid point.
type Simulation struct {
	Points []Point
}

// Point is the runs at one point of a sweep, and their summaries per learner.
type Point struct {
	N         int
	Mu        Mu
	Prompts   int
	Runs      []RunResult
	Summaries []Summary
}

// Simulate runs the experiment: at each point of the sweep it draws a world,
// then Runs independent runs in parallel, each drawing the facts a_c and N
// examples and evaluating every learner, and summarises them. It stops
// early, returning ctx's error, when ctx is cancelled.
func Simulate(ctx context.Context, e Experiment) (*Simulation, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	cfg := e.Config
	if cfg.Learners == nil {
		cfg.Learners = DefaultLearners
	}
	// The grid is the product of the axes, the first outermost.
	type gridPoint struct {
		n int
		s float64
	}
	grid := []gridPoint{{cfg.N, e.World.Mu.S}}
	for _, a := range e.Sweep {
		var next []gridPoint
		for _, g := range grid {
			for _, v := range a.Values {
				if a.Param == SweepN {
					g.n = int(v)
				} else {
					g.s = v
				}
				next = append(next, g)
			}
		}
		grid = next
	}
	var done atomic.Int64
	var mu sync.Mutex
	progress := func() {
		if cfg.Progress != nil {
			mu.Lock()
			cfg.Progress(int(done.Add(1)), len(grid)*cfg.Runs)
			mu.Unlock()
		}
	}
	sim := &Simulation{}
	var world *World
	for i, g := range grid {
		spec := e.World
		if swept(e.Sweep, SweepZipf) {
			spec.Mu = Mu{Kind: Zipf, S: g.s}
		}
		if world == nil || spec.Mu.Kind == Zipf && spec.Mu.S != world.spec.Mu.S {
			var err error
			if world, err = NewWorld(spec, e.WorldSeed); err != nil {
				return nil, err
			}
			if err := cfg.checkMethod(world); err != nil {
				return nil, err
			}
		}
		c := cfg
		c.N = g.n
		runs, err := simulatePoint(ctx, world, &c, progress)
		if err != nil {
			if len(grid) > 1 {
				err = fmt.Errorf("sweep point %d (N = %d, μ = %v): %w", i+1, c.N, spec.Mu, err)
			}
			return nil, err
		}
		sim.Points = append(sim.Points, Point{
			N:         c.N,
			Mu:        spec.Mu,
			Prompts:   world.Prompts(),
			Runs:      runs,
			Summaries: summarize(runs, &c),
		})
	}
	return sim, nil
}

// Validate reports whether the experiment's settings are usable: a valid
// world, N, runs, γ and learners, and sweep axes that fit the world.
func (e *Experiment) Validate() error {
	if err := e.World.validate(); err != nil {
		return err
	}
	cfg := e.Config
	if cfg.Learners == nil {
		cfg.Learners = DefaultLearners
	}
	for _, a := range e.Sweep {
		if a.Param != SweepN && a.Param != SweepZipf || len(a.Values) == 0 {
			return fmt.Errorf("sweep axis %v: want n or zipf and at least one value", a.Param)
		}
		if a.Param == SweepZipf && e.World.Mu.Kind == FromProfile {
			return errors.New("sweep zipf: the world's μ comes from a profile, not a Zipf law")
		}
		for _, v := range a.Values {
			switch {
			case a.Param == SweepN && (v < 1 || v > MaxExamples || v != math.Trunc(v)):
				return fmt.Errorf("sweep n: N = %v must be an integer in 1..%d", v, MaxExamples)
			case a.Param == SweepZipf && !(v >= 0 && v <= math.MaxFloat64):
				return fmt.Errorf("sweep zipf: exponent %v must be a number ≥ 0", v)
			case a.Param == SweepN:
				cfg.N = int(v) // N itself is not used
			}
		}
	}
	return cfg.validate()
}

func swept(axes []Axis, p SweepParam) bool {
	for _, a := range axes {
		if a.Param == p {
			return true
		}
	}
	return false
}

func (c *Config) validate() error {
	switch {
	case c.N < 1:
		return fmt.Errorf("N = %d: a run needs at least one training example", c.N)
	case c.N > MaxExamples:
		return fmt.Errorf("N = %d exceeds the maximum %d", c.N, MaxExamples)
	case c.Runs < 1:
		return fmt.Errorf("runs = %d: need at least one run", c.Runs)
	case !(c.Gamma > 0 && c.Gamma < 1):
		return fmt.Errorf("γ = %v: the bounds' confidence 1 − γ needs γ in (0,1)", c.Gamma)
	case len(c.Learners) == 0:
		return errors.New("no learners")
	case c.Method > Exact:
		return fmt.Errorf("unknown method %d", c.Method)
	}
	for _, l := range c.Learners {
		if err := l.validate(); err != nil {
			return err
		}
	}
	return nil
}

// checkMethod refuses to enumerate worlds too large for it.
func (c *Config) checkMethod(w *World) error {
	if c.Method == ClosedForm {
		return nil
	}
	rows := 0
	for p := range w.Prompts() {
		rows += w.Answers(p) + 1
		if rows > MaxEnumerateRows {
			return fmt.Errorf("method %v: the world has more than %d rows (c, r); use the closed form", c.Method, MaxEnumerateRows)
		}
	}
	return nil
}

// simulatePoint makes cfg.Runs runs in w over up to cfg.Workers goroutines.
func simulatePoint(ctx context.Context, w *World, cfg *Config, progress func()) ([]RunResult, error) {
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	outer := min(workers, cfg.Runs)
	inner := max(1, workers/outer)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]RunResult, cfg.Runs)
	errs := make([]error, outer)
	var next atomic.Int64
	var wg sync.WaitGroup
	for g := range outer {
		wg.Go(func() {
			var rn runner
			for {
				i := int(next.Add(1) - 1)
				if i >= cfg.Runs {
					return
				}
				r, err := rn.run(ctx, w, cfg, i, cfg.Seed+uint64(i), cfg.N, inner)
				if err != nil {
					errs[g] = fmt.Errorf("run %d: %w", i, err)
					cancel()
					return
				}
				results[i] = r
				progress()
			}
		})
	}
	wg.Wait()
	// Report a run's own error rather than the cancellations it caused.
	var first error
	for _, e := range errs {
		if e != nil && (first == nil || errors.Is(first, context.Canceled) && !errors.Is(e, context.Canceled)) {
			first = e
		}
	}
	if first != nil {
		return nil, first
	}
	return results, nil
}
