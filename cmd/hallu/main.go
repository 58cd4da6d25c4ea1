// Command hallu measures the quantities of "Why Language Models Hallucinate"
// (Kalai, Nachum, Vempala, Zhang 2025) on real models, corpora and eval logs.
//
// Each subcommand lives in its own file (cmd_<name>.go): it parses flags,
// opens inputs, calls one library entry point and renders the result with
// package report. No mathematics lives here.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// Exit codes, documented in `hallu --help`.
const (
	exitOK        = 0
	exitError     = 1 // bad input, failed computation
	exitUsage     = 2 // bad flags or arguments
	exitCancelled = 130
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line args and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "hallu: interrupted")
		return exitCancelled
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "hallu: %v\n", err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "hallu: %v\n", err)
		return exitError
	}
}

// usageError marks errors in the command line itself (flags, arguments), as
// opposed to errors in the data, so that main can exit with exitUsage.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// exactArgs is cobra.ExactArgs with a usage error, so that main exits 2.
func exactArgs(n int) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s: want %d argument(s), got %d; see --help", cmd.CommandPath(), n, len(args))
		}
		return nil
	}
}
