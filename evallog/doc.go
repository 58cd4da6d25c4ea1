// Package evallog reads the evaluation logs people already have into
// score.Samples, so that they can be re-scored under explicit confidence
// targets (Section 4.2 of arXiv:2509.04664) without running the models again.
//
// Formats (see ../shared/formats.md for the tools' own conventions):
//
//	hallu         hallu's run file: JSONL of score.Sample (ReadRun, RunWriter)
//	jsonl, csv    any JSONL or CSV file, with a ColumnMap naming its columns
//	simpleqa      SimpleQA's test-set CSV joined with a predictions file
//	lm-eval       lm-evaluation-harness samples_*.jsonl (and results_*.json
//	              for provenance)
//	inspect       Inspect AI .eval (ZIP) and .json logs
//	openai-evals  openai/evals run logs (oaieval record JSONL)
//	litcab        LitCab/CaT model outputs with confidences and judged
//	              correctness
//	truthfulqa    TruthfulQA's human-judged answers (finetune_truth.jsonl)
//
// ReadLMEvalChoices reads the multiple-choice samples of an lm-eval log with
// everything their choices carry (per-choice log-likelihoods, the choices'
// texts as lm-eval's doc_to_choice gives them, the gold index, the sample's
// own acc and acc_norm), for callers that need more than a graded sample;
// Read grades the same samples through the same parser.
//
// Read detects the format from the content when asked to. Readers stream
// where the format allows and hand each sample to a callback; they do no
// grading beyond what the log records (package grade does the rest). A
// record that cannot be read is an *Error naming file, line or entry and
// field; with Options.SkipBad it is counted in Stats instead.
package evallog
