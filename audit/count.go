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
	s := shardOf(e.key)
	b := append(w.batches[s], e)
	if len(b) < batchLen {
		w.batches[s] = b
		return nil
	}
	w.batches[s] = b[:0]
	return c.t.addBatch(s, b)
}

func (c *counter) flush(w *worker) error {
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
