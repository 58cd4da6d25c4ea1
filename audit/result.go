package audit

import (
	"github.com/hallu-dev/hallu/missingmass"
)

// Result is the audit of a corpus. Its JSON form is hallu audit's stable
// schema: keys are only ever added.
type Result struct {
	Kind Kind `json:"kind"`
	Stats
	// Groups holds the same statistics per value of the group column,
	// sorted by group; empty when not grouping.
	Groups []Group `json:"groups"`
	// ConflictExamples are up to Config.ShowConflicts conflicting prompts
	// (those with the smallest key hashes, so the choice does not depend
	// on the order of the input) with their answers.
	ConflictExamples []Conflict `json:"conflict_examples"`
	// ConflictExamplesNote says why no examples are shown although there
	// are conflicts, if so.
	ConflictExamplesNote string `json:"conflict_examples_note,omitempty"`
	// Skipped counts malformed records skipped (Config.SkipBad), and
	// SkippedExamples describes the first few in input order.
	Skipped         int64    `json:"skipped"`
	SkippedExamples []string `json:"skipped_examples"`

	// Run describes how the result was computed; it is not part of the
	// result proper (and not in its JSON), since it depends on the machine.
	Run RunStats `json:"-"`
}

// Stats are the statistics of a set of records: the corpus, or one group.
type Stats struct {
	missingmass.Summary
	// Prompts counts distinct prompts, including those only ever seen
	// with an abstention (AnsweredPrompts excludes them).
	Prompts   int64 `json:"prompts"`
	Abstained int64 `json:"abstained"` // records whose answer is an abstention
	// FreqOfFreq is the frequency-of-frequencies table of answered counts.
	FreqOfFreq missingmass.FreqOfFreq `json:"freq_of_freq"`
	// ConflictingPrompts counts prompts seen with two or more different
	// answers: multi-valued relations, or errors in the data.
	ConflictingPrompts int64 `json:"conflicting_prompts"`
	Bounds
}

// Bounds are Theorem 2's bounds (arXiv:2509.04664) for the records' N and sr,
// given the number of plausible responses per prompt; all null when that
// number is unknown or there are no records. Values are as the theorem
// states them: a floor ≤ 0 says nothing.
type Bounds struct {
	MinWrong *int64   `json:"min_wrong_answers"` // min_c |E_c| = |R_c| − 1
	MaxWrong *int64   `json:"max_wrong_answers"` // max_c |E_c|
	Delta    float64  `json:"delta"`             // δ assumed
	Floor99  *float64 `json:"floor_99"`          // any algorithm: err ≥ this with probability ≥ 99%
	Upper99  *float64 `json:"upper_99"`          // the calibrated algorithm: err ≤ this with probability ≥ 99%
	Floor    *float64 `json:"floor"`             // general-γ form at Config.Gamma
	Upper    *float64 `json:"upper"`             // general-γ form at Config.Gamma
}

// Group is the statistics of the records of one group value.
type Group struct {
	Group string `json:"group"`
	Stats
}

// Conflict is a prompt seen with different answers.
type Conflict struct {
	Prompt          []string      `json:"prompt"`
	Group           *string       `json:"group,omitempty"`
	DistinctAnswers int64         `json:"distinct_answers"`
	Answers         []AnswerCount `json:"answers"` // the most frequent first, at most maxShownAnswers
}

// AnswerCount is an answer and how often the prompt had it.
type AnswerCount struct {
	Answer string `json:"answer"`
	Count  int64  `json:"count"`
}

// RunStats describes the computation behind a Result.
type RunStats struct {
	Workers      int
	MemBytes     int64 // the budget for the counting tables
	SpilledBytes int64 // bytes written to temporary files
	SpillRuns    int64
	Passes       int
	// StaleSpillsRemoved counts the spill directories of killed runs that
	// this run removed (see removeStaleSpills).
	StaleSpillsRemoved int
}

const maxShownAnswers = 10

// theorem2 fills b from Theorem 2 for n records with singleton rate sr
// whose prompts have between minR and maxR plausible responses.
func theorem2(b *Bounds, n int64, sr float64, minR, maxR int64, delta, gamma float64) {
	b.Delta = delta
	if n < 1 || minR < 2 {
		return
	}
	minE, maxE := minR-1, maxR-1
	t := missingmass.Theorem2{N: n, SR: sr, MinE: minE, MaxE: maxE, Delta: delta}
	if t.Validate() != nil {
		return
	}
	f99, u99, f, u := t.Lower99(), t.Upper99(), t.Lower(gamma), t.Upper(gamma)
	b.MinWrong, b.MaxWrong = &minE, &maxE
	b.Floor99, b.Upper99, b.Floor, b.Upper = &f99, &u99, &f, &u
}
