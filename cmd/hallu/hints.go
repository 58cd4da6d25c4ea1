package main

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/instances"
	"github.com/hallu-dev/hallu/report"
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
	if msg := err.Error(); flagText(msg, has) != msg {
		return retold{err, flagText(msg, has)}
	}
	return err
}

// libraryFlags maps the options the libraries name in their advice and
// notes ("give Options.GradeValues yes=wrong,no=correct") to hallu's flags.
var libraryFlags = map[string]string{
	"Options.Map": "map", "Options.GradeValues": "grade-values", "Options.SkipBad": "skip-bad", // evallog.Options
	"Options.LMEvalFilter": "lm-eval-filter",
	"BuildOptions.Norm":    "norm", "BuildOptions.SkipBad": "skip-bad", // instances.BuildOptions
	"Endpoint.Method": "method", "Endpoint.Seed": "seed", // instances.Endpoint
	"AgreeOptions.Map": "ref-map", // rescore.AgreeOptions
}

// libraryOptions lists libraryFlags' keys, longest first, so that no option is
// read as the start of a longer one.
var libraryOptions = slices.SortedFunc(maps.Keys(libraryFlags), func(a, b string) int {
	return cmp.Or(len(b)-len(a), strings.Compare(a, b))
})

// flagText returns s with each option libraryFlags knows replaced by its
// flag, "--grade-values", where has(flag) says the command has that flag.
func flagText(s string, has func(flag string) bool) string {
	var pairs []string
	for _, o := range libraryOptions {
		if strings.Contains(s, o) && has(libraryFlags[o]) {
			pairs = append(pairs, o, "--"+libraryFlags[o])
		}
	}
	if pairs == nil {
		return s
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// noteFlags lists, for each command that shows the notes of a library, the
// flags of libraryFlags it has.
var noteFlags = map[string][]string{
	"score": {"map", "grade-values", "skip-bad", "lm-eval-filter"}, // evallog's notes
	"bound": {"norm", "skip-bad", "method", "seed"},                // instances.Build's and ScoreEndpoint's
	"delta": {"method", "seed"},                                    // instances.ScoreEndpoint's
}

// flagNotes returns notes, what a library noted for hallu's command, with
// the options in them named by the command's flags.
func flagNotes(command string, notes []string) []string {
	has := func(flag string) bool { return slices.Contains(noteFlags[command], flag) }
	out := make([]string, len(notes))
	for i, n := range notes {
		out[i] = flagText(n, has)
	}
	return out
}

// hinted is an error with a flag hint after its message.
type hinted struct {
	err  error
	hint string
}

func (e hinted) Error() string { return e.err.Error() + e.hint }
func (e hinted) Unwrap() error { return e.err }

// retold is an error whose message names flags where err's names options.
type retold struct {
	err error
	msg string
}

func (e retold) Error() string { return e.msg }
func (e retold) Unwrap() error { return e.err }

// serveAllowAdvice tells a client hallu serve refuses for its host or
// origin which flag would allow it (serve.Server.AllowAdvice).
func serveAllowAdvice(option, value string) string {
	flag := map[string]string{"AllowHosts": "allow-host", "AllowOrigins": "allow-origin"}[option]
	return fmt.Sprintf("hallu serve is started with --%s %s", flag, value)
}

// auditAdvice names hallu audit's flags in its report.
var auditAdvice = report.AuditAdvice{Answers: "--answers", AllRows: "--freq-csv or --json give them all"}

// auditFlags maps the fields of audit.Config to hallu audit's flags.
var auditFlags = map[string]string{
	"Kind": "kind", "Format": "format", "Prompt": "prompt", "IDK": "idk", "Gamma": "gamma",
	"Answers": "answers", "GroupAnswers": "answers", "Delta": "delta", "ShowConflicts": "show-conflicts",
	"MemBytes": "mem", "Workers": "workers", "MaxRecord": "max-record",
}

// auditFlag is the flag of hallu audit that sets option, a field of
// audit.Config, for audit.NameOptions: "--gamma".
func auditFlag(option string) string {
	if f := auditFlags[option]; f != "" {
		return "--" + f
	}
	return ""
}
