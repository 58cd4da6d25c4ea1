// Package instances builds instances of the Is-It-Valid reduction (package
// iiv; Sections 3.1–3.2 and Section 3.3.2 of arXiv:2509.04664) from real models: the bridge between what a
// model says about a set of answers and the quantities err, err_iiv, δ and
// the bounds of Theorems 1, 3 and 4.
//
// Two kinds of source are supported, one small file each:
//
//   - lm-evaluation-harness multiple-choice sample logs (ReadLMEval, on
//     evallog.ReadLMEvalChoices): each question is a context, its choices
//     the responses, the gold choice the one valid response (p = 1) and the
//     others errors; p̂ is the softmax of the choices' log-likelihoods, raw
//     or length-normalised as lm-eval's acc_norm and acc_bytes are. This p̂ is the model's distribution
//     restricted to the plausible set X_c the benchmark offers (Section 3.1
//     of arXiv:2509.04664), not its distribution over all strings: RestrictionNote says so
//     in every report.
//   - candidate sets (CandidateSet, read by CandidateReader and converted
//     from TruthfulQA, CoDEx-S and EntityQuestions): a context with its valid
//     and erroneous candidates, each scored by a live model through a Scorer
//     (an n-gram model directly, or any OpenAI-compatible endpoint that
//     returns prompt log-probabilities) and normalised over the set by Score.
//
// Scored multiple-choice questions from any of the per-choice formats
// (lm-eval ≥ 0.4 and v0.3 logs, HELM scenario states, tables of per-choice
// scores) are read by ReadQuestions into Questions; QuestionRows turns them
// into an instance, and Compare puts several models side by side on the
// questions they share (δ with bootstrap intervals, Theorems 1 and 3).
//
// The instance format of `hallu bound` (iiv.Reader) is the common currency:
// every builder returns []iiv.Row, and iiv.Write writes them as JSONL.
//
// The package reads from io.Readers and talks to a model only through the
// Scorer it is given; it prints nothing.
package instances
