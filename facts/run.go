package facts

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/missingmass"
)

// Method chooses how the reduction's quantities are computed.
type Method uint8

const (
	// ClosedForm sums, in float64, the three groups of rows of each class
	// of identical prompts (the default; O(K) per run plus O(classes) per
	// learner).
	ClosedForm Method = iota
	// Enumerate lists every row through an iiv.Accumulator in float64
	// (O(Σ_c |R_c|) per learner; small worlds).
	Enumerate
	// Exact lists every row through an iiv.Accumulator in exact rational
	// arithmetic (small worlds).
	Exact
)

func (m Method) String() string {
	switch m {
	case Enumerate:
		return "enumerate"
	case Exact:
		return "exact"
	}
	return "closed-form"
}

// RunResult is one run: a draw of the facts a_c and of N training examples
// from a world, and what each learner's model does.
type RunResult struct {
	// Run is the run's index and Seed the seed that drew it.
	Run  int
	Seed uint64
	// N is the number of examples, Answered those with an answer.
	N, Answered int
	// Singletons is |S|, the prompts seen exactly once with an answer.
	Singletons int
	// SR is the singleton rate |S|/N (Definition 2).
	SR float64
	// MM is the abstention-aware missing mass Σ_{c∈U} μ(c)·α_c over the
	// prompts U never seen with an answer (Section 3.3.1 of arXiv:2509.04664), known exactly in
	// simulation.
	MM float64
	// MMLow and MMHigh are Lemma 1's interval sr ∓ 4.42·sqrt(ln(5/γ)/N),
	// clipped to [0,1], as missingmass.Summarize gives it; Lemma1Held
	// reports MM inside it.
	MMLow, MMHigh float64
	Lemma1Held    bool
	// AlphaHat is the pooled estimate Answered/N that CalibratedEst uses.
	AlphaHat float64
	// Learners holds one result per learner, in the order asked for.
	Learners []LearnerResult
}

// LearnerResult is what one learner's model does in one run.
type LearnerResult struct {
	Learner Learner
	Quantities
	// Thm2Lower is Theorem 2's lower bound at 1−γ,
	// sr − 2/min|E_c| − 6·ln(3N/γ)/√N − δ, and Thm2Lower99 its printed 99%
	// form sr − 2/min|E_c| − (35 + 6 ln N)/√N − δ; both hold for every
	// algorithm.
	Thm2Lower, Thm2Lower99 float64
	// Thm2Upper is Theorem 2's upper bound at 1−γ,
	// sr − sr/(L+1) + 5·sqrt(ln(5/γ)/N), L = max|E_c|, and Thm2Upper99 its
	// printed 99% form sr − sr/(L+1) + 13/√N. The theorem promises them for
	// the Calibrated algorithm only.
	Thm2Upper, Thm2Upper99 float64
	Held                   Held
}

// Held says which bounds held in a run: Thm1 err ≥ Theorem 1's bound,
// Thm2Lower… err ≥ the lower bounds, Thm2Upper… err ≤ the upper bounds,
// Lemma1 MM within Lemma 1's interval.
type Held struct {
	Thm1, Thm2Lower, Thm2Lower99, Thm2Upper, Thm2Upper99, Lemma1 bool
}

// runner holds the reusable memory of the runs one goroutine makes.
type runner struct {
	sample  Sample
	classes classes[iiv.Float]
	curves  []curve[iiv.Float] // one per learner
	hist    []int64
}

// run draws one run of n examples with the given seed and evaluates every
// learner. workers goroutines draw the sample.
func (rn *runner) run(ctx context.Context, w *World, cfg *Config, index int, seed uint64, n, workers int) (RunResult, error) {
	s := &rn.sample
	if err := w.Draw(ctx, n, seed, workers, s); err != nil {
		return RunResult{}, err
	}
	fof, answered, mm, err := rn.tabulate(w, s)
	if err != nil {
		return RunResult{}, err
	}
	sum, err := missingmass.Summarize(fof, int64(n), cfg.Gamma)
	if err != nil {
		return RunResult{}, err
	}
	r := RunResult{
		Run:        index,
		Seed:       seed,
		N:          n,
		Answered:   answered,
		Singletons: int(sum.Singletons),
		SR:         sum.SingletonRate,
		MM:         mm,
		MMLow:      sum.MissingMassLow,
		MMHigh:     sum.MissingMassHigh,
		AlphaHat:   float64(answered) / float64(n),
	}
	r.Lemma1Held = sum.MissingMassLow <= mm && mm <= sum.MissingMassHigh
	sr := r.SR
	th := missingmass.Theorem2{N: int64(n), SR: sr, MinE: int64(w.MinErrors()), MaxE: int64(w.MaxErrors())}
	if err := th.Validate(); err != nil {
		return RunResult{}, err
	}
	qs, err := rn.evaluate(ctx, cfg, w, s, answered, workers)
	if err != nil {
		return RunResult{}, err
	}
	for i, l := range cfg.Learners {
		q := qs[i]
		th.Delta = q.Delta
		lr := LearnerResult{
			Learner:     l,
			Quantities:  q,
			Thm2Lower:   th.Lower(cfg.Gamma),
			Thm2Lower99: th.Lower99(),
			Thm2Upper:   th.Upper(cfg.Gamma),
			Thm2Upper99: th.Upper99(),
		}
		lr.Held = Held{
			Thm1:        q.Err >= q.Thm1Bound,
			Thm2Lower:   q.Err >= lr.Thm2Lower,
			Thm2Lower99: q.Err >= lr.Thm2Lower99,
			Thm2Upper:   q.Err <= lr.Thm2Upper,
			Thm2Upper99: q.Err <= lr.Thm2Upper99,
			Lemma1:      r.Lemma1Held,
		}
		r.Learners = append(r.Learners, lr)
	}
	return r, nil
}

// tabulate returns the frequency-of-frequencies table of the sample's
// answered counts, the number of answered examples, and MM.
func (rn *runner) tabulate(w *World, s *Sample) (missingmass.FreqOfFreq, int, float64, error) {
	const dense = 1024
	rn.hist = resize(rn.hist, dense)
	clear(rn.hist)
	var sparse map[int64]int64
	var mm iiv.Sum[iiv.Float]
	answered := 0
	for c := range w.Prompts() {
		j := s.Answered(c)
		answered += j
		switch {
		case j == 0:
			mm.Add(iiv.Float(w.Mu(c) * w.Alpha(c)))
		case j < dense:
			rn.hist[j]++
		default:
			if sparse == nil {
				sparse = make(map[int64]int64)
			}
			sparse[int64(j)]++
		}
	}
	m := make(map[int64]int64, len(sparse)+64)
	for j, f := range rn.hist {
		if f > 0 {
			m[int64(j)] = f
		}
	}
	for j, f := range sparse {
		m[j] = f
	}
	fof, err := missingmass.FromMap(m)
	return fof, answered, float64(mm.Value()), err
}

// evaluate computes every learner's quantities on sample s, the learners
// spread over up to workers goroutines (each learner's sums run in one, so
// the results do not depend on workers).
func (rn *runner) evaluate(ctx context.Context, cfg *Config, w *World, s *Sample, answered, workers int) ([]Quantities, error) {
	ls := cfg.Learners
	if len(rn.curves) < len(ls) {
		rn.curves = make([]curve[iiv.Float], len(ls))
	}
	qs := make([]Quantities, len(ls))
	errs := make([]error, len(ls))
	var zero iiv.Float
	alphaHat := zero.Frac(int64(answered), int64(s.N))
	if cfg.Method == ClosedForm {
		rn.classes.build(w, s)
	}
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= len(ls) {
				return
			}
			switch cfg.Method {
			case Enumerate:
				qs[i], errs[i] = enumerated[iiv.Float](ctx, w, s, ls[i], answered)
			case Exact:
				qs[i], errs[i] = enumerated[iiv.Rat](ctx, w, s, ls[i], answered)
			default:
				qs[i] = closedForm(w, &rn.classes, iiv.Float(w.total), ls[i], alphaHat, &rn.curves[i]).float()
			}
			if errs[i] != nil {
				errs[i] = fmt.Errorf("learner %v: %w", ls[i], errs[i])
			}
		}
	}
	var wg sync.WaitGroup
	for range min(workers, len(ls)) - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
	return qs, errors.Join(errs...)
}

// enumerated computes learner l's quantities by enumeration in arithmetic T.
func enumerated[T iiv.Scalar[T]](ctx context.Context, w *World, s *Sample, l Learner, answered int) (Quantities, error) {
	var zero T
	q, err := enumerate(ctx, w, s, newScalars[T](w), l, zero.Frac(int64(answered), int64(s.N)))
	if err != nil {
		return Quantities{}, err
	}
	return q.float(), nil
}
