// Package instances builds instances of the Is-It-Valid reduction (package
// iiv; Sections 3.1–3.2 and Section 3.3.2 of arXiv:2509.04664) from real models: the bridge between what a
// model says about a set of answers and the quantities err, err_iiv, δ and
// the bounds of Theorems 1, 3 and 4.
//
// Build is the one entry point from a source on disk to an instance: it
// opens the file (plain, gzip or zstd; a CoDEx or HELM run directory by its
// layout), reads it in one of BuildFormats, scores candidate sets on an
// Endpoint, and returns the rows with the inputs' sha256 and the notes
// every report must carry. Under it, two kinds of source:
//
//   - scored multiple-choice questions: lm-evaluation-harness sample logs
//     (ReadLMEval, on evallog.ReadLMEvalChoices), lm-eval v0.3 and HELM
//     files and tables of per-choice scores (ReadQuestions, QuestionRows).
//     Each question is a context, its choices the responses, the gold
//     choice the one valid response (p = 1) and the others errors; p̂ is
//     the softmax of the choices' scores (raw or length-normalised as
//     lm-eval's acc_norm and acc_bytes are). This p̂ is the model's
//     distribution restricted to the plausible set X_c the benchmark offers
//     (Section 3.1 of arXiv:2509.04664), not its distribution over all
//     strings: RestrictionNote says so, and what p̂ was made from, in every
//     report. Compare puts several models side by side on the questions
//     they share (δ with bootstrap intervals, Theorems 1 and 3).
//   - candidate sets (CandidateSet, read by ReadCandidates and converted
//     from multiple-choice items, lm-eval logs, TruthfulQA, CoDEx-S and
//     EntityQuestions): a context with its valid and erroneous candidates,
//     each scored by a live model through a Scorer (an n-gram model
//     directly, or any OpenAI-compatible endpoint that returns prompt
//     log-probabilities) and normalised over the set by Score, or by
//     first-token probabilities over the options (ScoreChoices);
//     ScoreEndpoint picks the method an endpoint has.
//
// The instance format of `hallu bound` (iiv.Reader) is the common currency:
// every builder returns []iiv.Row, and iiv.Write writes them as JSONL.
//
// The line (or CSV record) and the document each reader holds at once are
// bounded by evallog.Limits. The package prints nothing; progress is
// reported through ScoreOptions.Progress.
package instances
