package facts

import "github.com/hallu-dev/hallu/iiv"

// Quantities are the figures of the paper's reduction (Sections 3.1–3.2,
// Section 3.2 of arXiv:2509.04664) for one model p̂ in one world, as package iiv defines them,
// with V_c = {a_c, IDK} and E_c = R_c ∖ {a_c} (Definition 1).
type Quantities struct {
	// Err is the generative error rate p̂(E) = Σ_c μ(c) Σ_{r∈E_c} p̂(r|c) (Eq. 1).
	Err float64
	// Threshold is the paper's 1/min_c|E_c|.
	Threshold float64
	// PA and PhatA are p(A) and p̂(A), A = {(c,r) : p̂(r|c) > Threshold}.
	PA, PhatA float64
	// Delta is δ = |p̂(A) − p(A)|.
	Delta float64
	// DeltaMaxZ is max_z δ_z over every threshold z ∈ [0,1] (Appendix B of arXiv:2509.04664).
	DeltaMaxZ float64
	// ErrIIV is the Is-It-Valid misclassification rate at Threshold (Eq. 2).
	ErrIIV float64
	// Thm1Bound is Theorem 1's 2·err_iiv − max_c|V_c|/min_c|E_c| − δ, with
	// max_c|V_c| = 2.
	Thm1Bound float64
	// Abstention is p̂(IDK) = Σ_c μ(c) p̂(IDK|c).
	Abstention float64
}

// quantities is Quantities in arithmetic T.
type quantities[T iiv.Scalar[T]] struct {
	err, threshold, pA, phatA, delta, deltaMaxZ, errIIV, thm1Bound, abstention T
}

func (q quantities[T]) float() Quantities {
	return Quantities{
		Err:        q.err.Float64(),
		Threshold:  q.threshold.Float64(),
		PA:         q.pA.Float64(),
		PhatA:      q.phatA.Float64(),
		Delta:      q.delta.Float64(),
		DeltaMaxZ:  q.deltaMaxZ.Float64(),
		ErrIIV:     q.errIIV.Float64(),
		Thm1Bound:  q.thm1Bound.Float64(),
		Abstention: q.abstention.Float64(),
	}
}

// fromResult takes the quantities from iiv's Result.
func fromResult[T iiv.Scalar[T]](res iiv.Result[T], abstention T) quantities[T] {
	return quantities[T]{
		err:        res.Err,
		threshold:  res.Paper.Z,
		pA:         res.Paper.PA,
		phatA:      res.Paper.PhatA,
		delta:      res.Paper.Delta,
		deltaMaxZ:  res.DeltaMaxZ,
		errIIV:     res.Paper.ErrIIV,
		thm1Bound:  res.Bound,
		abstention: abstention,
	}
}
