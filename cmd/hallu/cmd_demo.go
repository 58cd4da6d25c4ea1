package main

import (
	"context"
	"io"

	"github.com/hallu-dev/hallu/demo"
	"github.com/spf13/cobra"
)

type demoOptions struct {
	out     string
	workers int
}

const demoLong = `demo runs the paper end to end on real data embedded in the binary, with no
network: it audits 29,411 T-REx facts (ParaRel) for their singleton rate and
Theorem 2's floor; simulates a world with that corpus's singleton rate and
checks each learner against the bounds; scores Qwen3-8B's logged answers
(lm-evaluation-harness) under confidence targets and shows where the
leaderboard flips; and trains n-grams on Moby-Dick to show Corollary 2.
It prints the story with its numbers and writes every plot to one
self-contained HTML page.`

func newDemoCmd() *cobra.Command {
	var opts demoOptions
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "The whole paper in one command, on data shipped inside hallu",
		Long:  demoLong,
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), cmd.OutOrStdout(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.out, "out", "o", "demo.html", "write the HTML page to `FILE` (atomically)")
	cmd.Flags().IntVar(&opts.workers, "workers", 0, "goroutines for the audit and the simulation (0: one per CPU)")
	return cmd
}

func runDemo(ctx context.Context, stdout io.Writer, opts demoOptions) error {
	res, err := demo.Run(ctx, opts.workers)
	if err != nil {
		return err
	}
	if err := res.Write(stdout); err != nil {
		return err
	}
	if err := writePage(opts.out, res.Page); err != nil {
		return err
	}
	return demo.WriteNext(stdout, opts.out)
}
