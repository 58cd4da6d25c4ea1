package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"

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
	if slices.Contains(args, "-") {
		return usagef("--reference reads each log twice; give a file, not standard input")
	}
	agr, err := r.Agree(ctx, args, rescore.AgreeOptions{Column: a.Reference, Map: a.refMap, Keep: a.Show})
	if err != nil {
		return err
	}
	res := agreeResult{Reference: a.Reference, RefMap: a.RefMap, Grader: agr.Grader}
	for _, in := range agr.Inputs {
		in.Notes = flagNotes("score", in.Notes)
		res.Inputs = append(res.Inputs, in)
	}
	for _, m := range agr.Models {
		res.Groups = append(res.Groups, report.NewAgreementGroup(m, agr.ByModel[m]))
	}
	if len(agr.Models) > 1 {
		res.Groups = append(res.Groups, report.NewAgreementGroup("all", agr.All))
	}
	params := map[string]any{"format": o.Format, "map": o.Map, "model": o.Model, "skip_bad": o.SkipBad,
		"abstain_phrases": cmp.Or(o.AbstainPhrases, "built-in"), "exact": o.Exact, "match": o.Match, "num_tol": o.NumTol,
		"simpleqa_test": o.SimpleQATest, "judge": judgeProvenance(o.Judge),
		"reference": a.Reference, "ref_map": a.RefMap, "show": a.Show, "grader": res.Grader}
	heading := fmt.Sprintf("Agreement of hallu's grading (%s) with the reference column %q (%s)", res.Grader, a.Reference, a.RefMap)
	page := func() (report.Page, error) {
		return report.AgreementPage(heading, res.Groups, pageProvenance(params, agr.Provenance...)), nil
	}
	return writeResult(o.HTML, page, func() error {
		if o.JSON {
			return provenance.WriteJSON(w, provenance.NewEnvelope("score", params, res, agr.Provenance...))
		}
		return report.WriteAgreementText(w, heading, res.Groups)
	})
}
