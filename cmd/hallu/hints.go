package main

import (
	"errors"
	"fmt"

	"github.com/hallu-dev/hallu/audit"
	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/instances"
	"github.com/hallu-dev/hallu/rescore"
	"github.com/spf13/cobra"
)

// The libraries' errors name the option of their configuration that
// resolves them (a LimitError's Option, a FormatError's Option), never a
// flag; withFlagHint names the flag of the command that ran.

// limitFlags maps the option that raises a reader's limit to its flag.
var limitFlags = map[string]string{
	"MaxLine": "max-line", "MaxDocument": "max-doc", "MaxSamples": "max-samples", // evallog.Limits
	"MaxRecord": "max-record", "MemBytes": "mem", // audit.Config
}

// formatHints maps the option that resolves an evallog.FormatError to its
// flag and the words that give it.
var formatHints = map[string]struct{ flag, format string }{
	"Format":        {"format", "; give --%s"},
	"Map":           {"map", "; map them with --%s"},
	"SimpleQATest":  {"simpleqa-test", " (--%s)"},
	"LMEvalResults": {"lm-eval-results", " (--%s)"},
}

// withFlagHint returns err, the error cmd returned, with the flag of cmd
// that resolves it appended to its message, if the libraries said which
// option does and cmd has a flag for it.
func withFlagHint(cmd *cobra.Command, err error) error {
	if err == nil || cmd == nil {
		return err
	}
	has := func(flag string) bool { return flag != "" && cmd.Flags().Lookup(flag) != nil }
	var le *evallog.LimitError // audit.LimitError is the same type
	if errors.As(err, &le) && has(limitFlags[le.Option]) {
		return hinted{err, " (raise it with --" + limitFlags[le.Option] + ")"}
	}
	var fe *evallog.FormatError
	if errors.As(err, &fe) {
		if h, ok := formatHints[fe.Option]; ok && has(h.flag) {
			return hinted{err, fmt.Sprintf(h.format, h.flag)}
		}
	}
	var ue *rescore.UnusableError
	if errors.As(err, &ue) && ue.Repeats && has("allow-repeats") {
		return hinted{err, " (--allow-repeats)"}
	}
	if errors.Is(err, instances.ErrRawOnly) && has("norm") {
		return hinted{err, " (give --norm raw)"}
	}
	return err
}

// hinted is an error with a flag hint after its message.
type hinted struct {
	err  error
	hint string
}

func (e hinted) Error() string { return e.err.Error() + e.hint }
func (e hinted) Unwrap() error { return e.err }

// auditFlags maps the fields of audit.Config to hallu audit's flags.
var auditFlags = map[string]string{
	"Kind": "kind", "Format": "format", "Prompt": "prompt", "IDK": "idk", "Gamma": "gamma",
	"Answers": "answers", "GroupAnswers": "answers", "Delta": "delta", "ShowConflicts": "show-conflicts",
	"MemBytes": "mem", "Workers": "workers", "MaxRecord": "max-record",
}

// auditFlagErrors names, in each audit.ConfigError joined in err (what
// audit.Config.Validate returns), the flag of hallu audit that set the
// option: "--gamma: γ = 2 outside (0, 1)".
func auditFlagErrors(err error) error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var errs []error
		for _, e := range j.Unwrap() {
			errs = append(errs, auditFlagErrors(e))
		}
		return errors.Join(errs...)
	}
	var ce *audit.ConfigError
	if errors.As(err, &ce) && auditFlags[ce.Option] != "" {
		return fmt.Errorf("--%s: %w", auditFlags[ce.Option], err)
	}
	return err
}
