package facts

import (
	"cmp"
	"slices"

	"github.com/hallu-dev/hallu/iiv"
)

// point is one group of rows of a prompt with the same p̂(r|c): its p̂ and
// its contribution p̂(group) − p(group) to p̂(A_z) − p(A_z) when p̂ > z.
type point[T iiv.Scalar[T]] struct {
	phat, diff T
}

// closedForm computes learner l's quantities with the same definitions as
// enumerate (package iiv's), summing each prompt's three groups of rows in
// closed form. With every error of c at the same p̂_e, for μ = μ(c):
//
//	err      += μ·((|R_c|−1)·p̂_e + max(0, 1 − p̂(a_c) − (|R_c|−1)·p̂_e − p̂(IDK)))
//	p̂(A_z)   += μ·p̂(a_c)·[p̂(a_c) > z] + μ·(|R_c|−1)·p̂_e·[p̂_e > z] + μ·p̂(IDK)·[p̂(IDK) > z]
//	p(A_z)   += μ·α_c·[p̂(a_c) > z] + μ·(1−α_c)·[p̂(IDK) > z]
//	D(E∩A_z) += μ/2·[p̂_e > z]            (each error has D = μ/(2|E_c|))
//	err_iiv   = 1/2 − p(A_z)/2 + D(E∩A_z)  (Eq. 2, as iiv sums it)
//
// Unlisted mass (a prediction summing below 1) counts as error, as in iiv.
// max_z δ_z is found by sorting the groups by p̂ and walking the threshold
// down, as iiv does with rows. pts is scratch memory, returned for reuse.
func closedForm[T iiv.Scalar[T]](w *World, s *Sample, sc scalars[T], l Learner, alphaHat T, pts []point[T]) (quantities[T], []point[T]) {
	var zero T
	one := zero.Frac(1, 1)
	half := zero.Frac(1, 2)
	z := zero.Frac(1, int64(w.MinErrors()))
	var errSum, abst, valid, a, b, d iiv.Sum[T]
	pts = pts[:0]
	add := func(phat, diff T) {
		if phat.Sign() > 0 && diff.Sign() != 0 {
			pts = append(pts, point[T]{phat, diff})
		}
	}
	for c := range w.Prompts() {
		size, alpha, mu := w.Answers(c), sc.alpha(c), sc.mu(c)
		pr := predict(l, promptData[T]{alpha: alpha, alphaHat: alphaHat, size: size, answered: s.Answered(c), abstained: s.Abstained(c)})
		errRows := pr.other.Mul(zero.Frac(int64(size-1), 1))
		unlisted := one.Sub(pr.answer.Add(errRows).Add(pr.idk))
		if unlisted.Sign() < 0 {
			unlisted = zero
		}
		errSum.Add(mu.Mul(errRows.Add(unlisted)))
		abst.Add(mu.Mul(pr.idk))
		valid.Add(mu)

		muA, pA := mu.Mul(pr.answer), mu.Mul(alpha)
		muE := mu.Mul(errRows)
		muI, pI := mu.Mul(pr.idk), mu.Mul(one.Sub(alpha))
		if pr.answer.Cmp(z) > 0 {
			a.Add(muA)
			b.Add(pA)
		}
		if pr.other.Cmp(z) > 0 {
			a.Add(muE)
			d.Add(mu.Mul(half))
		}
		if pr.idk.Cmp(z) > 0 {
			a.Add(muI)
			b.Add(pI)
		}
		add(pr.answer, muA.Sub(pA))
		add(pr.other, muE)
		add(pr.idk, muI.Sub(pI))
	}
	q := quantities[T]{
		err:        errSum.Value(),
		threshold:  z,
		pA:         b.Value(),
		phatA:      a.Value(),
		abstention: abst.Value(),
	}
	q.delta = abs(q.phatA.Sub(q.pA))
	q.errIIV = valid.Value().Mul(half).Sub(q.pA.Mul(half)).Add(d.Value())
	q.thm1Bound = q.errIIV.Add(q.errIIV).Sub(zero.Frac(2, 1).Mul(z)).Sub(q.delta)
	q.deltaMaxZ = maxDeltaZ(pts)
	return q, pts
}

// maxDeltaZ returns max_z |Σ_{p̂ > z} diff| over z ∈ [0,1]: the maximum over
// the prefixes of the points sorted by p̂ descending that end between two
// distinct values of p̂ (paper.md §3.7's δ_z).
func maxDeltaZ[T iiv.Scalar[T]](pts []point[T]) T {
	if fp, ok := any(pts).([]point[iiv.Float]); ok {
		slices.SortFunc(fp, func(x, y point[iiv.Float]) int { return cmp.Compare(y.phat, x.phat) })
	} else {
		slices.SortFunc(pts, func(x, y point[T]) int { return y.phat.Cmp(x.phat) })
	}
	var best T
	var sum iiv.Sum[T]
	for i, p := range pts {
		sum.Add(p.diff)
		if i+1 < len(pts) && pts[i+1].phat.Cmp(p.phat) == 0 {
			continue
		}
		if v := abs(sum.Value()); v.Cmp(best) > 0 {
			best = v
		}
	}
	return best
}

func abs[T iiv.Scalar[T]](x T) T {
	if x.Sign() < 0 {
		var zero T
		return zero.Sub(x)
	}
	return x
}
