// Package missingmass computes, from counts alone, the quantities that
// Theorem 2 of "Why Language Models Hallucinate" (Kalai, Nachum, Vempala,
// Zhang 2025) is stated in: the frequency-of-frequencies table of a training
// sample, its singleton rate (Definition 2), the Good–Turing estimate of the
// abstention-aware missing mass with Lemma 1's interval, Good's coverage,
// Chao1's estimate of the number of prompts, and Theorem 2's lower bound on
// the error of any algorithm and upper bound for the calibrated one.
//
// Sections, definitions and theorems are those of arXiv:2509.04664.
// The package does no I/O and prints nothing; package audit turns records
// into the counts it consumes.
package missingmass
