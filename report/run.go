package report

import (
	"fmt"
	"io"

	"github.com/hallu-dev/hallu/harness"
	"github.com/hallu-dev/hallu/llm"
	"github.com/hallu-dev/hallu/score"
)

// RunSummary is what one `hallu run` did: the pairs it asked, the requests
// it sent and how long it took.
type RunSummary struct {
	Run      harness.Result `json:"run"`
	Requests llm.Stats      `json:"requests"`
	Seconds  float64        `json:"seconds"`
	RunFile  string         `json:"run_file"`
}

// WriteRunText writes the "Run" table of s, then the score report of the
// run file (WriteScoreText of inputs and rep).
func WriteRunText(w io.Writer, s *RunSummary, inputs []ScoreInput, rep *score.Report) error {
	return writeText(w, append([]Table{runTable(s)}, newScoreTables(inputs, rep).all()...))
}

func runTable(s *RunSummary) Table {
	t := Table{Title: "Run", Header: []string{"pairs", "resumed", "written", "invalid", "requests sent", "retries", "cache hits", "re-sent", "seconds", "pairs/s"}}
	rate := 0.0
	if s.Seconds > 0 {
		rate = float64(s.Run.Written) / s.Seconds
	}
	t.AddRow(s.Run.Pairs, s.Run.Resumed, s.Run.Written, s.Run.Invalid, s.Requests.Sent, s.Requests.Retries,
		s.Requests.CacheHits, s.Requests.Resent, fmt.Sprintf("%.1f", s.Seconds), fmt.Sprintf("%.1f", rate))
	t.Notes = []string{"Run file: " + s.RunFile + ". re-sent: requests an earlier run sent without its answer being kept (possibly billed twice)."}
	return t
}
