package audit

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hallu-dev/hallu/internal/input"
)

// Format is the syntax of a records file.
type Format string

// The record formats. TSV fields are taken verbatim (no quoting); CSV
// follows RFC 4180; JSONL holds one JSON object per line.
const (
	TSV   Format = "tsv"
	CSV   Format = "csv"
	JSONL Format = "jsonl"
)

// Kind is what the lines of an input are.
type Kind string

// The input kinds.
const (
	// Records are training examples, one per line (or CSV record).
	Records Kind = "records"
	// Counted are pre-counted prompts: key⇥count lines, the key being
	// everything before the last TAB. Every counted example is answered.
	Counted Kind = "counts"
	// FreqTable is a frequency-of-frequencies table: lines "j f_j"
	// (separated by white space or a comma), as SpadeR, iNEXT and
	// breakaway read them; an optional header line is skipped.
	FreqTable Kind = "freq"
)

// FileColumn is the pseudo-column whose value is the input's base name
// without extensions ("P19" for P19.jsonl.gz), for corpora split into one
// file per relation.
const FileColumn = "@file"

// Source is one input: a name for messages and for FileColumn, and a way
// to open its (decompressed) bytes. Open is called once per pass; a source
// that cannot be opened twice (standard input) gets no conflict examples.
type Source struct {
	Name   string
	Open   func() (io.ReadCloser, error)
	Reopen bool  // whether Open may be called a second time
	Size   int64 // decompressed size in bytes if known (progress only), else 0
}

// Config says how to read the records and what to report.
type Config struct {
	Kind   Kind   // default Records
	Format Format // default: from each source's name (.csv, .jsonl/.json/.ndjson, else TSV)

	// Columns, by 1-based number or by name (names need a header line in
	// TSV and CSV, and are field names in JSONL), or FileColumn.
	Prompt []string // joined into the prompt key (see Key); required for Records
	Answer string   // the response; "" if the corpus has none (then no abstentions or conflicts)
	Group  string   // per-group breakdown; the group becomes part of the prompt key
	Count  string   // multiplicity of the record (a number, or a JSON array whose length is used)
	Header bool     // the first line of each TSV/CSV file names its columns (implied by a column name)

	IDK       []string      // answer values that are abstentions (compared after normalisation)
	Normalize Normalization // applied to prompt fields, answers and groups

	Gamma float64 // 1 − confidence level of the intervals, in (0, 1); default 0.01

	// Theorem 2 (arXiv:2509.04664) needs |R_c|, the number of plausible
	// responses of each prompt (|E_c| = |R_c| − 1). Answers applies to every
	// group not in GroupAnswers; 0 means unknown (no floor is computed).
	Answers      int64
	GroupAnswers map[string]int64
	Delta        float64 // δ of Theorem 1 for the model in question; 0 for a calibrated one

	SkipBad bool // skip and count malformed records instead of failing
	// MemBytes is the memory budget of Run: the counting tables (beyond
	// their share, they spill to TempDir), the read buffers, and the room
	// of long records (see MaxRecord); 0 for no budget.
	MemBytes int64
	// MaxRecord is the longest record read, in bytes (0: DefaultMaxRecord);
	// a longer one is an error (a *LimitError, ErrTooLong), skipped records
	// or not, since where it ends cannot be trusted. Under MemBytes it is
	// also at most a 16th of what the budget leaves after the buffers (see
	// MinMem).
	MaxRecord     int64
	TempDir       string // default os.TempDir()
	Workers       int    // default GOMAXPROCS
	ShowConflicts int    // conflicting prompts to show with their answers (second pass); 0 for none
	Progress      *Progress
}

func (c *Config) setDefaults() {
	if c.Kind == "" {
		c.Kind = Records
	}
	if c.Gamma == 0 {
		c.Gamma = 0.01
	}
}

// A ConfigError is what is wrong with one option of a Config. Validate,
// Run and Scan return one per wrong option, joined (errors.Join).
type ConfigError struct {
	Option string // the field of Config, e.g. "Gamma"
	Reason string
}

func (e *ConfigError) Error() string { return e.Reason }

// NameOptions returns err, what Validate returned, with each *ConfigError
// joined in it prefixed by name(its Option), where name gives one: a
// command names its flags, "--gamma: γ = 2 outside (0, 1)". The errors
// stay *ConfigErrors underneath.
func NameOptions(err error, name func(option string) string) error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var errs []error
		for _, e := range j.Unwrap() {
			errs = append(errs, NameOptions(e, name))
		}
		return errors.Join(errs...)
	}
	var ce *ConfigError
	if errors.As(err, &ce) {
		if n := name(ce.Option); n != "" {
			return fmt.Errorf("%s: %w", n, err)
		}
	}
	return err
}

func (c *Config) validate() error {
	var errs []error
	bad := func(option, format string, args ...any) {
		errs = append(errs, &ConfigError{Option: option, Reason: fmt.Sprintf(format, args...)})
	}
	switch c.Kind {
	case Records:
		if len(c.Prompt) == 0 {
			bad("Prompt", "records need prompt columns (e.g. subject,relation)")
		}
		if len(c.IDK) > 0 && c.Answer == "" {
			bad("IDK", "abstention values given but no answer column")
		}
	case Counted, FreqTable:
		if len(c.Prompt) > 0 || c.Answer != "" || c.Group != "" || c.Count != "" || len(c.IDK) > 0 {
			bad("Kind", "%s inputs take no prompt, answer, group, count or abstention columns", c.Kind)
		}
	default:
		bad("Kind", "unknown input kind %q (want records, counts or freq)", c.Kind)
	}
	switch c.Format {
	case "", TSV, CSV, JSONL:
	default:
		bad("Format", "unknown format %q (want tsv, csv or jsonl)", c.Format)
	}
	if !(c.Gamma > 0 && c.Gamma < 1) {
		bad("Gamma", "γ = %v outside (0, 1)", c.Gamma)
	}
	if c.Answers == 1 || c.Answers < 0 {
		bad("Answers", "answers per prompt |R_c| = %d: need at least 2 (one right, one wrong)", c.Answers)
	}
	for _, g := range slices.Sorted(maps.Keys(c.GroupAnswers)) {
		if k := c.GroupAnswers[g]; k < 2 {
			bad("GroupAnswers", "group %q: answers per prompt |R_c| = %d: need at least 2", g, k)
		}
	}
	if !(c.Delta >= 0 && c.Delta <= 1) {
		bad("Delta", "δ = %v outside [0, 1]", c.Delta)
	}
	for _, o := range []struct {
		option, what string
		v            int64
	}{{"ShowConflicts", "conflicts to show", int64(c.ShowConflicts)}, {"MemBytes", "memory budget", c.MemBytes},
		{"Workers", "worker count", int64(c.Workers)}, {"MaxRecord", "record limit", c.MaxRecord}} {
		if o.v < 0 {
			bad(o.option, "negative %s %d", o.what, o.v)
		}
	}
	return errors.Join(errs...)
}

// DefaultMaxRecord is the default of Config.MaxRecord: the limit every
// hallu reader puts on a line.
const DefaultMaxRecord = input.DefaultMaxLine

// minRecordLimit is the least record limit a small memory budget imposes:
// a record this long fits in one read buffer, which MinMem counts.
const minRecordLimit = chunkBytes / 2

// recordLimit returns the longest record a pass reads, the field of c
// that raises it ("MaxRecord", or "MemBytes" where the budget lowers it),
// and the room reserved in the memory budget for a record that long: the
// reader's copy and buffer, and the parser's copies, about 8 times its
// length. One long record is in work at a time (see
// scanner.big), so the reserve does not grow with the workers.
func (c *Config) recordLimit() (limit int64, option string, reserve int64) {
	limit, option = c.MaxRecord, "MaxRecord"
	if limit == 0 {
		limit = DefaultMaxRecord
	}
	if c.MemBytes <= 0 {
		return limit, option, 0
	}
	avail := max(c.MemBytes-MinMem(max(c.Workers, 1)), 0)
	if share := max(avail/16, minRecordLimit); share < limit {
		limit, option = share, "MemBytes"
	}
	return limit, option, min(8*limit, avail/2)
}

// formatOf returns the format of a source: the configured one, else by its
// name's extension after any compression suffix.
func formatOf(configured Format, name string) Format {
	if configured != "" {
		return configured
	}
	switch strings.ToLower(filepath.Ext(trimCompression(name))) {
	case ".csv":
		return CSV
	case ".jsonl", ".json", ".ndjson":
		return JSONL
	}
	return TSV
}

func trimCompression(name string) string {
	for _, ext := range []string{".gz", ".gzip", ".zst", ".zstd"} {
		if strings.HasSuffix(strings.ToLower(name), ext) {
			return name[:len(name)-len(ext)]
		}
	}
	return name
}

// FileValue returns the value of FileColumn for a source name: its base
// name without compression and format extensions.
func FileValue(name string) string {
	base := filepath.Base(trimCompression(name))
	if ext := filepath.Ext(base); ext != "" && ext != base {
		base = strings.TrimSuffix(base, ext)
	}
	return base
}
