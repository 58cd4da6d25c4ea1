package audit

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/hallu-dev/hallu/missingmass"
)

// Run audits the records of sources: it counts them (in parallel, spilling
// to disk beyond cfg.MemBytes), computes the statistics of each group and
// of the whole, and, if there are conflicting prompts and the sources can
// be read again, collects a few of them with their answers in a second
// pass. Temporary files are removed before Run returns, whether it
// succeeds, fails or is cancelled.
func Run(ctx context.Context, cfg Config, sources []Source) (*Result, error) {
	cfg.setDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.Workers == 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if p := cfg.Progress; p != nil {
		var total int64
		for _, s := range sources {
			if s.Size <= 0 {
				total = 0
				break
			}
			total += s.Size
		}
		p.Total.Store(total)
		p.Pass.Store(1)
	}
	if cfg.Kind == FreqTable {
		return runFreq(ctx, &cfg, sources)
	}
	return runCount(ctx, &cfg, sources)
}

// MinMem is the smallest memory budget Run accepts for workers goroutines.
func MinMem(workers int) int64 {
	buffers := int64(2*workers+2) * chunkBytes
	batches := int64(workers) * numShards * batchLen * int64(entryBytes+4)
	return buffers + batches + 2*numShards*minSlots*(slotBytes+4)
}

func runCount(ctx context.Context, cfg *Config, sources []Source) (*Result, error) {
	budget := int64(-1)
	var sp *spiller
	if cfg.MemBytes > 0 {
		min := MinMem(cfg.Workers)
		if cfg.MemBytes < min {
			return nil, fmt.Errorf("memory budget %d bytes is below the %d bytes that %d workers need", cfg.MemBytes, min, cfg.Workers)
		}
		budget = cfg.MemBytes - (min - 2*numShards*minSlots*(slotBytes+4))
		sp = &spiller{parent: cfg.TempDir}
		defer sp.remove()
	}
	t := newTables(budget, sp, cfg.Group != "")
	defer t.release()
	cnt := newCounter(cfg, t)
	sc := newScanner(cfg, sources, cnt)
	if err := sc.run(ctx); err != nil {
		return nil, err
	}
	ts, err := t.finish(ctx, cfg.Workers, cfg.ShowConflicts)
	if err != nil {
		return nil, err
	}
	res := &Result{Kind: cfg.Kind, Groups: []Group{}, ConflictExamples: []Conflict{}, SkippedExamples: []string{}}
	res.Run = RunStats{Workers: cfg.Workers, MemBytes: max(budget, 0), Passes: 1}
	if sp != nil {
		res.Run.SpilledBytes, res.Run.SpillRuns = sp.bytes.Load(), sp.runs.Load()
	}
	var all tally
	var records, abstained int64
	var groups []groupCounts
	var bad []*RecordError
	for _, w := range sc.workers {
		records += w.records
		abstained += w.abstained
		res.Skipped += w.skipped
		bad = append(bad, w.bad...)
		for g, c := range w.groups {
			for g >= len(groups) {
				groups = append(groups, groupCounts{})
			}
			groups[g].records += c.records
			groups[g].abstained += c.abstained
		}
	}
	for _, e := range earliest(bad, sources, keepSkipped) {
		res.SkippedExamples = append(res.SkippedExamples, e.Error())
	}
	for g := range ts.groups {
		all.merge(&ts.groups[g])
	}
	if res.Stats, err = stats(cfg, &all, records, abstained, cfg.Answers, cfg.Answers); err != nil {
		return nil, err
	}
	if cfg.Group != "" {
		minR, maxR := int64(0), int64(0)
		for id, name := range cnt.groupName {
			var tl tally
			if id < len(ts.groups) {
				tl = ts.groups[id]
			}
			var gc groupCounts
			if id < len(groups) {
				gc = groups[id]
			}
			k := cfg.answersFor(name)
			st, err := stats(cfg, &tl, gc.records, gc.abstained, k, k)
			if err != nil {
				return nil, err
			}
			res.Groups = append(res.Groups, Group{Group: name, Stats: st})
			if id == 0 || k < minR {
				minR = k
			}
			maxR = max(maxR, k)
		}
		slices.SortFunc(res.Groups, func(a, b Group) int { return cmp.Compare(a.Group, b.Group) })
		// The corpus as a whole: |E_c| ranges over all groups' prompts.
		res.Bounds = Bounds{}
		theorem2(&res.Bounds, res.Records, res.SingletonRate, minR, maxR, cfg.Delta, cfg.Gamma)
	}
	if res.ConflictingPrompts > 0 && cfg.ShowConflicts > 0 {
		if err := collectConflicts(ctx, cfg, sources, ts.conflicts, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// answersFor returns |R_c| for the prompts of a group, 0 if unknown.
func (c *Config) answersFor(group string) int64 {
	if k, ok := c.GroupAnswers[group]; ok {
		return k
	}
	return c.Answers
}

// stats computes the statistics of n records, abstained of them abstaining,
// whose answered prompts are tallied in t.
func stats(cfg *Config, t *tally, n, abstained, minR, maxR int64) (Stats, error) {
	fof := t.table()
	sum, err := missingmass.Summarize(fof, n, cfg.Gamma)
	if err != nil {
		return Stats{}, err
	}
	if fof == nil {
		fof = missingmass.FreqOfFreq{}
	}
	st := Stats{
		Summary:            sum,
		Prompts:            t.prompts,
		Abstained:          abstained,
		FreqOfFreq:         fof,
		ConflictingPrompts: t.conflicts,
	}
	theorem2(&st.Bounds, n, sum.SingletonRate, minR, maxR, cfg.Delta, cfg.Gamma)
	return st, nil
}

// finish tallies every shard, merging the spilled ones sub-partition by
// sub-partition, on workers goroutines.
func (t *tables) finish(ctx context.Context, workers, keep int) (*tallies, error) {
	next := make(chan int, numShards)
	for s := range numShards {
		next <- s
	}
	close(next)
	parts := make([]*tallies, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		parts[i] = &tallies{keep: keep}
		wg.Go(func() {
			for s := range next {
				if err := ctx.Err(); err != nil {
					errs[i] = err
					return
				}
				if err := t.finishShard(s, parts[i]); err != nil {
					errs[i] = err
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, p := range parts[1:] {
		parts[0].merge(p)
	}
	return parts[0], nil
}

func (t *tables) finishShard(s int, ts *tallies) error {
	sh := &t.shards[s]
	add := func(e entry) error { ts.add(e); return nil }
	if sh.spill == nil {
		return sh.each(add)
	}
	if err := t.spills.spill(s, sh); err != nil {
		return err
	}
	sh.release()
	for sub := range numSubs {
		m, err := sh.spill.mergeSub(sub, t.grouped)
		if err != nil {
			return err
		}
		err = m.each(add)
		m.release()
		if err != nil {
			return err
		}
	}
	return nil
}
