package audit

import (
	"errors"
	"sync"
)

// counter is the sink of the counting pass: it hashes each record's key and
// answer and sends them, in per-shard batches, to the sharded tables.
type counter struct {
	t         *tables
	answers   bool // the corpus has an answer column
	grouped   bool
	groupMu   sync.Mutex
	groupIDs  map[string]uint32
	groupName []string
	progress  *Progress
}

func newCounter(cfg *Config, t *tables) *counter {
	return &counter{
		t:        t,
		answers:  cfg.Answer != "",
		grouped:  cfg.Group != "",
		groupIDs: map[string]uint32{},
		progress: cfg.Progress,
	}
}

func (c *counter) record(w *worker, f *fields, key []byte) error {
	if f.count == 0 {
		return nil
	}
	e := entry{key: HashKey(key)}
	if c.grouped {
		id, err := c.groupID(w, f.group)
		if err != nil {
			return err
		}
		e.group = id
		for int(e.group) >= len(w.groups) {
			w.groups = append(w.groups, groupCounts{})
		}
		g := &w.groups[e.group]
		g.records += f.count
		if f.hasAnswer {
			g.answered += f.count
		} else {
			g.abstained += f.count
		}
	}
	w.records += f.count
	if f.hasAnswer {
		w.answered += f.count
		e.count = uint64(f.count)
		if c.answers {
			e.ans = fingerprint(HashAnswer(f.answer))
		}
	} else {
		w.abstained += f.count
	}
	if c.progress != nil {
		if w.unreported += f.count; w.unreported >= 1<<16 {
			c.progress.Records.Add(w.unreported)
			w.unreported = 0
		}
	}
	return c.push(w, e)
}

func (c *counter) flush(w *worker) error {
	for i := range w.cache {
		if ce := &w.cache[i]; ce.count&cacheUsed != 0 {
			e := *ce
			e.count &^= cacheUsed
			*ce = entry{}
			if err := c.batch(w, e); err != nil {
				return err
			}
		}
	}
	for s, b := range w.batches {
		if len(b) == 0 {
			continue
		}
		if err := c.t.addBatch(s, b); err != nil {
			return err
		}
		w.batches[s] = b[:0]
	}
	return nil
}

// groupID returns the id of a group value, from the worker's cache when it
// can.
func (c *counter) groupID(w *worker, g []byte) (uint32, error) {
	if id, ok := w.groupIDs[string(g)]; ok {
		return id, nil
	}
	c.groupMu.Lock()
	id, ok := c.groupIDs[string(g)]
	if !ok {
		if len(c.groupName) >= 1<<32-1 {
			c.groupMu.Unlock()
			return 0, errors.New("more than 2^31 groups")
		}
		id = uint32(len(c.groupName))
		c.groupIDs[string(g)] = id
		c.groupName = append(c.groupName, string(g))
	}
	c.groupMu.Unlock()
	w.groupIDs[string(g)] = id
	return id, nil
}

// Each worker keeps its most recent keys in a small direct-mapped cache and
// adds up their records there: in the skewed corpora facts come in (a few
// prompts are very frequent), most records then never reach the shared
// tables. A key displaced from the cache goes, with what it gathered, into
// its shard's batch; the tables merge such partial entries as they merge
// spilled runs.
const (
	cacheBits = 12
	cacheUsed = 1 << 62 // in a cached entry's count
	cacheMax  = 1 << 61 // counts a cached entry may gather before it is passed on
)

// push adds one record's entry to the worker's cache.
func (c *counter) push(w *worker, e entry) error {
	ce := &w.cache[e.key.Lo>>(64-cacheBits)]
	if ce.count&cacheUsed != 0 {
		if ce.key == e.key && ce.count&^(cacheUsed|conflictBit)+e.count < cacheMax {
			mergeEntry(ce, &e)
			return nil
		}
		old := *ce
		old.count &^= cacheUsed
		if err := c.batch(w, old); err != nil {
			return err
		}
	}
	*ce = e
	ce.count |= cacheUsed
	return nil
}

// mergeEntry adds the records of e into ce, for the same key: counts add
// up, and the answers conflict if either side already did or both have
// answers that differ. This is how shard.add merges too.
func mergeEntry(ce, e *entry) {
	c := e.count &^ conflictBit
	if e.count&conflictBit != 0 {
		ce.count |= conflictBit
	}
	if c == 0 {
		return
	}
	if ce.count&^(cacheUsed|conflictBit) == 0 {
		ce.ans = e.ans
	} else if ce.ans != e.ans {
		ce.count |= conflictBit
	}
	ce.count += c
}

// batch appends an entry to its shard's batch, handing the batch to the
// tables when it is full.
func (c *counter) batch(w *worker, e entry) error {
	s := shardOf(e.key)
	b := append(w.batches[s], e)
	if len(b) < batchLen {
		w.batches[s] = b
		return nil
	}
	w.batches[s] = b[:0]
	return c.t.addBatch(s, b)
}
