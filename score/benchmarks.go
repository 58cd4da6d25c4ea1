package score

// Benchmark is one row of the paper's Table 2 (arXiv:2509.04664): how a widely
// used benchmark grades, and whether an "I don't know" can earn credit.
type Benchmark struct {
	Name    string `json:"name"`
	Scoring string `json:"scoring"`
	// Binary reports whether the primary metric is strict right/wrong.
	Binary bool `json:"binary"`
	// IDKCredit is "none" or "partial".
	IDKCredit string `json:"idk_credit"`
	// LMGraded marks the paper's (*): a language model grades, so wrong
	// bluffs are sometimes scored as correct.
	LMGraded bool `json:"lm_graded"`
	// Note is the row's footnote, if any.
	Note string `json:"note,omitempty"`
}

// Table2 is the paper's Table 2: ten benchmarks from the HELM Capabilities
// and Open LLM leaderboards, SWE-bench and HLE (Table 2 of arXiv:2509.04664, Appendix F).
// Nine of ten grade binarily and none but WildBench gives any credit for
// "I don't know".
var Table2 = []Benchmark{
	{Name: "GPQA", Scoring: "Multiple-choice accuracy", Binary: true, IDKCredit: "none"},
	{Name: "MMLU-Pro", Scoring: "Multiple-choice accuracy", Binary: true, IDKCredit: "none"},
	{Name: "IFEval", Scoring: "Programmatic instruction verification", Binary: true, IDKCredit: "none",
		Note: "combines several binary rubric sub-scores into a composite"},
	{Name: "Omni-MATH", Scoring: "Equivalence grading", Binary: true, IDKCredit: "none", LMGraded: true},
	{Name: "WildBench", Scoring: "LM-graded rubric", Binary: false, IDKCredit: "partial", LMGraded: true,
		Note: "its 1–10 rubric can score IDK below a fair answer that contains hallucinations"},
	{Name: "BBH", Scoring: "Multiple-choice / exact-match", Binary: true, IDKCredit: "none"},
	{Name: "MATH (L5 split)", Scoring: "Equivalence grading", Binary: true, IDKCredit: "none", LMGraded: true},
	{Name: "MuSR", Scoring: "Multiple-choice accuracy", Binary: true, IDKCredit: "none"},
	{Name: "SWE-bench", Scoring: "Patch passes unit tests", Binary: true, IDKCredit: "none"},
	{Name: "HLE", Scoring: "Multiple-choice / equivalence grading", Binary: true, IDKCredit: "none", LMGraded: true},
}
