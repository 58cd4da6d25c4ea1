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
	"iter"
	"slices"
	"sort"
	"strings"

	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/report"
	"github.com/hallu-dev/hallu/rescore"
	"github.com/hallu-dev/hallu/score"
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
	Inputs    []rescore.LogReport     `json:"inputs"`
}

// agreement is a checked --reference request.
type agreement struct {
	agreeOptions
	refMap *score.RefMap
}

// newAgreement checks the flags of --reference.
func newAgreement(a agreeOptions) (*agreement, error) {
	if a.RefMap == "" {
		return nil, usagef("--reference needs --ref-map saying which labels mean correct, wrong and abstained, e.g. A=correct,B=wrong,C=abstained")
	}
	refMap, err := score.ParseRefMap(a.RefMap)
	if err != nil {
		return nil, usagef("--ref-map: %v", err)
	}
	if a.Show < 0 {
		return nil, usagef("--show must be ≥ 0")
	}
	return &agreement{a, refMap}, nil
}

// runAgree grades every sample of the logs with r, which regrades them
// all, and compares the result with the reference column, by model and in
// all.
func runAgree(ctx context.Context, o scoreOptions, a *agreement, r *rescore.Reader, args []string, w io.Writer) error {
	params := map[string]any{"format": o.Format, "map": o.Map, "model": o.Model, "skip_bad": o.SkipBad,
		"abstain_phrases": cmp.Or(o.AbstainPhrases, "built-in"), "exact": o.Exact, "match": o.Match, "num_tol": o.NumTol,
		"simpleqa_test": o.SimpleQATest, "judge": judgeProvenance(o.Judge)}
	by := map[string]*score.Agreement{}
	all := &score.Agreement{Keep: a.Show}
	res := agreeResult{Reference: a.Reference, RefMap: a.RefMap, Grader: r.GraderName()}
	inputs := slices.Clone(r.Inputs())
	for _, path := range args {
		if path == "-" {
			return usagef("--reference reads each log twice; give a file, not standard input")
		}
		found := false
		next, stop := iter.Pull2(referenceLabels(path, a.Reference, a.refMap, &found))
		refs := &referenceCursor{next: next, path: path, col: a.Reference}
		keep := func(s *score.Sample) (bool, error) {
			ref, err := refs.at(s.Source.Line)
			return ref != score.Ungraded, err // unmapped: counted in refMap, reported below
		}
		ir, in, err := r.Read(ctx, path, keep, func(s *score.Sample) error {
			ref := refs.cur.o // the label keep looked up
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
		stop()
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("%s: no record has the key %q given to --reference", path, a.Reference)
		}
		ir.Notes = flagNotes("score", ir.Notes)
		res.Inputs = append(res.Inputs, ir)
		inputs = append(inputs, in...)
	}
	if err := a.refMap.Err(); err != nil {
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
	page := func() (report.Page, error) {
		return report.AgreementPage(heading, res.Groups, pageProvenance(params, inputs...)), nil
	}
	return writeResult(o.HTML, page, func() error {
		if o.JSON {
			return provenance.WriteJSON(w, provenance.NewEnvelope("score", params, res, inputs...))
		}
		return report.WriteAgreementText(w, heading, res.Groups)
	})
}

func firstReason(a *score.Agreement) string {
	for _, d := range a.Disagreements {
		if d.Sample.Reason != "" {
			return d.Sample.Reason
		}
	}
	return "none recorded"
}

// refLabel is the mapped reference label of the record at line.
type refLabel struct {
	line int
	o    score.Outcome
}

// referenceLabels yields, in file order, the label in column col of every
// record of a JSONL or CSV log, mapped with m and numbered by line as
// evallog's readers number records; unmapped labels are counted in m and
// yielded as Ungraded, a record without the column has the empty label.
// found reports whether any JSONL record had the key. Records evallog
// cannot read are skipped here too (evallog reports them).
func referenceLabels(path, col string, m *score.RefMap, found *bool) iter.Seq2[refLabel, error] {
	return func(yield func(refLabel, error) bool) {
		f, err := input.OpenUnhashed(path)
		if err != nil {
			yield(refLabel{}, err)
			return
		}
		defer f.Close()
		br := bufio.NewReaderSize(f, 64<<10)
		head, _ := br.Peek(4096)
		label := func(line int, v string) bool {
			o, _ := m.Map(v)
			return yield(refLabel{line, o}, nil)
		}
		if bytes.HasPrefix(bytes.TrimLeft(head, " \t\r\n\ufeff"), []byte("{")) {
			sc := bufio.NewScanner(br)
			sc.Buffer(nil, 64<<20)
			for line := 1; sc.Scan(); line++ {
				b := bytes.TrimSpace(sc.Bytes())
				var rec map[string]json.RawMessage
				if len(b) == 0 || json.Unmarshal(b, &rec) != nil {
					continue
				}
				raw, ok := rec[col]
				*found = *found || ok
				var v string
				if ok && json.Unmarshal(raw, &v) != nil {
					v = string(raw) // a number, boolean or null as written
				}
				if !label(line, v) {
					return
				}
			}
			if err := sc.Err(); err != nil {
				yield(refLabel{}, fmt.Errorf("%s: %w", path, err))
			}
			return
		}
		*found = true
		cr := csv.NewReader(br)
		cr.FieldsPerRecord = -1
		header, err := cr.Read()
		if err != nil {
			yield(refLabel{}, fmt.Errorf("%s: header: %w", path, err))
			return
		}
		idx := -1
		for i, h := range header {
			if strings.TrimPrefix(strings.TrimSpace(h), "\ufeff") == col {
				idx = i
			}
		}
		if idx < 0 {
			yield(refLabel{}, fmt.Errorf("%s: header %q has no column %q given to --reference", path, header, col))
			return
		}
		for {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				return
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				continue
			}
			if err != nil {
				yield(refLabel{}, fmt.Errorf("%s: %w", path, err))
				return
			}
			line, _ := cr.FieldPos(0)
			v := ""
			if idx < len(rec) {
				v = rec[idx]
			}
			if !label(line, v) {
				return
			}
		}
	}
}

// referenceCursor walks referenceLabels alongside evallog's samples, both
// in file order, so that memory stays bounded whatever the log's length.
type referenceCursor struct {
	next func() (refLabel, error, bool)
	cur  refLabel
	path string
	col  string
}

// at returns the label of the record at line.
func (c *referenceCursor) at(line int) (score.Outcome, error) {
	for c.cur.line < line {
		l, err, ok := c.next()
		if !ok {
			break
		}
		if err != nil {
			return 0, err
		}
		c.cur = l
	}
	if c.cur.line != line {
		return 0, fmt.Errorf("%s:%d: no %q value for this sample", c.path, line, c.col)
	}
	return c.cur.o, nil
}
