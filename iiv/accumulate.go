package iiv

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"unicode/utf8"
)

// DefaultTolerance is how far a context's valid p may sum from 1, and its p̂
// above 1, before the instance is rejected. Probabilities are never
// silently renormalised.
const DefaultTolerance = 1e-6

// An Accumulator streams the rows of an instance, context by context, and
// computes a Result. Rows of one context must be contiguous.
//
// Memory: one point of 4 scalars per row, kept for the threshold walk (δ_z
// at every z, the best threshold, and the paper's threshold 1/min_c|E_c|,
// which is known only once every context has been seen), the rows of the
// current context, and 8 bytes per context to detect a context that
// reappears after another.
type Accumulator[T Scalar[T]] struct {
	// Tolerance overrides DefaultTolerance when positive.
	Tolerance float64

	// The current context: its name, its rows, and its responses (their
	// bytes end to end, ending at ends[i]; their hashes; their positions by
	// hash, once the context is large).
	context   string
	cur       []Row[T] // without their strings
	responses []byte
	ends      []int
	seenRsp   []uint64
	rspIndex  map[uint64][]int
	seenCtx   map[uint64]struct{} // hashes of the contexts seen
	seed      maphash.Seed

	points    runs[T]
	contexts  int
	rows      int
	counts    [5]int // by Label
	withMu    int
	sumMu     Sum[T]
	err       Sum[T] // Σ_c w_c (p̂(E_c ∪ N_c) + unlisted_c)
	errListed Sum[T] // Σ_c w_c p̂(E_c), listed errors only
	nonsense  Sum[T] // Σ_c w_c p̂(N_c), listed nonsense
	unlisted  Sum[T] // Σ_c w_c (1 − Σ_r p̂(r|c))
	validMass Sum[T] // Σ_c w_c Σ_{r∈V_c} p(r|c), ≈ 1 after scaling
	minErrors int
	maxErrors int
	maxValid  int
	minValid  int
	done      bool
}

// point is one row's contribution to threshold-dependent sums.
type point[T Scalar[T]] struct {
	phat T
	a    T // w·p̂(r|c): the row's mass under p̂
	// bd is w·p(r|c) ≥ 0, the mass under p, for a valid row, and −D(c,r) =
	// −w/(2|E_c|) < 0 for an error row: a row has at most one of the two.
	bd T
	e  T // w·P_c·p̂(r|c), P_c = Σ_{V_c} p: the rescaling derivative's term
}

func (acc *Accumulator[T]) tol() float64 {
	if acc.Tolerance > 0 {
		return acc.Tolerance
	}
	return DefaultTolerance
}

// Add adds one row. Errors name the row's line and field.
func (acc *Accumulator[T]) Add(r Row[T]) error {
	return add(acc, r.Context, r.Response, r)
}

// text is a string or its bytes: rows come as Row values or, from a Reader,
// as bytes that are copied only when kept.
type text interface{ ~string | ~[]byte }

// add adds row n with the given context and response; n's own strings are
// ignored.
func add[T Scalar[T], S text](acc *Accumulator[T], context, response S, n Row[T]) error {
	if acc.done {
		return errors.New("iiv: Add after Result")
	}
	if acc.seenCtx == nil {
		acc.seenCtx = make(map[uint64]struct{})
		acc.seed = maphash.MakeSeed()
		acc.minErrors = -1
		acc.minValid = -1
	}
	if err := acc.checkRow(n); err != nil {
		return err
	}
	if len(acc.cur) > 0 && string(context) != acc.context {
		if err := acc.flush(); err != nil {
			return err
		}
	}
	if len(acc.cur) == 0 {
		acc.context = string(context)
		h := maphash.String(acc.seed, acc.context)
		if _, dup := acc.seenCtx[h]; dup {
			return fmt.Errorf("line %d: field context: context %q appears again after other contexts; rows of a context must be contiguous", n.Line, clip(acc.context))
		}
		acc.seenCtx[h] = struct{}{}
		acc.responses = acc.responses[:0]
		acc.ends = acc.ends[:0]
		acc.seenRsp = acc.seenRsp[:0]
		clear(acc.rspIndex)
	}
	acc.responses = append(acc.responses, response...)
	acc.ends = append(acc.ends, len(acc.responses))
	if err := acc.checkResponse(n.Line); err != nil {
		return err
	}
	n.Context, n.Response = "", ""
	acc.cur = append(acc.cur, n)
	return nil
}

// response returns the i-th response of the current context.
func (acc *Accumulator[T]) response(i int) []byte {
	start := 0
	if i > 0 {
		start = acc.ends[i-1]
	}
	return acc.responses[start:acc.ends[i]]
}

// checkResponse rejects the last response of the current context if it was
// given before. It compares 64-bit hashes first and the bytes only on a
// match: by linear scan in small contexts, through an index in large ones.
func (acc *Accumulator[T]) checkResponse(line int) error {
	n := len(acc.seenRsp)
	r := acc.response(n)
	h := maphash.Bytes(acc.seed, r)
	dup := func(i int) bool { return acc.seenRsp[i] == h && bytes.Equal(acc.response(i), r) }
	if n < 64 {
		for i := range n {
			if dup(i) {
				return acc.dupError(line, r)
			}
		}
	} else {
		if n == 64 {
			if acc.rspIndex == nil {
				acc.rspIndex = make(map[uint64][]int)
			}
			for i, x := range acc.seenRsp {
				acc.rspIndex[x] = append(acc.rspIndex[x], i)
			}
		}
		for _, i := range acc.rspIndex[h] {
			if dup(i) {
				return acc.dupError(line, r)
			}
		}
		acc.rspIndex[h] = append(acc.rspIndex[h], n)
	}
	acc.seenRsp = append(acc.seenRsp, h)
	return nil
}

func (acc *Accumulator[T]) dupError(line int, response []byte) error {
	return fmt.Errorf("line %d: field response: response %q appears twice in context %q", line, clip(string(response)), clip(acc.context))
}

func (acc *Accumulator[T]) checkRow(r Row[T]) error {
	tol := acc.tol()
	if r.Label < Valid || r.Label > Nonsense {
		return fmt.Errorf("line %d: field label: invalid label %v", r.Line, r.Label)
	}
	if f := r.Phat.Float64(); !isFinite(f) || f < 0 || f > 1+tol {
		return fmt.Errorf("line %d: field phat: p̂ = %v is not a probability", r.Line, f)
	}
	if r.HasP {
		if f := r.P.Float64(); !isFinite(f) || f < 0 || f > 1+tol {
			return fmt.Errorf("line %d: field p: p = %v is not a probability", r.Line, f)
		}
		if !r.Label.isValid() && r.P.Sign() != 0 {
			return fmt.Errorf("line %d: field p: a %v response has p = %v, but the data distribution puts no mass outside V (p(E) = 0)", r.Line, r.Label, r.P.Float64())
		}
	}
	if r.HasMu {
		if f := r.Mu.Float64(); !isFinite(f) || f <= 0 || f > 1+tol {
			return fmt.Errorf("line %d: field mu: μ = %v is not a positive probability", r.Line, f)
		}
	}
	return nil
}

// contextAt names a context in messages, formatted only when one is made.
type contextAt struct {
	name string
	line int
}

func (c contextAt) String() string { return fmt.Sprintf("context %q (line %d)", clip(c.name), c.line) }

// maxQuoted is the most bytes of a context or response an error quotes.
const maxQuoted = 200

// clip shortens s for an error message, at a rune boundary, so that a
// huge context never makes a huge message.
func clip(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	n := maxQuoted
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return fmt.Sprintf("%s… (%d bytes)", s[:n], len(s))
}

// flush closes the current context: validates it and adds its rows' contributions.
func (acc *Accumulator[T]) flush() error {
	rows := acc.cur
	acc.cur = acc.cur[:0]
	if len(rows) == 0 {
		return nil
	}
	where := contextAt{acc.context, rows[0].Line}
	var zero T
	one := zero.Frac(1, 1)
	tol := zero.FromFloat(acc.tol())

	var nV, nE, nWithP int
	var mu T
	hasMu := false
	for _, r := range rows {
		acc.counts[r.Label]++
		switch {
		case r.Label.isValid():
			nV++
			if r.HasP {
				nWithP++
			}
		case r.Label == Error:
			nE++
		}
		if r.HasMu {
			if hasMu && r.Mu.Cmp(mu) != 0 {
				return fmt.Errorf("line %d: field mu: μ = %v differs from %v given earlier for %s", r.Line, r.Mu.Float64(), mu.Float64(), where)
			}
			mu, hasMu = r.Mu, true
		}
	}
	if nE == 0 {
		return fmt.Errorf("%s has no error responses: |E_c| = 0, so D and the threshold 1/min_c|E_c| are undefined", where)
	}
	if nV == 0 {
		return fmt.Errorf("%s has no valid responses: p(·|c) must put mass 1 on V_c", where)
	}
	if nWithP != 0 && nWithP != nV {
		return fmt.Errorf("%s: field p: given on %d of its %d valid responses; give it on all or none (none means uniform)", where, nWithP, nV)
	}
	if acc.contexts > 0 && hasMu != (acc.withMu > 0) {
		return fmt.Errorf("%s: field mu: given on some contexts only; give μ on every context or on none (uniform)", where)
	}

	var pSum, phatSum Sum[T]
	for i := range rows {
		if rows[i].Label.isValid() && nWithP == 0 {
			rows[i].P = zero.Frac(1, int64(nV))
		}
		if rows[i].Label.isValid() {
			pSum.Add(rows[i].P)
		}
		phatSum.Add(rows[i].Phat)
	}
	P := pSum.Value()
	if P.Sub(one).Float64() > tol.Float64() || one.Sub(P).Float64() > tol.Float64() {
		return fmt.Errorf("%s: field p: valid responses' p sums to %v, not 1 (tolerance %g)", where, P.Float64(), acc.tol())
	}
	phatTotal := phatSum.Value()
	if phatTotal.Sub(one).Float64() > tol.Float64() {
		return fmt.Errorf("%s: field phat: p̂ sums to %v over the listed responses, more than 1 (tolerance %g)", where, phatTotal.Float64(), acc.tol())
	}
	unlisted := one.Sub(phatTotal)
	if unlisted.Sign() < 0 {
		unlisted = zero
	}

	w := one
	if hasMu {
		w = mu
		acc.withMu++
		acc.sumMu.Add(mu)
	}
	dErr := w.Quo(zero.Frac(int64(2*nE), 1))
	wP := w.Mul(P)
	var errMass, listedErr, nonsense Sum[T]
	for _, r := range rows {
		pt := point[T]{phat: r.Phat, a: w.Mul(r.Phat), e: wP.Mul(r.Phat)}
		switch r.Label {
		case Valid, IDK:
			pt.bd = w.Mul(r.P)
		case Error:
			pt.bd = zero.Sub(dErr)
			listedErr.Add(r.Phat)
			errMass.Add(r.Phat)
		case Nonsense:
			nonsense.Add(r.Phat)
			errMass.Add(r.Phat)
		}
		acc.points.add(pt)
	}
	errMass.Add(unlisted)
	acc.err.Add(w.Mul(errMass.Value()))
	acc.errListed.Add(w.Mul(listedErr.Value()))
	acc.nonsense.Add(w.Mul(nonsense.Value()))
	acc.unlisted.Add(w.Mul(unlisted))
	acc.validMass.Add(wP)

	acc.contexts++
	acc.rows += len(rows)
	if acc.minErrors < 0 || nE < acc.minErrors {
		acc.minErrors = nE
	}
	acc.maxErrors = max(acc.maxErrors, nE)
	acc.maxValid = max(acc.maxValid, nV)
	if acc.minValid < 0 || nV < acc.minValid {
		acc.minValid = nV
	}
	return nil
}
