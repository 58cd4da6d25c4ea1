package main

import (
	"github.com/spf13/cobra"
)

const rootLong = `hallu makes "Why Language Models Hallucinate" (Kalai, Nachum, Vempala,
Zhang 2025) measurable: the bounds of the paper's reduction on a model's
probabilities, the singleton-rate floor of a fact corpus, and the scoring of
eval logs under explicit confidence targets. New here? Run "hallu demo".

Exit status: 0 on success; 1 on bad input data or a failed computation;
2 on a bad command line; 3 when the work ran but its result is partial or
cannot mean what it says (every sample invalid, a column never found,
requests that failed); 70 on an internal error (a bug); 130 when
interrupted. See docs/exit-codes.md.`

// newRootCmd builds the command tree. Each subcommand is defined in its own
// cmd_<name>.go file and added here.
func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "hallu",
		Short:         "Measure why language models hallucinate",
		Long:          rootLong,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newVersionCmd(),
		newBoundCmd(),
		newFloorCmd(),
		newAuditCmd(),
		newScoreCmd(),
		newBenchmarksCmd(),
		newNgramCmd(),
		newServeCmd(),
		newSimCmd(),
		newRunCmd(),
		newDeltaCmd(),
		newProbeCmd(),
		newDemoCmd(),
		newCompareCmd(),
	)
	argsAreUsage(root)
	return root
}
