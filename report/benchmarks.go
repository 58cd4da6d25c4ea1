package report

import (
	"io"

	"github.com/hallu-dev/hallu/score"
)

// WriteBenchmarksText writes benchmarks as Table 2 of arXiv:2509.04664
// (Appendix F) prints them: how each benchmark grades and whether "I don't know" earns credit.
func WriteBenchmarksText(w io.Writer, benchmarks []score.Benchmark) error {
	return writeText(w, []Table{benchmarksTable(benchmarks)})
}

func benchmarksTable(benchmarks []score.Benchmark) Table {
	t := Table{
		Title:  "Table 2 (arXiv:2509.04664): how leading benchmarks grade, and whether \"I don't know\" earns credit",
		Header: []string{"benchmark", "scoring method", "binary grading", "IDK credit", "note"},
	}
	for _, b := range benchmarks {
		scoring := b.Scoring
		if b.LMGraded {
			scoring += " (*)"
		}
		binary := "no"
		if b.Binary {
			binary = "yes"
		}
		t.AddRow(b.Name, scoring, binary, b.IDKCredit, b.Note)
	}
	t.Notes = []string{"(*) graded by a language model: wrong bluffs are sometimes scored as correct."}
	return t
}
