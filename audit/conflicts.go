package audit

import (
	"context"
	"sync"
)

// collector is the sink of the second pass: it gathers the prompt text and
// the answers of a few conflicting prompts, known by their key hashes.
type collector struct {
	want map[Hash128]int
	mu   sync.Mutex
	acc  []conflictAcc
}

type conflictAcc struct {
	prompt  []string
	group   *string
	answers map[string]int64
}

func (c *collector) record(_ *worker, f *fields, key []byte) error {
	if !f.hasAnswer || f.count == 0 {
		return nil
	}
	i, ok := c.want[HashKey(key)]
	if !ok {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	a := &c.acc[i]
	if a.answers == nil {
		a.answers = map[string]int64{}
		for _, p := range f.prompt {
			a.prompt = append(a.prompt, string(p))
		}
		if f.group != nil {
			g := string(f.group)
			a.group = &g
		}
	}
	a.answers[string(f.answer)] += f.count
	return nil
}

func (c *collector) flush(*worker) error { return nil }

// collectConflicts reads the sources again to show the conflicting prompts
// picked by the counting pass.
func collectConflicts(ctx context.Context, cfg *Config, sources []Source, picked []entry, res *Result) error {
	for _, s := range sources {
		if !s.Reopen {
			res.ConflictExamplesNote = "examples need a second pass over the input, and " + s.Name + " cannot be read twice"
			return nil
		}
	}
	col := &collector{want: map[Hash128]int{}, acc: make([]conflictAcc, len(picked))}
	for i, e := range picked {
		col.want[e.key] = i
	}
	pass := *cfg
	pass.SkipBad = true // the counting pass has already judged every record
	if pass.Progress != nil {
		pass.Progress.Pass.Store(2)
		pass.Progress.Bytes.Store(0)
		pass.Progress.Records.Store(0)
	}
	if err := newScanner(&pass, sources, col).run(ctx); err != nil {
		return err
	}
	res.Run.Passes = 2
	for _, a := range col.acc {
		if a.answers == nil {
			continue // the input changed between passes
		}
		c := NewConflict(a.prompt, a.group, a.answers)
		res.ConflictExamples = append(res.ConflictExamples, c)
	}
	return nil
}
