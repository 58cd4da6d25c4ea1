package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/hallu-dev/hallu/audit"
	"github.com/hallu-dev/hallu/beam/pipeline"
)

// The pipeline and its metrics, as run uses them.
var (
	auditPipeline = pipeline.Audit
	shuffleOf     = pipeline.ShuffleOf
)

// options are hallu-beam's own flags: --input and --output, and hallu
// audit's options under the same names.
type options struct {
	inputs, idk, answers list
	output               string
	kind, format         string
	prompt, normalize    commaList
	answer, group, count string
	header, skipBad      bool
	gamma, delta         float64
	showConflicts        int
}

func (o *options) register(f *flag.FlagSet) {
	f.Var(&o.inputs, "input", "`PATTERN` of input files (local, gs://, s3://; globs allowed); repeatable")
	f.StringVar(&o.output, "output", "", "`FILE` to write the JSON result to (local, gs://, s3://)")
	f.StringVar(&o.kind, "kind", "records", "input kind: records or counts (key<TAB>count)")
	f.StringVar(&o.format, "format", "", "records format: tsv, csv or jsonl (default: by file extension, else tsv)")
	f.Var(&o.prompt, "prompt", "`COLS` joined into the prompt key, e.g. subject,relation")
	f.StringVar(&o.answer, "answer", "", "answer `COL` (without it every record counts as answered)")
	f.StringVar(&o.group, "group", "", "`COL` for a per-group breakdown (the group becomes part of the prompt)")
	f.StringVar(&o.count, "count", "", "`COL` holding how many times the record occurs (a number, or a JSON array's length)")
	f.BoolVar(&o.header, "header", false, "the first line of each TSV/CSV file names its columns (implied by column names)")
	f.Var(&o.idk, "idk", "answer `VALUE` that is an abstention (repeatable)")
	f.Var(&o.normalize, "normalize", "normalise values before comparing: nfc, case, space (comma-separated)")
	f.Float64Var(&o.gamma, "gamma", 0.01, "intervals hold with probability 1−γ")
	f.Var(&o.answers, "answers", "plausible answers per prompt |R_c|: `K` for all, or GROUP=K (repeatable)")
	f.Float64Var(&o.delta, "delta", 0, "the model's calibration error δ in Theorem 2's floor")
	f.BoolVar(&o.skipBad, "skip-bad", false, "skip malformed records, counting them, instead of stopping")
	f.IntVar(&o.showConflicts, "show-conflicts", 5, "conflicting prompts to show with their answers (a second pass over the input); 0 for none")
}

// usageError is a mistake in the flags: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// config turns the flags into the audit's configuration, with hallu
// audit's checks and messages.
func (o options) config() (audit.Config, error) {
	if len(o.inputs) == 0 {
		return audit.Config{}, usagef("--input is required")
	}
	if o.output == "" {
		return audit.Config{}, usagef("--output is required (a local path, gs:// or s3://)")
	}
	cfg := audit.Config{
		Kind: audit.Kind(o.kind), Format: audit.Format(o.format),
		Prompt: o.prompt, Answer: o.answer, Group: o.group, Count: o.count, Header: o.header,
		IDK: o.idk, Gamma: o.gamma, Delta: o.delta, SkipBad: o.skipBad, ShowConflicts: o.showConflicts,
	}
	var err error
	if cfg.Normalize, err = audit.ParseNormalization(o.normalize); err != nil {
		return cfg, usagef("--normalize %v", err)
	}
	if cfg.Answers, cfg.GroupAnswers, err = audit.ParseAnswers(o.answers); err != nil {
		return cfg, usagef("--answers %v", err)
	}
	if o.gamma == 0 { // Config.Gamma 0 is its default, 0.01; on the command line it is out of range
		return cfg, usagef("--gamma 0: want a number in (0, 1)")
	}
	if err := cfg.Validate(); err != nil {
		return cfg, usageError{audit.NameOptions(err, configFlag)}
	}
	return cfg, nil
}

// configFlags maps the fields of audit.Config to hallu-beam's flags.
var configFlags = map[string]string{
	"Kind": "kind", "Format": "format", "Prompt": "prompt", "IDK": "idk", "Gamma": "gamma",
	"Answers": "answers", "GroupAnswers": "answers", "Delta": "delta", "ShowConflicts": "show-conflicts",
}

// configFlag is the flag that sets option, a field of audit.Config, for
// audit.NameOptions: "--gamma".
func configFlag(option string) string {
	if f := configFlags[option]; f != "" {
		return "--" + f
	}
	return ""
}

// list is a repeatable string flag.
type list []string

func (l *list) String() string     { return strings.Join(*l, " ") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

// commaList is a comma-separated, repeatable string flag, as cobra's
// StringSlice that hallu audit uses.
type commaList []string

func (l *commaList) String() string { return strings.Join(*l, ",") }
func (l *commaList) Set(v string) error {
	if v != "" {
		*l = append(*l, strings.Split(v, ",")...)
	}
	return nil
}
