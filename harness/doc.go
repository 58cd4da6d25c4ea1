// Package harness runs a question-answering benchmark against any
// OpenAI-compatible endpoint under explicit confidence targets (Section 4.2 of "Why
// Language Models Hallucinate", arXiv:2509.04664), and measures the
// calibration term δ of a live model (Section 3.1 and Theorem 1 of arXiv:2509.04664).
//
// A run (Run) asks every selected question once per confidence target t,
// with an instruction that states t and the scoring rule — +1 for a correct
// answer, −t/(1−t) for a wrong one (score.Penalty), 0 for "I don't know" —
// grades the answer with score's matcher (grade.Matcher) or an LLM judge
// that must reply with one of SimpleQA's grades A, B or C (LetterJudge, the
// judge of `hallu score --judge-model` too), and appends the graded sample to
// a JSONL run file (RunFile) in the format `hallu score` reads
// (evallog.ReadRun). Every outcome lands in one of score's four buckets:
// an API failure after the client's retries, an unparseable structured
// reply or judge verdict is Invalid, never a guess.
//
// # Exactly once
//
// A (model, question, target) is done when its record is in the run file,
// whose batches are fsynced before they count. A run that is stopped —
// Ctrl-C, SIGKILL, power loss — and started again asks only what has no
// record; the llm client's cache answers those whose answer had arrived
// but whose record had not been written, so no completed request is sent
// twice. Only requests on the wire at the moment of the stop are sent
// again (the llm package doc says why no client can avoid that; the
// client's Stats.Resent counts them).
//
// # δ
//
// MeasureDelta samples answers from the model and scores reference answers
// with the legacy completions endpoint's echo and logprobs; EstimateDelta
// turns them into p̂(A), p(A) and δ = |p̂(A) − p(A)| with intervals.
package harness
