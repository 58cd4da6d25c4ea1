package main

import (
	"fmt"

	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/spf13/cobra"
)

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print hallu's version, commit and Go release",
		Long: "version prints the version hallu was released as, or for a build from a git checkout the commit, its time and whether " +
			"the work tree had uncommitted changes, as the go command recorded them in the binary; it says so when none was recorded.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), "hallu", provenance.ReadBuild().Long())
			return err
		},
	}
}
