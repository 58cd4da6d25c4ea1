// Package score scores question-answering outcomes the way Section 4 of
// "Why Language Models Hallucinate" (Kalai, Nachum, Vempala, Zhang 2025)
// proposes: under an explicit confidence target t, a correct answer earns
// +1, a wrong answer costs t/(1−t) and "I don't know" earns 0
// (Section 4.2 of arXiv:2509.04664), so that binary grading is the special case t = 0.
//
// Around that rule the package computes what an evaluation needs to show
// the paper's point on real outputs: rates with Wilson intervals and stated
// denominators, SimpleQA's F1, the policy "answer iff confidence > t",
// calibration (ECE, MCE, Brier, NLL, reliability bins), selective
// prediction (risk–coverage, AURC), behavioural calibration across targets
// (Section 4.2 of arXiv:2509.04664) and leaderboards that change rank as t rises, with a
// paired bootstrap on shared questions.
//
// Four outcomes are kept apart everywhere and never merged: correct, wrong,
// abstained and invalid (an unparseable grade, an API error, a failed
// extraction). The package does no I/O; package evallog reads eval logs
// into Samples and package grade decides outcomes for samples that lack one.
package score
