package audit

import (
	"sync"
	"sync/atomic"
	"unsafe"
)

// An entry is what the counting tables hold per prompt key, and what
// workers send them per record: the key's hash, the hash of its first
// answer, how many answered examples it has had, whether they disagreed,
// and its group.
type entry struct {
	key   Hash128
	ans   uint64 // hash of the first answer seen; meaningful once count > 0
	count uint64 // answered examples; bit 63 is the conflict flag
	group uint32
}

const conflictBit = 1 << 63

// A slot is one cell of a shard's open-addressing table. Slots are 32 bytes,
// two to a cache line. tag is 0 for an empty slot and 1<<31 | group id
// otherwise; count holds 31 bits of answered count and, in bit 31, the
// conflict flag; counts beyond 31 bits continue in the shard's overflow map.
type slot struct {
	hi, lo uint64
	ans    uint64
	count  uint32
	tag    uint32
}

const (
	slotBytes    = int64(unsafe.Sizeof(slot{}))
	slotConflict = 1 << 31
	slotCountMax = 1<<31 - 1
	occupied     = 1 << 31
	shardBits    = 6
	numShards    = 1 << shardBits
	minSlots     = 1 << 8
	// A shard grows (or spills) beyond a load of loadNum/loadDen.
	loadNum, loadDen = 7, 8
)

// A shard is a linear-probing hash table over the keys whose top shardBits
// hash bits select it. Its capacity is a power of two and it grows at 7/8
// load (the batch prefetching in addBatch keeps probing cheap there), unless the memory budget is spent, in which case it spills its
// contents to disk and starts again empty at the same capacity.
type shard struct {
	mu       sync.Mutex
	slots    []slot
	mapped   bool               // slots come from allocSlots' own mapping
	n        int                // occupied slots
	overflow map[Hash128]uint64 // answered counts beyond slotCountMax
	spill    *spillFile         // runs written so far, nil if none
	touched  uint32             // sink of addBatch's prefetching loads
}

// tables is the sharded counting table with its memory accounting.
type tables struct {
	shards [numShards]shard
	budget int64        // bytes the slots of all shards may use
	used   atomic.Int64 // bytes the slots of all shards use
	spills *spiller     // nil: never spill (budget is then not enforced)
}

func newTables(budget int64, sp *spiller) *tables {
	t := &tables{budget: budget, spills: sp}
	for i := range t.shards {
		sh := &t.shards[i]
		sh.slots, sh.mapped = allocSlots(minSlots)
	}
	t.used.Store(numShards * minSlots * slotBytes)
	return t
}

func shardOf(h Hash128) int { return int(h.Hi >> (64 - shardBits)) }

// addBatch merges a batch of entries, all of shard s, into it.
func (t *tables) addBatch(s int, batch []entry) error {
	sh := &t.shards[s]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	// Touch every entry's home slot first. The loads are independent, so
	// the CPU overlaps their cache misses, and the inserts below find their
	// slots in cache.
	mask := uint64(len(sh.slots) - 1)
	var touch uint32
	for i := range batch {
		touch += sh.slots[batch[i].key.Lo&mask].tag
	}
	sh.touched = touch
	for i := range batch {
		if (sh.n+1)*loadDen > len(sh.slots)*loadNum {
			if err := t.makeRoom(s); err != nil {
				return err
			}
		}
		sh.add(&batch[i])
	}
	return nil
}

// makeRoom doubles shard s, or spills it if doubling would exceed the
// budget. The caller holds the shard's lock.
func (t *tables) makeRoom(s int) error {
	sh := &t.shards[s]
	grow := int64(len(sh.slots)) * slotBytes
	if t.spills != nil && t.used.Load()+grow > t.budget {
		return t.spills.spill(s, sh)
	}
	t.used.Add(grow)
	sh.resize(2 * len(sh.slots))
	return nil
}

// add merges one entry into the shard, which must have a free slot.
func (sh *shard) add(e *entry) {
	mask := uint64(len(sh.slots) - 1)
	for i := e.key.Lo & mask; ; i = (i + 1) & mask {
		s := &sh.slots[i]
		if s.tag == 0 {
			*s = slot{hi: e.key.Hi, lo: e.key.Lo, ans: e.ans, tag: occupied | e.group}
			sh.n++
			if e.count&conflictBit != 0 {
				s.count = slotConflict
			}
			sh.addCount(s, e.count&^conflictBit)
			return
		}
		if s.hi != e.key.Hi || s.lo != e.key.Lo {
			continue
		}
		c := e.count &^ conflictBit
		if e.count&conflictBit != 0 {
			s.count |= slotConflict
		}
		if c > 0 {
			if s.count&slotCountMax == 0 {
				s.ans = e.ans
			} else if s.ans != e.ans {
				s.count |= slotConflict
			}
			sh.addCount(s, c)
		}
		return
	}
}

// addCount adds c to the answered count of s, carrying into the overflow map.
func (sh *shard) addCount(s *slot, c uint64) {
	have := uint64(s.count & slotCountMax)
	if sum := have + c; sum <= slotCountMax {
		s.count = s.count&slotConflict | uint32(sum)
		return
	}
	if sh.overflow == nil {
		sh.overflow = make(map[Hash128]uint64)
	}
	sh.overflow[Hash128{s.hi, s.lo}] += have + c - slotCountMax
	s.count = s.count&slotConflict | slotCountMax
}

func (sh *shard) resize(n int) {
	old, oldMapped := sh.slots, sh.mapped
	sh.slots, sh.mapped = allocSlots(n)
	defer freeSlots(old, oldMapped)
	mask := uint64(n - 1)
	for i := range old {
		s := &old[i]
		if s.tag == 0 {
			continue
		}
		j := s.lo & mask
		for sh.slots[j].tag != 0 {
			j = (j + 1) & mask
		}
		sh.slots[j] = *s
	}
}

// release gives the shard's slots back; the shard is unusable afterwards.
func (sh *shard) release() {
	freeSlots(sh.slots, sh.mapped)
	sh.slots, sh.mapped = nil, false
}

// release gives back the memory of all shards.
func (t *tables) release() {
	for i := range t.shards {
		t.shards[i].release()
	}
}

// reset empties the shard, keeping its capacity.
func (sh *shard) reset() {
	clear(sh.slots)
	sh.n = 0
	sh.overflow = nil
}

// each calls f with every entry of the shard.
func (sh *shard) each(f func(e entry) error) error {
	for i := range sh.slots {
		s := &sh.slots[i]
		if s.tag == 0 {
			continue
		}
		if err := f(sh.entryAt(s)); err != nil {
			return err
		}
	}
	return nil
}

func (sh *shard) entryAt(s *slot) entry {
	k := Hash128{s.hi, s.lo}
	c := uint64(s.count & slotCountMax)
	if c == slotCountMax {
		c += sh.overflow[k]
	}
	if s.count&slotConflict != 0 {
		c |= conflictBit
	}
	return entry{key: k, ans: s.ans, count: c, group: s.tag &^ occupied}
}
