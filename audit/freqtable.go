package audit

import (
	"context"
	"errors"
	"fmt"

	"github.com/hallu-dev/hallu/missingmass"
)

// runFreq audits frequency-of-frequencies tables. Tables of several sources
// are added row by row, which is right only if their prompts are disjoint.
func runFreq(ctx context.Context, cfg *Config, sources []Source) (*Result, error) {
	var fof missingmass.FreqOfFreq
	for _, src := range sources {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t, err := readFreq(src)
		if err != nil {
			return nil, err
		}
		fof = fof.Merge(t)
	}
	if err := fof.Validate(); err != nil {
		return nil, err
	}
	n := fof.Answered()
	sum, err := missingmass.Summarize(fof, n, cfg.Gamma)
	if err != nil {
		return nil, err
	}
	if fof == nil {
		fof = missingmass.FreqOfFreq{}
	}
	res := &Result{Kind: FreqTable, Groups: []Group{}, ConflictExamples: []Conflict{}, SkippedExamples: []string{}}
	res.Stats = Stats{Summary: sum, Prompts: fof.Distinct(), FreqOfFreq: fof}
	theorem2(&res.Bounds, n, sum.SingletonRate, cfg.Answers, cfg.Answers, cfg.Delta, cfg.Gamma)
	res.Run = RunStats{Workers: 1, Passes: 1}
	return res, nil
}

// readFreq reads one table with missingmass.ReadTable, the one reader of
// the format, and names the file in its errors.
func readFreq(src Source) (missingmass.FreqOfFreq, error) {
	rc, err := src.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	t, err := missingmass.ReadTable(rc)
	var te *missingmass.TableError
	if errors.As(err, &te) {
		if te.Line > 0 {
			return nil, &RecordError{File: src.Name, Line: int64(te.Line), Field: te.Field, Err: te.Err}
		}
		return nil, fmt.Errorf("%s: %w", src.Name, err)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src.Name, err)
	}
	return t, nil
}
