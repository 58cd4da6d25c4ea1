package facts

import "github.com/hallu-dev/hallu/iiv"

// closedForm computes learner l's quantities with the same definitions as
// enumerate (package iiv's), summing each class's three groups of rows in
// closed form (a class of prompts contributes like one prompt of their total
// weight; see classes). total is Σ_c w_c. With every error of a prompt c at
// the same p̂_e, for μ = μ(c):
//
//	err      += μ·((|R_c|−1)·p̂_e + max(0, 1 − p̂(a_c) − (|R_c|−1)·p̂_e − p̂(IDK)))
//	p̂(A_z)   += μ·p̂(a_c)·[p̂(a_c) > z] + μ·(|R_c|−1)·p̂_e·[p̂_e > z] + μ·p̂(IDK)·[p̂(IDK) > z]
//	p(A_z)   += μ·α_c·[p̂(a_c) > z] + μ·(1−α_c)·[p̂(IDK) > z]
//	D(E∩A_z) += μ/2·[p̂_e > z]            (each error has D = μ/(2|E_c|))
//	err_iiv   = 1/2 − p(A_z)/2 + D(E∩A_z)  (Eq. 2, as iiv sums it)
//
// Unlisted mass (a prediction summing below 1) counts as error, as in iiv.
// max_z δ_z is found by sorting the groups by p̂ and walking the threshold
// down, as iiv does with rows; cv is scratch memory for it.
func closedForm[T iiv.Scalar[T]](w *World, cl *classes[T], total T, l Learner, alphaHat T, cv *curve[T]) quantities[T] {
	var zero T
	one := zero.Frac(1, 1)
	half := zero.Frac(1, 2)
	z := zero.Frac(1, int64(w.MinErrors()))
	var errSum, abst, a, b, d iiv.Sum[T]
	cv.reset()
	for i, k := range cl.keys {
		size, alpha, mu := int(k.size), zero.FromFloat(k.alpha), cl.weight[i].Value().Quo(total)
		pr := predict(l, promptData[T]{alpha: alpha, alphaHat: alphaHat, size: size, answered: int(k.answered), abstained: int(k.abstained)})
		errRows := pr.other.Mul(zero.Frac(int64(size-1), 1))
		unlisted := one.Sub(pr.answer.Add(errRows).Add(pr.idk))
		if unlisted.Sign() < 0 {
			unlisted = zero
		}
		errSum.Add(mu.Mul(errRows.Add(unlisted)))
		abst.Add(mu.Mul(pr.idk))

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
		if pr.answer.Cmp(pr.other) == 0 { // unanswered: a_c and the errors form one group
			cv.add(1, pr.other, muA.Sub(pA).Add(muE))
		} else {
			cv.add(0, pr.answer, muA.Sub(pA))
			cv.add(1, pr.other, muE)
		}
		cv.add(2, pr.idk, muI.Sub(pI))
	}
	q := quantities[T]{
		err:        errSum.Value(),
		threshold:  z,
		pA:         b.Value(),
		phatA:      a.Value(),
		abstention: abst.Value(),
	}
	q.delta = abs(q.phatA.Sub(q.pA))
	// D(V) = Σ_c μ(c)·(α_c + 1 − α_c) = 1.
	q.errIIV = half.Sub(q.pA.Mul(half)).Add(d.Value())
	q.thm1Bound = q.errIIV.Add(q.errIIV).Sub(zero.Frac(2, 1).Mul(z)).Sub(q.delta)
	q.deltaMaxZ = cv.max()
	return q
}

func abs[T iiv.Scalar[T]](x T) T {
	if x.Sign() < 0 {
		var zero T
		return zero.Sub(x)
	}
	return x
}
