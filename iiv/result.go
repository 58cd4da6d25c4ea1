package iiv

import (
	"errors"
	"fmt"
	"slices"
)

// Result holds every quantity of the reduction for one instance. Rates are
// probabilities under μ; "w" below is μ(c).
type Result[T Scalar[T]] struct {
	Contexts int
	Rows     int
	// Counts of rows by label.
	ValidRows, ErrorRows, IDKRows, NonsenseRows int

	// Err is the generative error rate p̂(E ∪ N) (Eq. 1 with Section 3.2 of arXiv:2509.04664):
	// listed errors, listed nonsense and unlisted model mass.
	Err T
	// ErrListed is p̂(E) over the listed error rows only.
	ErrListed T
	// Nonsense is the model mass on listed nonsense rows.
	Nonsense T
	// Unlisted is the model mass a context leaves on strings the instance
	// does not enumerate, Σ_c μ(c)(1 − Σ_r p̂(r|c)), counted as nonsense.
	// It is treated as lying below every threshold z > 0 (spread over
	// strings each too unlikely to clear it), so it is never in A.
	Unlisted T

	MaxValid  int // max_c |V_c| (valid and IDK responses)
	MinValid  int // min_c |V_c|
	MinErrors int // min_c |E_c|
	MaxErrors int // max_c |E_c|

	// Paper is the analysis at the paper's threshold 1/min_c|E_c|.
	Paper Threshold[T]
	// Thresholds holds the analysis at each threshold the caller asked for.
	Thresholds []Threshold[T]

	// Bound is Theorem 1's lower bound 2·err_iiv − max|V_c|/min|E_c| − δ.
	Bound T
	// Slack is Err − Bound; Theorem 1 says it is never negative.
	Slack T
	// Vacuous reports Bound ≤ 0: the theorem then says nothing.
	Vacuous bool

	// DeltaRescale is |d/ds L(p̂_s)| at s = 1, the derivative of the
	// p-weighted cross-entropy of the rescaled model (Section 3.1, Eq. (3) and Section 3.2 of arXiv:2509.04664,
	// with the weight p(r|c) that v1 of the paper omits from the printed loss). It equals Paper.Delta when every
	// context's valid p sums exactly to 1.
	DeltaRescale T

	// DeltaMaxZ is max_z δ_z over z ∈ [0,1], attained for z in
	// [DeltaMaxZLow, DeltaMaxZHigh).
	DeltaMaxZ                   T
	DeltaMaxZLow, DeltaMaxZHigh T
	// Curve samples δ_z (at most MaxCurvePoints steps, always including the
	// maximum): δ_z is constant for z in [Low, High) of each point.
	Curve []CurvePoint

	// MultipleChoice reports |V_c| = 1 for every context, the setting of
	// Theorems 3 and 4. The fields below are set only then.
	MultipleChoice bool
	// Opt is min_t err_iiv(f̂_t) over t ∈ [0,1], found exactly by sorting,
	// attained for t in [OptLow, OptHigh).
	Opt             T
	OptLow, OptHigh T
	// MCBound is Theorem 3–4's bound 2(1 − 1/C)·Opt, C = min_c|E_c| + 1.
	MCBound T
	// MCSlack is Err − MCBound; never negative by Theorem 4.
	MCSlack T
}

// Threshold is the analysis of the thresholded classifier f̂(c,r) = + iff
// p̂(r|c) > Z.
type Threshold[T Scalar[T]] struct {
	Z      T
	PA     T // p(A), A = {(c,r) : p̂(r|c) > Z}
	PhatA  T // p̂(A)
	Delta  T // |p̂(A) − p(A)|
	ErrIIV T // Pr_{x∼D}[f̂(x) ≠ f(x)] (Eq. 2)
	// Bound is 2·ErrIIV − max|V_c|·Z − Delta, which Theorem 1's proof gives
	// for every Z ≥ 1/min_c|E_c| (at Z = 1/min|E_c| it is Theorem 1). It is
	// meaningful only if BoundHolds is set.
	Bound      T
	BoundHolds bool
}

// CurvePoint is one step of the δ_z curve.
type CurvePoint struct {
	Low, High float64
	Delta     float64
}

// MaxCurvePoints bounds Result.Curve.
const MaxCurvePoints = 512

// Result closes the instance and computes every quantity, at the paper's
// threshold and at each of thresholds (each in [0,1]). Add must not be
// called afterwards.
func (acc *Accumulator[T]) Result(thresholds ...T) (Result[T], error) {
	var res Result[T]
	if acc.done {
		return res, errors.New("iiv: Result called twice")
	}
	if err := acc.flush(); err != nil {
		return res, err
	}
	acc.done = true
	if acc.contexts == 0 {
		return res, errors.New("instance has no rows")
	}
	var zero T
	one := zero.Frac(1, 1)
	for _, z := range thresholds {
		if f := z.Float64(); !isFinite(f) || f < 0 || f > 1 {
			return res, fmt.Errorf("threshold %v is outside [0,1]", f)
		}
	}
	// scale turns the accumulated weights w into μ: w = μ(c) if given, else
	// w = 1 and μ(c) = 1/contexts.
	scale := one
	if acc.withMu > 0 {
		if m := acc.sumMu.Value().Sub(one).Float64(); m > acc.tol() || -m > acc.tol() {
			return res, fmt.Errorf("field mu: μ sums to %v over the contexts, not 1 (tolerance %g)", acc.sumMu.Value().Float64(), acc.tol())
		}
	} else {
		scale = zero.Frac(1, int64(acc.contexts))
	}

	res.Contexts, res.Rows = acc.contexts, acc.rows
	res.ValidRows, res.ErrorRows = acc.counts[Valid], acc.counts[Error]
	res.IDKRows, res.NonsenseRows = acc.counts[IDK], acc.counts[Nonsense]
	res.Err = acc.err.Value().Mul(scale)
	res.ErrListed = acc.errListed.Value().Mul(scale)
	res.Nonsense = acc.nonsense.Value().Mul(scale)
	res.Unlisted = acc.unlisted.Value().Mul(scale)
	res.MaxValid, res.MinValid = acc.maxValid, acc.minValid
	res.MinErrors, res.MaxErrors = acc.minErrors, acc.maxErrors
	res.MultipleChoice = acc.maxValid == 1

	paperZ := zero.Frac(1, int64(acc.minErrors))
	zs := append([]T{paperZ}, thresholds...)
	w := walk(acc.points.merge(), acc.points.positive, zs, acc.validMass.Value(), res.MultipleChoice)
	k := zero.Frac(int64(acc.maxValid), 1)
	finish := func(t thresholdSums[T], z T) Threshold[T] {
		th := Threshold[T]{
			Z:      z,
			PA:     t.b.Mul(scale),
			PhatA:  t.a.Mul(scale),
			ErrIIV: t.errIIV.Mul(scale),
		}
		th.Delta = abs(th.PhatA.Sub(th.PA))
		th.Bound = th.ErrIIV.Add(th.ErrIIV).Sub(k.Mul(z)).Sub(th.Delta)
		th.BoundHolds = z.Cmp(paperZ) >= 0
		return th
	}
	res.Paper = finish(w.at[0], paperZ)
	for i, z := range thresholds {
		res.Thresholds = append(res.Thresholds, finish(w.at[i+1], z))
	}
	res.Bound = res.Paper.Bound
	res.Slack = res.Err.Sub(res.Bound)
	res.Vacuous = res.Bound.Sign() <= 0
	res.DeltaRescale = abs(w.at[0].e.Sub(w.at[0].b).Mul(scale))

	res.DeltaMaxZ = w.deltaMax.Mul(scale)
	res.DeltaMaxZLow, res.DeltaMaxZHigh = w.deltaMaxLow, w.deltaMaxHigh
	for _, s := range w.curve {
		res.Curve = append(res.Curve, CurvePoint{Low: s.low.Float64(), High: s.high.Float64(), Delta: s.delta.Mul(scale).Float64()})
	}
	if res.MultipleChoice {
		res.Opt = w.opt.Mul(scale)
		res.OptLow, res.OptHigh = w.optLow, w.optHigh
		c := int64(acc.minErrors + 1)
		res.MCBound = zero.Frac(2*(c-1), c).Mul(res.Opt)
		res.MCSlack = res.Err.Sub(res.MCBound)
	}
	return res, nil
}

// thresholdSums are the sums over A = {p̂ > z} of a walk state.
type thresholdSums[T Scalar[T]] struct {
	a, b, e T
	errIIV  T
}

type step[T Scalar[T]] struct{ low, high, delta T }

type walked[T Scalar[T]] struct {
	at                        []thresholdSums[T] // one per requested threshold
	deltaMax                  T
	deltaMaxLow, deltaMaxHigh T
	curve                     []step[T]
	opt, optLow, optHigh      T
}

// walk sweeps the threshold z from 1 down to 0 over the points in order of
// p̂, largest first. Between consecutive distinct values of p̂ the set A_z is
// constant, so every threshold-dependent quantity is a step function of z
// and its extrema are found exactly at the steps.
//
// err_iiv(z) = D(V ∖ A_z) + D(E ∩ A_z) = totalValid/2 − b(A_z)/2 + d(A_z),
// using D(c,r) = μ(c)p(r|c)/2 on V and μ(c)/(2|E_c|) on E (Section 3.2 of arXiv:2509.04664).
func walk[T Scalar[T]](points *merger[T], positive int, zs []T, totalValid T, wantOpt bool) walked[T] {
	var zero T
	one := zero.Frac(1, 1)
	half := zero.Frac(1, 2)
	baseIIV := totalValid.Mul(half)

	var w walked[T]
	w.at = make([]thresholdSums[T], len(zs))
	// Requested thresholds, visited from the largest down.
	order := make([]int, len(zs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int { return zs[j].Cmp(zs[i]) })
	// Sample the curve at most MaxCurvePoints times (fewer if p̂ has ties).
	stride := max(1, (positive+MaxCurvePoints-2)/(MaxCurvePoints-1))

	var a, b, d, e Sum[T]
	state := func() thresholdSums[T] {
		bv := b.Value()
		return thresholdSums[T]{a: a.Value(), b: bv, e: e.Value(), errIIV: baseIIV.Sub(bv.Mul(half)).Add(d.Value())}
	}
	// The state before any group is included holds for z ∈ [v_1, 1].
	high := one
	oi := 0
	for g := 0; ; g++ {
		// low is the next distinct positive p̂ value, or 0: the current
		// state holds for z ∈ [low, high).
		low := zero
		if v, ok := points.peek(); ok && v.Sign() > 0 {
			low = v
		}
		s := state()
		for oi < len(order) && zs[order[oi]].Cmp(low) >= 0 {
			w.at[order[oi]] = s
			oi++
		}
		delta := abs(s.a.Sub(s.b))
		if g == 0 || delta.Cmp(w.deltaMax) > 0 {
			w.deltaMax, w.deltaMaxLow, w.deltaMaxHigh = delta, low, high
		}
		if g%stride == 0 || low.Sign() == 0 || delta.Cmp(w.deltaMax) == 0 && w.deltaMaxLow.Cmp(low) == 0 {
			w.curve = append(w.curve, step[T]{low: low, high: high, delta: delta})
		}
		if wantOpt && (g == 0 || s.errIIV.Cmp(w.opt) < 0) {
			w.opt, w.optLow, w.optHigh = s.errIIV, low, high
		}
		if low.Sign() == 0 {
			break
		}
		// Include the group of rows with p̂ = low.
		for {
			v, ok := points.peek()
			if !ok || v.Cmp(low) != 0 {
				break
			}
			p := points.pop()
			a.Add(p.a)
			if p.bd.Sign() < 0 {
				d.Add(zero.Sub(p.bd))
			} else {
				b.Add(p.bd)
			}
			e.Add(p.e)
		}
		high = low
	}
	return w
}
