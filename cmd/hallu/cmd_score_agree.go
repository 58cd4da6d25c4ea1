package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/report"
	"github.com/hallu-dev/hallu/score"
	"github.com/hallu-dev/hallu/score/grade"
	"github.com/spf13/pflag"
)

// agreeOptions are `hallu score`'s flags for comparing its grading with a
// reference label column of the same log.
type agreeOptions struct {
	Reference string
	RefMap    string
	Show      int
}

func addAgreeFlags(f *pflag.FlagSet, o *agreeOptions) {
	f.StringVar(&o.Reference, "reference", "", "compare hallu's grading with this `column` of a JSONL or CSV log (a human label, a judge's letter) instead of scoring")
	f.StringVar(&o.RefMap, "ref-map", "", "with --reference: which labels mean which outcome, e.g. A=correct,B=wrong,C=abstained or Yes=correct,No=wrong (required)")
	f.IntVar(&o.Show, "show", 10, "with --reference: disagreeing samples to show per model")
}

// agreeResult is the JSON result of `hallu score --reference`.
type agreeResult struct {
	Reference string                  `json:"reference"`
	RefMap    string                  `json:"ref_map"`
	Grader    string                  `json:"grader"`
	Groups    []report.AgreementGroup `json:"groups"`
	Inputs    []inputReport           `json:"inputs"`
}

// runAgree grades every sample of the logs with resolver's grader and
// compares the result with the reference column, by model and in all.
func runAgree(ctx context.Context, o scoreOptions, args []string, ropt evallog.Options, resolver *grade.Resolver, inputs []report.Input, w io.Writer) error {
	a := o.Agree
	params := map[string]any{"format": o.Format, "map": o.Map, "model": o.Model, "skip_bad": o.SkipBad,
		"abstain_phrases": cmp.Or(o.AbstainPhrases, "built-in"), "exact": o.Exact, "num_tol": o.NumTol,
		"simpleqa_test": o.SimpleQATest, "judge": judgeProvenance(o.Judge)}
	if a.RefMap == "" {
		return usagef("--reference needs --ref-map saying which labels mean correct, wrong and abstained, e.g. A=correct,B=wrong,C=abstained")
	}
	refMap, err := score.ParseRefMap(a.RefMap)
	if err != nil {
		return usagef("--ref-map: %v", err)
	}
	if a.Show < 0 {
		return usagef("--show must be ≥ 0")
	}
	resolver.Regrade = true
	by := map[string]*score.Agreement{}
	all := &score.Agreement{Keep: a.Show}
	res := agreeResult{Reference: a.Reference, RefMap: a.RefMap, Grader: graderName(resolver.Grader)}
	for _, path := range args {
		if path == "-" {
			return usagef("--reference reads each log twice; give a file, not standard input")
		}
		refs, err := readReference(path, a.Reference, refMap)
		if err != nil {
			return err
		}
		ir := inputReport{Path: path}
		ropt.DefaultModel = modelFromPath(path)
		f, err := input.Open(path)
		if err != nil {
			return err
		}
		st, err := evallog.Read(f, path, ropt, func(s *score.Sample) error {
			ref, ok := refs[s.Source.Line]
			if !ok {
				return fmt.Errorf("%s: no %q value for this sample", s.Source, a.Reference)
			}
			if ref == score.Ungraded { // unmapped: counted in refMap, reported below
				return nil
			}
			if err := resolver.Resolve(ctx, s); err != nil {
				return err
			}
			ir.Matched++
			g := by[s.Model]
			if g == nil {
				g = &score.Agreement{Keep: a.Show}
				by[s.Model] = g
			}
			if err := g.Add(ref, s); err != nil {
				return fmt.Errorf("%s: %w", s.Source, err)
			}
			return all.Add(ref, s)
		})
		if err == nil {
			_, err = io.Copy(io.Discard, f)
		}
		f.Close()
		if err != nil {
			return err
		}
		ir.Stats = st
		res.Inputs = append(res.Inputs, ir)
		inputs = append(inputs, f.Input())
	}
	if err := refMap.Err(); err != nil {
		return fmt.Errorf("--reference %s: %w; add them to --ref-map", a.Reference, err)
	}
	if all.N() == 0 {
		return fmt.Errorf("no samples with a reference label in %s", strings.Join(args, ", "))
	}
	if k := all.Matrix[3][3] + all.Matrix[0][3] + all.Matrix[1][3] + all.Matrix[2][3]; k == all.N() {
		return fmt.Errorf("every one of the %d samples came out invalid under %s (first reason: %s); nothing to compare",
			k, res.Grader, firstReason(all))
	}
	var models []string
	for m := range by {
		models = append(models, m)
	}
	sort.Strings(models)
	for _, m := range models {
		res.Groups = append(res.Groups, report.NewAgreementGroup(m, by[m]))
	}
	if len(models) > 1 {
		res.Groups = append(res.Groups, report.NewAgreementGroup("all", all))
	}
	params["reference"], params["ref_map"], params["show"], params["grader"] = a.Reference, a.RefMap, a.Show, res.Grader
	heading := fmt.Sprintf("Agreement of hallu's grading (%s) with the reference column %q (%s)", res.Grader, a.Reference, a.RefMap)
	if o.HTML != "" {
		err := writePage(o.HTML, func() (report.Page, error) {
			return report.AgreementPage(heading, res.Groups, provenance(params, inputs...)), nil
		})
		if err != nil {
			return err
		}
	}
	if o.JSON {
		return report.WriteJSON(w, report.NewEnvelope("score", params, res, inputs...))
	}
	return report.RenderAgreement(w, heading, res.Groups)
}

func firstReason(a *score.Agreement) string {
	for _, d := range a.Disagreements {
		if d.Sample.Reason != "" {
			return d.Sample.Reason
		}
	}
	return "none recorded"
}

// graderName names the grader in reports and provenance.
func graderName(g grade.Grader) string {
	if n, ok := g.(interface{ Name() string }); ok {
		return n.Name()
	}
	return "matching"
}

// readReference reads column col of every record of a JSONL or CSV log,
// mapping each label with m, keyed by the record's line (as evallog's
// readers number them). Unmapped labels are counted in m and stored as
// Ungraded; a record without the column has the empty label.
func readReference(path, col string, m *score.RefMap) (map[int]score.Outcome, error) {
	f, err := input.OpenUnhashed(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	head, _ := br.Peek(4096)
	refs := map[int]score.Outcome{}
	label := func(line int, v string) {
		o, _ := m.Map(v)
		refs[line] = o
	}
	if bytes.HasPrefix(bytes.TrimLeft(head, " \t\r\n\ufeff"), []byte("{")) {
		sc := bufio.NewScanner(br)
		sc.Buffer(nil, 64<<20)
		found := false
		for line := 1; sc.Scan(); line++ {
			b := bytes.TrimSpace(sc.Bytes())
			if len(b) == 0 {
				continue
			}
			var rec map[string]json.RawMessage
			if err := json.Unmarshal(b, &rec); err != nil {
				continue // evallog reports or skips the bad line itself
			}
			raw, ok := rec[col]
			found = found || ok
			var v string
			if ok && json.Unmarshal(raw, &v) != nil {
				v = string(raw) // a number, boolean or null as written
			}
			label(line, v)
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if !found {
			return nil, fmt.Errorf("%s: no record has the key %q given to --reference", path, col)
		}
		return refs, nil
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	idx := -1
	for i, h := range header {
		if strings.TrimPrefix(strings.TrimSpace(h), "\ufeff") == col {
			idx = i
		}
	}
	if idx < 0 {
		return nil, fmt.Errorf("%s: header %q has no column %q given to --reference", path, header, col)
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return refs, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			continue // evallog reports or skips the bad record itself
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		line, _ := cr.FieldPos(0)
		v := ""
		if idx < len(rec) {
			v = rec[idx]
		}
		label(line, v)
	}
}
