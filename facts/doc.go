// Package facts simulates the Arbitrary Facts model of "Why Language Models
// Hallucinate" (Kalai, Nachum, Vempala, Zhang 2025; Definition 1, Section
// 3.3.1 and Appendix B; Section 3.3.1 of arXiv:2509.04664) and checks Theorem 2 against what
// learners trained on the simulated data actually do.
//
// A World fixes K prompts with weights μ(c), an answer set R_c of |R_c|
// plausible responses and an answer probability α_c per prompt. A run draws
// the correct answer a_c uniformly from each R_c, then N i.i.d. training
// examples from p: a prompt from μ, then a_c with probability α_c and IDK
// otherwise. Each Learner turns the training sample into a model p̂(r|c) over
// R_c ∪ {IDK}. Per run and learner the package reports the singleton rate sr
// (Definition 2), the true abstention-aware missing mass MM (known in
// simulation, Section 3.3.1 of arXiv:2509.04664), the model's err, δ, max_z δ_z, err_iiv and
// Theorem 1's bound, Theorem 2's lower and upper bounds, and whether each
// held.
//
// Every err, δ, δ_z, err_iiv and Theorem 1 bound comes from package iiv's
// definitions. Two paths compute them:
//
//   - Enumerate lists every (c, r) row of the world, V_c = {a_c, IDK} and
//     E_c = R_c ∖ {a_c}, and streams them through an iiv.Accumulator, in
//     float64 or in exact rational arithmetic. It costs K·(|R_c|+1) rows and
//     suits small worlds and tests.
//   - The closed form (the default) uses that every learner here gives the
//     same probability to each of the |R_c|−1 errors of a prompt, so each
//     prompt contributes three groups of rows (a_c, the errors, IDK) whose
//     terms it sums directly; it costs O(K) per learner plus a sort of the
//     distinct model probabilities for max_z δ_z. The tests check that both
//     paths agree exactly in rational arithmetic.
//
// The package does no I/O beyond reading a frequency-of-frequencies profile
// from an io.Reader, and prints nothing.
package facts
