package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/hallu-dev/hallu/audit"
	"github.com/hallu-dev/hallu/internal/atomicfile"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/missingmass"
	"github.com/hallu-dev/hallu/report"
	"github.com/spf13/cobra"
)

// auditOptions are the flags of hallu audit.
type auditOptions struct {
	kind, format           string
	prompt                 []string
	answer, group, count   string
	header                 bool
	idk                    []string
	normalize              []string
	gamma, delta           float64
	answers                []string
	skipBad                bool
	mem                    string
	maxRecord              int64
	tmp                    string
	workers, showConflicts int
	json, quiet            bool
	freqCSV                string
	html                   string
}

const auditLong = `Audit a corpus of facts for the hallucination floor of Theorem 2 of "Why
Language Models Hallucinate": count how often each prompt is seen with an
answer, and report the singleton rate sr (Definition 2: prompts seen exactly
once with a non-abstaining answer, over all N records, abstentions
included), the Good–Turing missing mass with Lemma 1's interval, Good's
coverage, Chao1, the frequency-of-frequencies table, the prompts seen with
conflicting answers, and, given the number of plausible answers per prompt
(--answers), the floor on the error of any model trained on the corpus and
the error of the calibrated algorithm.

Inputs are files, globs or - (standard input): TSV, CSV or JSONL records,
plain, gzip or zstd. Columns are 1-based numbers or names (a header line for
TSV/CSV, field names for JSONL), or @file for the file's base name.
--kind counts reads key<TAB>count lines; --kind freq reads "j f_j" tables.`

func newAuditCmd() *cobra.Command {
	var o auditOptions
	cmd := &cobra.Command{
		Use:   "audit [flags] FILE...",
		Short: "Singleton rate, missing mass and Theorem 2's floor of a fact corpus",
		Long:  auditLong,
		Example: `  hallu audit --prompt subject,relation --answer object --idk IDK facts.tsv.gz
  hallu audit --prompt sub_label,@file --answer obj_label --group @file --answers 1000 pararel/*.jsonl
  hallu audit --kind counts --answers 365 counts.tsv`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAudit(cmd.Context(), o, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.kind, "kind", "records", "input kind: records, counts (key<TAB>count) or freq (j f_j)")
	f.StringVar(&o.format, "format", "", "records format: tsv, csv or jsonl (default: by file extension, else tsv)")
	f.StringSliceVar(&o.prompt, "prompt", nil, "`COLS` joined into the prompt key, e.g. subject,relation")
	f.StringVar(&o.answer, "answer", "", "answer `COL` (without it every record counts as answered)")
	f.StringVar(&o.group, "group", "", "`COL` for a per-group breakdown (the group becomes part of the prompt)")
	f.StringVar(&o.count, "count", "", "`COL` holding how many times the record occurs (a number, or a JSON array's length)")
	f.BoolVar(&o.header, "header", false, "the first line of each TSV/CSV file names its columns (implied by column names)")
	f.StringArrayVar(&o.idk, "idk", nil, "answer `VALUE` that is an abstention (repeatable)")
	f.StringSliceVar(&o.normalize, "normalize", nil, "normalise values before comparing: nfc, case, space (comma-separated)")
	f.Float64Var(&o.gamma, "gamma", 0.01, "intervals hold with probability 1−γ")
	f.StringArrayVar(&o.answers, "answers", nil, "plausible answers per prompt |R_c|: `K` for all, or GROUP=K (repeatable)")
	f.Float64Var(&o.delta, "delta", 0, "the model's calibration error δ in Theorem 2's floor")
	f.BoolVar(&o.skipBad, "skip-bad", false, "skip malformed records, counting them, instead of stopping")
	f.StringVar(&o.mem, "mem", "", "memory budget of the count (tables, buffers, long records), e.g. 2G (default half the RAM); beyond it, spill to --tmp")
	o.maxRecord = audit.DefaultMaxRecord
	f.Var(sizeFlag{&o.maxRecord}, "max-record", "longest record (a line, or a CSV record) read, e.g. 256MiB; a small --mem lowers it (see docs/limits.md)")
	f.StringVar(&o.tmp, "tmp", "", "`DIR` for spill files (default the system's temporary directory)")
	f.IntVar(&o.workers, "workers", 0, "parsing goroutines (default the number of CPUs)")
	f.IntVar(&o.showConflicts, "show-conflicts", 5, "conflicting prompts to show with their answers (a second pass over the input); 0 for none")
	f.BoolVar(&o.json, "json", false, "print JSON (with the inputs' sha256) instead of text")
	f.BoolVar(&o.quiet, "quiet", false, "no progress on stderr")
	f.StringVar(&o.freqCSV, "freq-csv", "", "also write the frequency-of-frequencies table to `FILE` (CSV: j,f_j)")
	f.StringVar(&o.html, "html", "", "also write a self-contained HTML report to `FILE`")
	return cmd
}

// runAudit is hallu audit without cobra: parse options, open inputs, run
// audit.Run, render.
func runAudit(ctx context.Context, o auditOptions, args []string, stdout, stderr io.Writer) error {
	cfg, err := o.config()
	if err != nil {
		return err
	}
	paths, err := expandInputs(args)
	if err != nil {
		return err
	}
	sources, opened, err := openSources(paths, o.json || o.html != "")
	if err != nil {
		return err
	}
	if !o.quiet && isTerminal(stderr) {
		cfg.Progress = new(audit.Progress)
		stop := showProgress(stderr, cfg.Progress)
		defer stop()
	}
	// The budget bounds what the count keeps; the collector must also give
	// garbage back before the heap outgrows it.
	debug.SetMemoryLimit(cfg.MemBytes)
	res, err := audit.Run(ctx, cfg, sources)
	if err != nil {
		return err
	}
	inputs := func() []provenance.Input {
		in := make([]provenance.Input, len(paths))
		for i, f := range *opened {
			in[i] = f.Input()
		}
		return in
	}
	// The result first: after a long count, a file that cannot be written
	// must not cost the user the result.
	if o.json {
		err = provenance.WriteJSON(stdout, provenance.NewEnvelope("audit", cfg.Parameters(), res, inputs()...))
	} else {
		err = report.WriteAuditText(stdout, res, cfg, auditAdvice)
	}
	if err != nil {
		return err
	}
	if o.freqCSV != "" {
		if err := writeFreqCSV(o.freqCSV, res); err != nil {
			return err
		}
	}
	if o.html != "" {
		return writePage(o.html, func() (report.Page, error) {
			return report.AuditPage(inputsName(paths), res, cfg, auditAdvice, pageProvenance(cfg.Parameters(), inputs()...))
		})
	}
	return nil
}

func (o auditOptions) config() (audit.Config, error) {
	cfg := audit.Config{
		Kind:          audit.Kind(o.kind),
		Format:        audit.Format(o.format),
		Prompt:        o.prompt,
		Answer:        o.answer,
		Group:         o.group,
		Count:         o.count,
		Header:        o.header,
		IDK:           o.idk,
		Gamma:         o.gamma,
		Delta:         o.delta,
		SkipBad:       o.skipBad,
		TempDir:       o.tmp,
		Workers:       o.workers,
		ShowConflicts: o.showConflicts,
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
	if o.workers == 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	mem := o.mem
	if mem == "" {
		ram, err := memTotal()
		if err != nil {
			return cfg, usagef("--mem is needed: %v", err)
		}
		cfg.MemBytes = max(ram/2, audit.MinMem(cfg.Workers))
	} else {
		v, err := parseBytes(mem)
		if err != nil {
			return cfg, usagef("--mem %q: %v", mem, err)
		}
		if v < audit.MinMem(cfg.Workers) {
			return cfg, usagef("--mem %s is below the %s that %d workers need (fewer --workers need less)", mem, input.Size(audit.MinMem(cfg.Workers)), cfg.Workers)
		}
		cfg.MemBytes = v
	}
	cfg.MaxRecord = o.maxRecord
	if err := cfg.Validate(); err != nil { // every option comes from a flag
		return cfg, usageError{audit.NameOptions(err, auditFlag)}
	}
	return cfg, nil
}

// inputsName names the inputs in a page title: the path of one, or the
// count and the first of several.
func inputsName(paths []string) string {
	if len(paths) == 1 {
		return paths[0]
	}
	return fmt.Sprintf("%d files (%s, …)", len(paths), filepath.Base(paths[0]))
}

// expandInputs expands globs; a pattern that matches nothing is an error.
func expandInputs(args []string) ([]string, error) {
	var paths []string
	for _, a := range args {
		if a == "-" || !strings.ContainsAny(a, "*?[") {
			paths = append(paths, a)
			continue
		}
		m, err := filepath.Glob(a)
		if err != nil {
			return nil, usagef("input pattern %q: %v", a, err)
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("input pattern %q matches no file", a)
		}
		paths = append(paths, m...)
	}
	return paths, nil
}

// openSources makes an audit.Source per path. The files opened by the
// first pass are kept so that their sha256 can be reported; inputs are
// hashed only if it will be (hash).
func openSources(paths []string, hash bool) ([]audit.Source, *[]*input.File, error) {
	openFile := input.OpenUnhashed
	if hash {
		openFile = input.Open
	}
	opened := make([]*input.File, len(paths))
	sources := make([]audit.Source, len(paths))
	for i, p := range paths {
		src := audit.Source{Name: p, Reopen: p != "-"}
		if p != "-" {
			st, err := os.Stat(p)
			if err != nil {
				return nil, nil, err
			}
			if st.IsDir() {
				return nil, nil, fmt.Errorf("%s is a directory", p)
			}
			// Pipes and other special files can be read only once: no
			// peeking at them, and no second pass.
			src.Reopen = st.Mode().IsRegular()
			if src.Reopen {
				f, err := input.OpenUnhashed(p)
				if err != nil {
					return nil, nil, err
				}
				if f.Compression == "" { // the decompressed size is known only for plain files
					src.Size = st.Size()
				}
				f.Close()
			}
		}
		src.Open = func() (io.ReadCloser, error) {
			f, err := openFile(p)
			if err != nil {
				return nil, err
			}
			if opened[i] == nil {
				opened[i] = f
			}
			return f, nil
		}
		sources[i] = src
	}
	return sources, &opened, nil
}

// writeFreqCSV writes the audit's frequency-of-frequencies table to path
// as missingmass.WriteTable writes it (CSV j,f_j).
func writeFreqCSV(path string, res *audit.Result) error {
	return atomicfile.Write(path, func(f *os.File) error { return missingmass.WriteTable(f, res.FreqOfFreq) })
}

// parseBytes parses a size such as 512M, 2G or 1.5GiB (binary multiples).
func parseBytes(s string) (int64, error) {
	t := strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(strings.TrimSpace(s)), "B"), "I")
	mult := int64(1)
	if n := len(t); n > 0 {
		if i := strings.IndexByte("KMGT", t[n-1]); i >= 0 {
			mult = 1 << (10 * (i + 1))
			t = t[:n-1]
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("not a size like 512M or 2G")
	}
	return int64(v * float64(mult)), nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// showProgress redraws a status line on w until the returned stop is called.
func showProgress(w io.Writer, p *audit.Progress) (stop func()) {
	start := time.Now()
	return statusLine(w, 250*time.Millisecond, false, func() string {
		el := time.Since(start).Seconds()
		b, r, total := p.Bytes.Load(), p.Records.Load(), p.Total.Load()
		line := fmt.Sprintf("pass %d  %.1f MB  %.1fM records  %.1fM rec/s", p.Pass.Load(), float64(b)/1e6, float64(r)/1e6, float64(r)/1e6/el)
		if total > 0 && b > 0 && p.Pass.Load() == 1 {
			line += fmt.Sprintf("  %.0f%%  ETA %s", 100*float64(b)/float64(total), time.Duration(el*float64(total-b)/float64(b)*float64(time.Second)).Round(time.Second))
		}
		return line
	})
}
