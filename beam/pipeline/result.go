package pipeline

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/hallu-dev/hallu/audit"
	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/missingmass"
)

// resultFn assembles the audit from the side inputs, once the counting is
// done: the per-group tallies, the file summaries and the conflict
// examples found. It emits the JSON document hallu audit --json prints for
// the same input and options, without its final newline (textio adds it).
type resultFn struct {
	Cfg audit.Config
}

func (f *resultFn) ProcessElement(_ []byte, tallies func(*string, *int64) bool, files func(*string) bool, conflicts func(*string) bool, emit func(string)) error {
	doc, err := assemble(f.Cfg, tallies, files, conflicts)
	if err != nil {
		return err
	}
	emit(string(bytes.TrimSuffix(doc, []byte("\n"))))
	return nil
}

func assemble(cfg audit.Config, tallies func(*string, *int64) bool, files func(*string) bool, conflicts func(*string) bool) ([]byte, error) {
	type groupAcc struct {
		audit.GroupCounts
		fof map[int64]int64
	}
	groups := map[string]*groupAcc{}
	group := func(name string) *groupAcc {
		g := groups[name]
		if g == nil {
			g = &groupAcc{GroupCounts: audit.GroupCounts{Group: name}, fof: map[int64]int64{}}
			groups[name] = g
		}
		return g
	}
	if cfg.Group == "" {
		group("") // an empty corpus is one empty group, as in audit.Run
	}
	var key string
	var n int64
	for tallies(&key, &n) {
		j, name, err := splitTallyKey(key)
		if err != nil {
			return nil, err
		}
		g := group(name)
		switch {
		case j == conflictClass:
			g.Conflicting += n
		case j == 0:
			g.Prompts += n
		default:
			g.Prompts += n
			g.fof[j] += n
		}
	}
	var sums []fileSummary
	var line string
	for files(&line) {
		var s fileSummary
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			return nil, fmt.Errorf("file summary: %w", err)
		}
		sums = append(sums, s)
	}
	// hallu audit reads its inputs in the order given, each pattern's
	// matches sorted by name.
	slices.SortFunc(sums, func(a, b fileSummary) int {
		if c := cmp.Compare(a.Order, b.Order); c != 0 {
			return c
		}
		return cmp.Compare(a.Input.Path, b.Input.Path)
	})
	var inputs []provenance.Input
	var skipped int64
	var examples []string
	for _, s := range sums {
		inputs = append(inputs, s.Input)
		skipped += s.Skipped
		for _, k := range s.Skips { // each file's are in line order
			if len(examples) < keepSkipped {
				examples = append(examples, k.Text)
			}
		}
		for name, r := range s.Groups {
			g := group(name)
			g.Records += r.Records
			g.Abstained += r.Abstained
		}
	}
	var counts []audit.GroupCounts
	for _, g := range groups {
		fof, err := missingmass.FromMap(g.fof)
		if err != nil {
			return nil, err
		}
		g.FreqOfFreq = fof
		counts = append(counts, g.GroupCounts)
	}
	res, err := audit.NewResult(cfg, counts, skipped, examples)
	if err != nil {
		return nil, err
	}
	if res.ConflictExamples, err = conflictExamples(conflicts); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := provenance.WriteJSON(&b, provenance.NewEnvelope("audit", cfg.Parameters(), res, inputs...)); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// keepSkipped is how many malformed records a result describes, as in
// hallu audit.
const keepSkipped = 5

// conflictExamples merges what the second pass found of each picked prompt
// in each file into audit's Conflicts, in the order of their key hashes.
func conflictExamples(conflicts func(*string) bool) ([]audit.Conflict, error) {
	byRank := map[int]*conflictFound{}
	var line string
	for conflicts(&line) {
		var c conflictFound
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			return nil, fmt.Errorf("conflict example: %w", err)
		}
		if have := byRank[c.Rank]; have != nil {
			for a, n := range c.Answers {
				have.Answers[a] += n
			}
		} else {
			byRank[c.Rank] = &c
		}
	}
	ranks := make([]int, 0, len(byRank))
	for r := range byRank {
		ranks = append(ranks, r)
	}
	slices.Sort(ranks)
	out := []audit.Conflict{}
	for _, r := range ranks {
		c := byRank[r]
		out = append(out, audit.NewConflict(c.Prompt, c.Group, c.Answers))
	}
	return out, nil
}
