package rescore

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sort"
	"strings"

	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/score"
)

// AgreeOptions says which reference labels Agree compares the grading
// with.
type AgreeOptions struct {
	// Column is the reference label's key in each JSONL record, or its
	// header in a CSV log.
	Column string
	// Map says which labels mean which outcome; labels it does not map
	// are counted in it, and make Agree fail.
	Map *score.RefMap
	// Keep is the number of disagreeing samples kept per model.
	Keep int
}

// An Agreement compares the grading of a Reader with reference labels,
// per model and over all models.
type Agreement struct {
	Grader     string                      // the grader's name (GraderName)
	Models     []string                    // the models, sorted
	ByModel    map[string]*score.Agreement // each model's agreement
	All        *score.Agreement            // over every model
	Inputs     []LogReport                 // what was read of each log
	Provenance []provenance.Input          // the files read
}

// Agree grades every sample of the JSONL or CSV logs at paths with r and
// compares the grades with the reference labels in column a.Column of the
// same records. Each log is read twice, the labels alongside the samples
// in file order, so that memory stays bounded whatever the log's length;
// "-" (standard input) cannot be read twice and is refused. Agree fails
// when a log has no record with the column, when labels are not mapped
// (listing each with its count), when no sample has a label, and when
// every sample came out invalid.
func (r *Reader) Agree(ctx context.Context, paths []string, a AgreeOptions) (*Agreement, error) {
	res := &Agreement{Grader: r.GraderName(), ByModel: map[string]*score.Agreement{}, All: &score.Agreement{Keep: a.Keep},
		Provenance: slices.Clone(r.Inputs())}
	for _, path := range paths {
		if path == "-" {
			return nil, fmt.Errorf("the reference labels are read beside the samples, each log twice: give a file, not standard input")
		}
		found := false
		next, stop := iter.Pull2(referenceLabels(path, a.Column, a.Map, r.opt.Limits, &found))
		refs := &referenceCursor{next: next, path: path, col: a.Column}
		keep := func(s *score.Sample) (bool, error) {
			ref, err := refs.at(s.Source.Line)
			return ref != score.Ungraded, err // unmapped: counted in a.Map, reported below
		}
		rep, in, err := r.Read(ctx, path, keep, func(s *score.Sample) error {
			ref := refs.cur.o // the label keep looked up
			g := res.ByModel[s.Model]
			if g == nil {
				g = &score.Agreement{Keep: a.Keep}
				res.ByModel[s.Model] = g
			}
			if err := g.Add(ref, s); err != nil {
				return fmt.Errorf("%s: %w", s.Source, err)
			}
			return res.All.Add(ref, s)
		})
		stop()
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, fmt.Errorf("%s: no record has the reference key %q", path, a.Column)
		}
		res.Inputs = append(res.Inputs, rep)
		res.Provenance = append(res.Provenance, in...)
	}
	if err := a.Map.Err(); err != nil {
		return nil, fmt.Errorf("reference column %q: %w; add them to AgreeOptions.Map", a.Column, err)
	}
	if res.All.N() == 0 {
		return nil, fmt.Errorf("no samples with a reference label in %s", strings.Join(paths, ", "))
	}
	m := &res.All.Matrix
	if k := m[3][3] + m[0][3] + m[1][3] + m[2][3]; k == res.All.N() {
		return nil, fmt.Errorf("every one of the %d samples came out invalid under %s (first reason: %s); nothing to compare",
			k, res.Grader, firstReason(res.All))
	}
	for model := range res.ByModel {
		res.Models = append(res.Models, model)
	}
	sort.Strings(res.Models)
	return res, nil
}

// firstReason is the reason of the first disagreement kept that has one.
func firstReason(a *score.Agreement) string {
	for _, d := range a.Disagreements {
		if d.Sample.Reason != "" {
			return d.Sample.Reason
		}
	}
	return "none recorded"
}
