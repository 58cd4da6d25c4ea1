// Package rescore reads eval logs, grades the samples that need it and
// scores them under explicit confidence targets (Section 4.2 of
// arXiv:2509.04664: +1 correct, −t/(1−t) wrong, 0 abstained): the read →
// grade → dataset → evaluate pipeline behind `hallu score`, the summary of
// `hallu run` and the demo's leaderboard.
//
// Logs is the whole pipeline in one call. A Reader is its first half, for
// callers that take the graded samples themselves: the agreement report of
// `hallu score --reference`, an LLM judge's prefetch, the demo's second,
// cautious leaderboard entry.
package rescore

import (
	"io"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/score"
	"github.com/hallu-dev/hallu/score/grade"
)

// Options says how Logs and a Reader read, grade and score logs.
type Options struct {
	// Format is the logs' format; "" and evallog.Auto detect it (as
	// evallog.SimpleQA when SimpleQATest is set).
	Format evallog.Format
	// Map names the columns of generic JSONL/CSV and SimpleQA prediction
	// logs (nil: the format's defaults).
	Map evallog.ColumnMap
	// Model, if set, is every sample's model; otherwise the log's, else
	// one named after the log's file (ModelFromPath).
	Model string
	// SkipBad skips unreadable records, counting them, instead of failing.
	SkipBad bool
	// GradeValues reads these grade values as these outcomes (hallu, JSONL
	// and CSV logs; see evallog.ParseGradeValues).
	GradeValues map[string]score.Outcome
	// LMEvalFilter, LMEvalMetric and LengthNorm select what an
	// lm-evaluation-harness samples file is read as (see evallog.Options).
	LMEvalFilter, LMEvalMetric string
	LengthNorm                 bool
	// LMEvalResults is the results_*.json whose model name and settings
	// go into each lm-eval log's provenance; "" looks for the one beside
	// each samples file.
	LMEvalResults string
	// InspectScorer is the Inspect scorer whose value is the grade ("":
	// each sample's first).
	InspectScorer string
	// SimpleQATest is the SimpleQA test-set CSV that predictions are
	// joined with ("": none).
	SimpleQATest string
	// Limits bounds the memory one log may take (zero: the defaults).
	Limits evallog.Limits
	// Open, if set, opens the log named path in place of the file system
	// (the demo's embedded log); no results file is then looked for.
	Open func(path string) (io.ReadCloser, error)

	// AbstainPhrases is a phrase file replacing the built-in abstention
	// patterns (grade.ParseDetector); "" keeps them.
	AbstainPhrases string
	// NoAbstainDetect keeps a log's Wrong grades of abstentions as they
	// are, rather than counting them abstained as the confidence-target
	// rule requires.
	NoAbstainDetect bool
	// Regrade grades every sample, ignoring the log's grades.
	Regrade bool
	// Exact, NumTol and Coarse configure the matcher (grade.Matcher).
	Exact  bool
	NumTol float64
	Coarse bool
	// Grader, if set, grades in place of the matcher (an LLM judge).
	Grader grade.Grader

	// AllowRepeats counts records of a hallu, JSONL or CSV log that repeat
	// a (model, id, target) as further samples; without it Logs reports
	// them as an UnusableError.
	AllowRepeats bool
	// Config is score.Evaluate's configuration. Its Seed2 is ignored:
	// Logs derives it from Seed (Seed2).
	Config score.Config
}

// Seed2 is the second word of the bootstrap's PCG state, derived from the
// seed a user gives so that one number names the whole stream.
func Seed2(seed uint64) uint64 { return seed ^ 0x9e3779b97f4a7c15 }
