package main

import (
	"io"

	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/report"
	"github.com/hallu-dev/hallu/score"
	"github.com/spf13/cobra"
)

type benchmarksOptions struct {
	JSON bool
}

func newBenchmarksCmd() *cobra.Command {
	var opts benchmarksOptions
	cmd := &cobra.Command{
		Use:   "benchmarks",
		Short: "Print the paper's Table 2: how ten leading benchmarks treat \"I don't know\"",
		Long: `Print Table 2 of "Why Language Models Hallucinate" (arXiv:2509.04664): ten
benchmarks from the HELM Capabilities and Open LLM leaderboards, SWE-bench and
HLE, how each grades, whether the grading is binary and whether an abstention
("I don't know") can earn any credit. Nine of ten grade binarily; only
WildBench gives partial credit. (*) marks LM-graded benchmarks, where a
language model grades and wrong bluffs are sometimes scored as correct.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBenchmarks(opts, cmd.OutOrStdout())
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON (schema-versioned envelope) instead of a table")
	return cmd
}

func runBenchmarks(opts benchmarksOptions, w io.Writer) error {
	if opts.JSON {
		return provenance.WriteJSON(w, provenance.NewEnvelope("benchmarks", nil, map[string]any{"benchmarks": score.Table2}))
	}
	return report.WriteBenchmarksText(w, score.Table2)
}
