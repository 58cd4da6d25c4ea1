package audit

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strconv"

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

// readFreq reads one table: lines "j f_j" separated by white space or a
// comma; a first line that is not two integers is a header; blank lines
// and lines starting with '#' are skipped.
func readFreq(src Source) (missingmass.FreqOfFreq, error) {
	rc, err := src.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	m := map[int64]int64{}
	sc := bufio.NewScanner(rc)
	sc.Buffer(nil, 1<<20)
	line := int64(0)
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if line == 1 {
			text = bytes.TrimPrefix(text, bom)
		}
		if len(text) == 0 || text[0] == '#' {
			continue
		}
		cells := bytes.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
		bad := func(field string, err error) error {
			return &RecordError{File: src.Name, Line: line, Field: field, Err: err}
		}
		if len(cells) != 2 {
			if line == 1 {
				continue
			}
			return nil, bad("", fmt.Errorf("%w: %d, want 2 (j f_j)", ErrRagged, len(cells)))
		}
		j, errJ := strconv.ParseInt(string(cells[0]), 10, 64)
		f, errF := strconv.ParseInt(string(cells[1]), 10, 64)
		switch {
		case line == 1 && (errJ != nil || errF != nil):
			continue // header
		case errJ != nil || j < 1:
			return nil, bad("j", fmt.Errorf("%q is not an integer ≥ 1", cells[0]))
		case errF != nil || f < 0:
			return nil, bad("f_j", fmt.Errorf("%q is not an integer ≥ 0", cells[1]))
		}
		if _, dup := m[j]; dup {
			return nil, bad("j", fmt.Errorf("j = %d given twice", j))
		}
		m[j] = f
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", src.Name, err)
	}
	fof, err := missingmass.FromMap(m)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src.Name, err)
	}
	if err := fof.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", src.Name, err)
	}
	return fof, nil
}
