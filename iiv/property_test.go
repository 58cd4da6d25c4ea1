package iiv

import (
	"math"
	"math/big"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/hallu-dev/hallu/internal/proptest"
)

// TestMain raises rapid's default number of cases, so that every property
// runs over thousands of random instances unless -rapid.checks says otherwise.
func TestMain(m *testing.M) { proptest.Main(m, 3000) }

// genInstance draws a random instance with exact rational probabilities.
// Model probabilities are small integers over a common denominator so that
// ties between rows, zeros and values at the threshold are frequent.
func genInstance(t *rapid.T, singleValid bool) []Row[Rat] {
	nCtx := rapid.IntRange(1, 5).Draw(t, "contexts")
	uniform := rapid.Bool().Draw(t, "uniformMu")
	muW := make([]int64, nCtx)
	var muTotal int64
	for i := range muW {
		muW[i] = rapid.Int64Range(1, 5).Draw(t, "muWeight")
		muTotal += muW[i]
	}
	var rows []Row[Rat]
	for c := 0; c < nCtx; c++ {
		ctx := string(rune('a' + c))
		nV := 1
		if !singleValid {
			nV = rapid.IntRange(1, 3).Draw(t, "valid")
		}
		nE := rapid.IntRange(1, 4).Draw(t, "errors")
		nN := rapid.IntRange(0, 2).Draw(t, "nonsense")
		n := nV + nE + nN
		pw := make([]int64, nV)
		var pTotal int64
		for i := range pw {
			pw[i] = rapid.Int64Range(0, 3).Draw(t, "pWeight")
			pTotal += pw[i]
		}
		if pTotal == 0 {
			pw[0], pTotal = 1, 1
		}
		qw := make([]int64, n)
		var qTotal int64
		for i := range qw {
			qw[i] = rapid.Int64Range(0, 4).Draw(t, "phatWeight")
			qTotal += qw[i]
		}
		unlisted := rapid.Int64Range(0, 2).Draw(t, "unlisted")
		den := qTotal + unlisted
		if den == 0 {
			qw[0], den = 1, 1
		}
		for i := 0; i < n; i++ {
			r := Row[Rat]{Context: ctx, Response: string(rune('A' + i)), Phat: NewRat(qw[i], den), Line: len(rows) + 1}
			switch {
			case i < nV:
				r.Label = Valid
				if i == 1 && !singleValid && rapid.Bool().Draw(t, "idk") {
					r.Label = IDK
				}
				r.P, r.HasP = NewRat(pw[i], pTotal), true
			case i < nV+nE:
				r.Label = Error
			default:
				r.Label = Nonsense
			}
			if !uniform {
				r.Mu, r.HasMu = NewRat(muW[c], muTotal), true
			}
			rows = append(rows, r)
		}
	}
	return rows
}

func analyzeRows[T Scalar[T]](rows []Row[T], zs ...T) (Result[T], error) {
	var acc Accumulator[T]
	for _, r := range rows {
		if err := acc.Add(r); err != nil {
			return Result[T]{}, err
		}
	}
	return acc.Result(zs...)
}

// oracle computes err, err_iiv(z), p(A_z), p̂(A_z) straight from the
// definitions of Section 3.2 of arXiv:2509.04664, context by context, with no shared code.
type oracle struct {
	err             *big.Rat
	k, K            int
	rows            []Row[Rat]
	mu              map[string]*big.Rat
	nE              map[string]int
	validByContext  map[string]int
	contextsInOrder []string
}

func newOracle(rows []Row[Rat]) *oracle {
	o := &oracle{rows: rows, mu: map[string]*big.Rat{}, nE: map[string]int{}, validByContext: map[string]int{}}
	phatSum := map[string]*big.Rat{}
	for _, r := range rows {
		if _, ok := phatSum[r.Context]; !ok {
			phatSum[r.Context] = new(big.Rat)
			o.contextsInOrder = append(o.contextsInOrder, r.Context)
		}
		phatSum[r.Context].Add(phatSum[r.Context], r.Phat.Big())
		if r.Label == Error {
			o.nE[r.Context]++
		}
		if r.Label.isValid() {
			o.validByContext[r.Context]++
		}
		if r.HasMu {
			o.mu[r.Context] = r.Mu.Big()
		}
	}
	if len(o.mu) == 0 {
		for _, c := range o.contextsInOrder {
			o.mu[c] = big.NewRat(1, int64(len(o.contextsInOrder)))
		}
	}
	o.err = new(big.Rat)
	o.K, o.k = math.MaxInt, 0
	for _, c := range o.contextsInOrder {
		o.K = min(o.K, o.nE[c])
		o.k = max(o.k, o.validByContext[c])
		u := new(big.Rat).Sub(big.NewRat(1, 1), phatSum[c])
		o.err.Add(o.err, new(big.Rat).Mul(o.mu[c], u))
	}
	for _, r := range rows {
		if !r.Label.isValid() {
			o.err.Add(o.err, new(big.Rat).Mul(o.mu[r.Context], r.Phat.Big()))
		}
	}
	return o
}

// at returns err_iiv, p(A), p̂(A) for the classifier p̂ > z.
func (o *oracle) at(z *big.Rat) (errIIV, pA, phatA *big.Rat) {
	errIIV, pA, phatA = new(big.Rat), new(big.Rat), new(big.Rat)
	for _, r := range o.rows {
		mu := o.mu[r.Context]
		positive := r.Phat.Big().Cmp(z) > 0
		var D *big.Rat
		switch {
		case r.Label.isValid():
			D = new(big.Rat).Mul(mu, r.P.Big())
			D.Quo(D, big.NewRat(2, 1))
			if !positive {
				errIIV.Add(errIIV, D)
			}
		case r.Label == Error:
			D = new(big.Rat).Quo(mu, big.NewRat(int64(2*o.nE[r.Context]), 1))
			if positive {
				errIIV.Add(errIIV, D)
			}
		}
		if positive {
			phatA.Add(phatA, new(big.Rat).Mul(mu, r.Phat.Big()))
			if r.Label.isValid() {
				pA.Add(pA, new(big.Rat).Mul(mu, r.P.Big()))
			}
		}
	}
	return errIIV, pA, phatA
}

// candidates returns thresholds that cover every step of the step functions:
// 0, 1, every distinct p̂ value and the midpoints between consecutive ones.
func (o *oracle) candidates() []*big.Rat {
	vals := []*big.Rat{new(big.Rat), big.NewRat(1, 1)}
	for _, r := range o.rows {
		vals = append(vals, r.Phat.Big())
	}
	slices.SortFunc(vals, (*big.Rat).Cmp)
	vals = slices.CompactFunc(vals, func(a, b *big.Rat) bool { return a.Cmp(b) == 0 })
	for i := range len(vals) - 1 {
		m := new(big.Rat).Add(vals[i], vals[i+1])
		vals = append(vals, m.Quo(m, big.NewRat(2, 1)))
	}
	return vals
}

func TestTheoremsHoldOnRandomInstances(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		single := rapid.Bool().Draw(t, "singleValid")
		rows := genInstance(t, single)
		o := newOracle(rows)
		// A few arbitrary thresholds besides the paper's.
		var zs []Rat
		for range 3 {
			zs = append(zs, NewRat(rapid.Int64Range(0, 12).Draw(t, "zNum"), 12))
		}
		res, err := analyzeRows(rows, zs...)
		if err != nil {
			t.Fatalf("analyze: %v", err)
		}
		if res.Err.Big().Cmp(o.err) != 0 {
			t.Fatalf("err = %v, oracle %v", res.Err, o.err.RatString())
		}
		if res.MinErrors != o.K || res.MaxValid != o.k {
			t.Fatalf("min|E_c|, max|V_c| = %d, %d; oracle %d, %d", res.MinErrors, res.MaxValid, o.K, o.k)
		}
		check := func(th Threshold[Rat]) {
			e, pA, phatA := o.at(th.Z.Big())
			if th.ErrIIV.Big().Cmp(e) != 0 || th.PA.Big().Cmp(pA) != 0 || th.PhatA.Big().Cmp(phatA) != 0 {
				t.Fatalf("at z=%v: err_iiv, p(A), p̂(A) = %v, %v, %v; oracle %v, %v, %v",
					th.Z, th.ErrIIV, th.PA, th.PhatA, e.RatString(), pA.RatString(), phatA.RatString())
			}
			// Theorem 1 (and its proof's form for larger thresholds).
			if th.BoundHolds && res.Err.Cmp(th.Bound) < 0 {
				t.Fatalf("Theorem 1 violated at z=%v: err %v < bound %v", th.Z, res.Err, th.Bound)
			}
		}
		check(res.Paper)
		for _, th := range res.Thresholds {
			check(th)
		}
		if res.Paper.Z.Big().Cmp(big.NewRat(1, int64(o.K))) != 0 {
			t.Fatalf("paper threshold %v, want 1/%d", res.Paper.Z, o.K)
		}
		if res.Slack.Sign() < 0 {
			t.Fatalf("Theorem 1 slack %v < 0", res.Slack)
		}
		// The rescaling identity: with valid p summing exactly to 1,
		// |dL/ds| at s=1 equals δ exactly.
		if res.DeltaRescale.Cmp(res.Paper.Delta) != 0 {
			t.Fatalf("δ from rescaling %v ≠ δ %v", res.DeltaRescale, res.Paper.Delta)
		}
		// δ_z maximum and the best threshold, against every candidate.
		bestDelta, bestIIV := new(big.Rat), (*big.Rat)(nil)
		for _, z := range o.candidates() {
			e, pA, phatA := o.at(z)
			d := new(big.Rat).Sub(phatA, pA)
			d.Abs(d)
			if d.Cmp(bestDelta) > 0 {
				bestDelta = d
			}
			if bestIIV == nil || e.Cmp(bestIIV) < 0 {
				bestIIV = e
			}
		}
		if res.DeltaMaxZ.Big().Cmp(bestDelta) != 0 {
			t.Fatalf("max δ_z = %v, oracle %v", res.DeltaMaxZ, bestDelta.RatString())
		}
		_, pA, phatA := o.at(res.DeltaMaxZLow.Big())
		if d := new(big.Rat).Sub(phatA, pA); d.Abs(d).Cmp(bestDelta) != 0 {
			t.Fatalf("δ at the reported argmax z=%v is %v, not the max %v", res.DeltaMaxZLow, d.RatString(), bestDelta.RatString())
		}
		if res.MultipleChoice != (o.k == 1) {
			t.Fatalf("MultipleChoice = %v with max|V_c| = %d", res.MultipleChoice, o.k)
		}
		if res.MultipleChoice {
			if res.Opt.Big().Cmp(bestIIV) != 0 {
				t.Fatalf("opt = %v, oracle %v", res.Opt, bestIIV.RatString())
			}
			if e, _, _ := o.at(res.OptLow.Big()); e.Cmp(bestIIV) != 0 {
				t.Fatalf("err_iiv at the reported best threshold %v is %v, not opt", res.OptLow, e.RatString())
			}
			// Theorem 4.
			if res.Err.Cmp(res.MCBound) < 0 {
				t.Fatalf("Theorem 4 violated: err %v < 2(1-1/C)·opt %v", res.Err, res.MCBound)
			}
		}
		// Float mode agrees with exact mode.
		frows := make([]Row[Float], len(rows))
		for i, r := range rows {
			frows[i] = Row[Float]{Context: r.Context, Response: r.Response, Label: r.Label,
				Mu: Float(r.Mu.Float64()), HasMu: r.HasMu, P: Float(r.P.Float64()), HasP: r.HasP,
				Phat: Float(r.Phat.Float64()), Line: r.Line}
		}
		var fzs []Float
		for _, z := range zs {
			fzs = append(fzs, Float(z.Float64()))
		}
		fres, err := analyzeRows(frows, fzs...)
		if err != nil {
			t.Fatalf("float analyze: %v", err)
		}
		near := func(name string, f Float, r Rat) {
			if d := math.Abs(float64(f) - r.Float64()); d > 1e-9 {
				t.Fatalf("%s: float %v, exact %v (diff %g)", name, float64(f), r, d)
			}
		}
		near("err", fres.Err, res.Err)
		near("err_iiv", fres.Paper.ErrIIV, res.Paper.ErrIIV)
		near("delta", fres.Paper.Delta, res.Paper.Delta)
		near("bound", fres.Bound, res.Bound)
		near("delta_max_z", fres.DeltaMaxZ, res.DeltaMaxZ)
		if res.MultipleChoice {
			near("opt", fres.Opt, res.Opt)
			near("mc_bound", fres.MCBound, res.MCBound)
		}
	})
}
