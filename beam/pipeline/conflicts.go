package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/hallu-dev/hallu/audit"
)

// conflictFound is what the second pass found of one picked conflicting
// prompt in one file, as JSON: the prompt, its group, and its answers'
// counts there.
type conflictFound struct {
	Rank    int              `json:"rank"` // the prompt's place among the picked, by key hash
	Prompt  []string         `json:"prompt"`
	Group   *string          `json:"group,omitempty"`
	Answers map[string]int64 `json:"answers"`
}

// collectFn is the second pass: given the picked conflicting prompt keys
// (the smallest ShowConflicts by hash, as a side input), it reads one file
// again and gathers their answers, as hallu audit's second pass does. With
// nothing picked it reads nothing.
type collectFn struct {
	Cfg audit.Config
}

func (f *collectFn) ProcessElement(ctx context.Context, _ int, path string, picked func(*[][]byte) bool, emit func(string)) error {
	want := map[audit.Hash128]int{}
	var keys [][]byte
	for picked(&keys) {
		slices.SortFunc(keys, func(a, b []byte) int { ha, _ := splitKey(a); hb, _ := splitKey(b); return ha.Compare(hb) })
		for i, k := range keys {
			h, _ := splitKey(k)
			want[h] = i
		}
	}
	if len(want) == 0 {
		return nil
	}
	cfg := f.Cfg
	cfg.SkipBad = true // the first pass has judged every record
	src := audit.Source{Name: path, Open: func() (io.ReadCloser, error) { return open(ctx, path, false) }}
	found := map[int]*conflictFound{}
	_, err := audit.Scan(ctx, cfg, src, func(r *audit.Record) {
		if !r.Answered {
			return
		}
		rank, ok := want[audit.HashKey(r.Key)]
		if !ok {
			return
		}
		c := found[rank]
		if c == nil {
			c = &conflictFound{Rank: rank, Answers: map[string]int64{}}
			for _, p := range r.Prompt {
				c.Prompt = append(c.Prompt, string(p))
			}
			if r.Group != nil {
				g := string(r.Group)
				c.Group = &g
			}
			found[rank] = c
		}
		c.Answers[string(r.Answer)] += r.Count
	})
	if err != nil {
		return err
	}
	for _, c := range found {
		b, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("%s: conflict example: %w", path, err)
		}
		emit(string(b))
	}
	return nil
}
