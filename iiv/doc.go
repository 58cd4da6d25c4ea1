// Package iiv computes the quantities of the paper's reduction from
// generation to Is-It-Valid classification ("Why Language Models
// Hallucinate", Kalai, Nachum, Vempala, Zhang 2025, Sections 3.1–3.2 and
// 3.3.2; Section 3.1, Section 3.2 and Section 3.3.2 of arXiv:2509.04664):
//
//   - the generative error rate err = p̂(E) (Eq. 1), with nonsense and
//     unlisted model mass counted as errors (Section 3.2 of arXiv:2509.04664);
//   - the IIV distribution D and the misclassification rate err_iiv of the
//     thresholded model f̂(c,r) = + iff p̂(r|c) > 1/min_c|E_c| (Eq. 2);
//   - the calibration term δ = |p̂(A) − p(A)|, also as the derivative at s = 1
//     of the cross-entropy of the rescaled model p̂_s (Section 3.1, Eq. (3) and Section 3.2 of arXiv:2509.04664),
//     and δ_z at every threshold z;
//   - Theorem 1's lower bound err ≥ 2·err_iiv − max_c|V_c|/min_c|E_c| − δ;
//   - for pure multiple choice (|V_c| = 1), the best threshold for err_iiv
//     and Theorem 3–4's bound err ≥ 2(1 − 1/C)·opt.
//
// An instance is a list of rows, one per (context, response), each with a
// label (valid, error, idk, nonsense), the data probability p(r|c) and the
// model probability p̂(r|c); see Row. Rows of one context must be
// contiguous, so that an Accumulator can stream an instance of any number of
// contexts.
//
// Every computation is written once, generically over a Scalar: Float
// (float64 with compensated sums) for large instances, Rat (math/big.Rat)
// for exact results on small ones.
package iiv
