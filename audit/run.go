package audit

import (
	"context"
	"errors"
	"fmt"
	"runtime"
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
		_, _, reserve := cfg.recordLimit()
		budget = cfg.MemBytes - (min - 2*numShards*minSlots*(slotBytes+4)) - reserve
		sp = &spiller{parent: cfg.TempDir}
		defer sp.remove()
		// Failing to remove another run's leftovers is not this run's error.
		sp.stale, _ = removeStaleSpills(cfg.TempDir)
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
	var records, abstained int64
	var groups []groupCounts
	var bad []*RecordError
	var skipped int64
	for _, w := range sc.workers {
		records += w.records
		abstained += w.abstained
		skipped += w.skipped
		bad = append(bad, w.bad...)
		for g, c := range w.groups {
			for g >= len(groups) {
				groups = append(groups, groupCounts{})
			}
			groups[g].records += c.records
			groups[g].abstained += c.abstained
		}
	}
	var examples []string
	for _, e := range earliest(bad, sources, keepSkipped) {
		examples = append(examples, e.Error())
	}
	var counts []GroupCounts
	if cfg.Group == "" {
		var all tally
		for g := range ts.groups {
			all.merge(&ts.groups[g])
		}
		counts = []GroupCounts{all.counts("", records, abstained)}
	} else {
		for id, name := range cnt.groupName {
			var tl tally
			if id < len(ts.groups) {
				tl = ts.groups[id]
			}
			var gc groupCounts
			if id < len(groups) {
				gc = groups[id]
			}
			counts = append(counts, tl.counts(name, gc.records, gc.abstained))
		}
	}
	res, err := NewResult(*cfg, counts, skipped, examples)
	if err != nil {
		return nil, err
	}
	res.Run = RunStats{Workers: cfg.Workers, MemBytes: max(budget, 0), Passes: 1}
	if sp != nil {
		res.Run.SpilledBytes, res.Run.SpillRuns = sp.bytes.Load(), sp.runs.Load()
		res.Run.StaleSpillsRemoved = sp.stale
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

// stats computes the statistics of the records counted in g, whose
// prompts have between minR and maxR plausible responses.
func stats(cfg *Config, g *GroupCounts, minR, maxR int64) (Stats, error) {
	fof := g.FreqOfFreq
	sum, err := missingmass.Summarize(fof, g.Records, cfg.Gamma)
	if err != nil {
		return Stats{}, err
	}
	if fof == nil {
		fof = missingmass.FreqOfFreq{}
	}
	st := Stats{
		Summary:            sum,
		Prompts:            g.Prompts,
		Abstained:          g.Abstained,
		FreqOfFreq:         fof,
		ConflictingPrompts: g.Conflicting,
	}
	theorem2(&st.Bounds, g.Records, sum.SingletonRate, minR, maxR, cfg.Delta, cfg.Gamma)
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
