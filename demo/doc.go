// Package demo runs the whole of "Why Language Models Hallucinate" (Kalai,
// Nachum, Vempala, Zhang 2025) end to end on real data embedded in the
// binary, for `hallu demo`: it audits a fact corpus for its singleton rate
// and Theorem 2's floor, simulates a world with that corpus's singleton
// rate, scores real model outputs under confidence targets, and trains
// n-gram models on public-domain text to show Corollary 2.
//
// Run does the work and does no I/O but reading the embedded data; the
// Result renders as an HTML page (Page) and as a short narrative (Write).
// Export writes the embedded data out, so that the other commands can be
// run on the same files.
// data/SOURCE.md gives the origin and licence of every embedded file.
package demo
