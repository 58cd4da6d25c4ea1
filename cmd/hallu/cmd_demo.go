package main

import (
	"context"
	"fmt"
	"io"

	"github.com/hallu-dev/hallu/demo"
	"github.com/spf13/cobra"
)

type demoOptions struct {
	out       string
	workers   int
	writeData string
}

const demoLong = `demo runs the paper end to end on real data embedded in the binary, with no
network: it audits 29,411 T-REx facts (ParaRel) for their singleton rate and
Theorem 2's floor; simulates a world with that corpus's singleton rate and
checks each learner against the bounds; scores Qwen3-8B's logged answers
(lm-evaluation-harness) under confidence targets and shows where the
leaderboard flips; and trains n-grams on Moby-Dick to show Corollary 2.
It prints the story with its numbers and writes every plot to one
self-contained HTML page.

--write-data DIR writes the data instead (decompressed, each file's sha256
checked against data/SOURCE.md, which is written beside them), so that the
other commands can be tried on the same files; the documentation's examples
start from it.`

func newDemoCmd() *cobra.Command {
	var opts demoOptions
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "The whole paper in one command, on data shipped inside hallu",
		Long:  demoLong,
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.writeData != "" {
				return runDemoWriteData(cmd.OutOrStdout(), opts.writeData)
			}
			return runDemo(cmd.Context(), cmd.OutOrStdout(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.out, "out", "o", "demo.html", "write the HTML page to `FILE` (atomically)")
	cmd.Flags().IntVar(&opts.workers, "workers", 0, "goroutines for the audit and the simulation (0: one per CPU)")
	cmd.Flags().StringVar(&opts.writeData, "write-data", "", "write the demo's data into `DIR` (created if missing) instead of running it")
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

// runDemoWriteData writes the demo's data into dir and lists what it wrote.
func runDemoWriteData(stdout io.Writer, dir string) error {
	files, err := demo.Export(dir)
	for _, f := range files {
		fmt.Fprintf(stdout, "%s  %d bytes  sha256 %s\n", f.Path, f.Bytes, f.SHA256)
	}
	return err
}
