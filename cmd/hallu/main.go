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
	"runtime/debug"
	"syscall"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/harness"
	"github.com/hallu-dev/hallu/rescore"
	"github.com/spf13/cobra"
)

// Exit codes: the only place they are defined. exitCode maps an error to
// one; docs/exit-codes.md and `hallu --help` describe them.
const (
	exitOK        = 0
	exitError     = 1  // bad input data, an unreadable file, a failed computation
	exitUsage     = 2  // bad command line: unknown command or flag, bad flag value, wrong arguments
	exitUnusable  = 3  // the work ran but its result is partial or cannot mean what it says
	exitInternal  = 70 // a bug in hallu (a panic); sysexits.h's EX_SOFTWARE
	exitCancelled = 130
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line args and returns the process exit code.
// A panic in the command's goroutine is reported as a bug with exit 70,
// not Go's default exit 2, which would read as a usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer recoverPanic(stderr, &code)
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	err = withFlagHint(cmd, err)
	code = exitCode(err)
	switch code {
	case exitOK:
	case exitCancelled:
		fmt.Fprintln(stderr, "hallu: interrupted")
	default:
		fmt.Fprintf(stderr, "hallu: %v\n", err)
	}
	return code
}

// recoverPanic, deferred, turns a panic into exitInternal in *code and a
// report on stderr.
func recoverPanic(stderr io.Writer, code *int) {
	if p := recover(); p != nil {
		fmt.Fprintf(stderr, "hallu: internal error (a bug in hallu; please report it with the command line): %v\n%s", p, debug.Stack())
		*code = exitInternal
	}
}

// exitCode is the process exit code for err, the error a command returned.
func exitCode(err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, context.Canceled):
		return exitCancelled
	case errors.As(err, new(usageError)):
		return exitUsage
	case errors.As(err, new(unusableError)), errors.As(err, new(*harness.FailureError)),
		errors.As(err, new(*evallog.ColumnError)), errors.As(err, new(*rescore.UnusableError)):
		return exitUnusable
	default:
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

// unusableError marks a result that was computed but cannot mean what it
// would say (every sample invalid, a column never found, requests that
// failed), so that main exits with exitUnusable.
type unusableError struct{ err error }

func (e unusableError) Error() string { return e.err.Error() }
func (e unusableError) Unwrap() error { return e.err }

func unusablef(format string, args ...any) error {
	return unusableError{fmt.Errorf(format, args...)}
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

// argsAreUsage makes every argument check in the tree under c return a
// usageError: cobra's own validators (MinimumNArgs, NoArgs, …) return
// plain errors, and a command with subcommands but no action of its own
// would otherwise report an unknown subcommand as a plain error (or print
// its help and succeed).
func argsAreUsage(c *cobra.Command) {
	for _, sub := range c.Commands() {
		argsAreUsage(sub)
	}
	if c.HasSubCommands() && !c.Runnable() {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
				if cmd.SuggestionsMinimumDistance <= 0 {
					cmd.SuggestionsMinimumDistance = 2
				}
				if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
					msg += fmt.Sprintf(" (did you mean %q?)", s[0])
				}
				return usagef("%s; see %s --help", msg, cmd.CommandPath())
			}
			return nil
		}
		c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
		return
	}
	if check := c.Args; check != nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			err := check(cmd, args)
			if err != nil && !errors.As(err, new(usageError)) {
				err = usageError{fmt.Errorf("%s: %w; see --help", cmd.CommandPath(), err)}
			}
			return err
		}
	}
}
