package main

import (
	"github.com/hallu-dev/hallu/report"
	"github.com/hallu-dev/hallu/rescore"
)

// scoreInputs describes the logs `hallu score` read, for its report.
func scoreInputs(in []rescore.LogReport) []report.ScoreInput {
	var out []report.ScoreInput
	for _, i := range in {
		out = append(out, report.ScoreInput{Path: i.Path, Format: string(i.Format), Samples: i.Samples, Skipped: i.Skipped,
			Matched: i.Matched, Reclassified: i.Reclassified, Notes: i.Notes, Problems: i.Problems})
	}
	return out
}
