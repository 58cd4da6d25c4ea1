package audit

import (
	"sync"
	"sync/atomic"
	"unsafe"
)

// An entry is what the counting tables hold per prompt key, and what
// workers send them per record: the key's hash, the fingerprint of its
// first answer, how many answered examples it has had, whether they
// disagreed, and its group.
type entry struct {
	key   Hash128
	count uint64 // answered examples; bit 63 is the conflict flag
	ans   uint32 // answer fingerprint (see fingerprint); meaningful once count > 0
	group uint32
}

const conflictBit = 1 << 63

// fingerprint is what the tables keep of an answer: the top 32 bits of its
// 64-bit hash (HashAnswer).
func fingerprint(answerHash uint64) uint32 { return uint32(answerHash >> 32) }

// A slot is one cell of a shard's open-addressing table: the key's 128-bit
// hash and a word holding, from the low bits up, 30 bits of answered count,
// the conflict flag, the occupied flag, and the first answer's 32-bit
// fingerprint. Counts beyond 30 bits continue in the shard's overflow map.
// At 24 bytes a slot, the tables take about 41 bytes per prompt at the
// load they end at on bench/audit.sh's corpus. The group of a slot, when
// grouping, is in a parallel array.
type slot struct {
	hi, lo uint64
	meta   uint64
}

const (
	slotBytes    = int64(unsafe.Sizeof(slot{}))
	metaCount    = 1<<30 - 1
	metaConflict = 1 << 30
	metaOccupied = 1 << 31
	shardBits    = 6
	numShards    = 1 << shardBits
	minSlots     = 1 << 8
	// A shard grows (or spills) beyond a load of loadNum/loadDen.
	loadNum, loadDen = 7, 8
)

// A shard is a linear-probing hash table over the keys whose top shardBits
// hash bits select it. Its capacity is a power of two and it grows at 7/8
// load (the prefetching in addBatch keeps probing cheap there), unless the
// memory budget is spent, in which case it spills its contents to disk and
// starts again empty at the same capacity.
type shard struct {
	mu       sync.Mutex
	slots    []slot
	groups   []uint32 // group of each slot, when grouping
	mem      array[slot]
	groupMem array[uint32]
	n        int // occupied slots
	overflow map[Hash128]uint64
	spill    *spillFile // runs written so far, nil if none
	touched  uint64     // sink of addBatch's prefetching loads
}

// tables is the sharded counting table with its memory accounting.
type tables struct {
	shards  [numShards]shard
	grouped bool
	budget  int64        // bytes the slots of all shards may use
	used    atomic.Int64 // bytes the slots of all shards use
	spills  *spiller     // nil: never spill (budget is then not enforced)
}

func newTables(budget int64, sp *spiller, grouped bool) *tables {
	t := &tables{budget: budget, spills: sp, grouped: grouped}
	for i := range t.shards {
		t.shards[i].alloc(minSlots, grouped)
	}
	t.used.Store(numShards * minSlots * t.perSlot())
	return t
}

// perSlot is the memory of one slot, group included.
func (t *tables) perSlot() int64 {
	if t.grouped {
		return slotBytes + 4
	}
	return slotBytes
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
	var touch uint64
	for i := range batch {
		touch += sh.slots[batch[i].key.Lo&mask].meta
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
	grow := int64(len(sh.slots)) * t.perSlot()
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
		if s.meta == 0 {
			s.hi, s.lo, s.meta = e.key.Hi, e.key.Lo, metaOccupied|uint64(e.ans)<<32
			if sh.groups != nil {
				sh.groups[i] = e.group
			}
			sh.n++
			if e.count&conflictBit != 0 {
				s.meta |= metaConflict
			}
			sh.addCount(s, e.count&^conflictBit)
			return
		}
		if s.hi != e.key.Hi || s.lo != e.key.Lo {
			continue
		}
		if e.count&conflictBit != 0 {
			s.meta |= metaConflict
		}
		if c := e.count &^ conflictBit; c > 0 {
			if s.meta&metaCount == 0 {
				s.meta = s.meta&(1<<32-1) | uint64(e.ans)<<32
			} else if uint32(s.meta>>32) != e.ans {
				s.meta |= metaConflict
			}
			sh.addCount(s, c)
		}
		return
	}
}

// addCount adds c to the answered count of s, carrying into the overflow map.
func (sh *shard) addCount(s *slot, c uint64) {
	have := s.meta & metaCount
	if sum := have + c; sum <= metaCount {
		s.meta += c
		return
	}
	if sh.overflow == nil {
		sh.overflow = make(map[Hash128]uint64)
	}
	sh.overflow[Hash128{s.hi, s.lo}] += have + c - metaCount
	s.meta |= metaCount
}

func (sh *shard) alloc(n int, grouped bool) {
	sh.mem = allocArray[slot](n)
	sh.slots = sh.mem.s
	if grouped {
		sh.groupMem = allocArray[uint32](n)
		sh.groups = sh.groupMem.s
	}
}

func (sh *shard) resize(n int) {
	old, oldGroups := sh.mem, sh.groupMem
	sh.alloc(n, sh.groups != nil)
	mask := uint64(n - 1)
	for i := range old.s {
		s := &old.s[i]
		if s.meta == 0 {
			continue
		}
		j := s.lo & mask
		for sh.slots[j].meta != 0 {
			j = (j + 1) & mask
		}
		sh.slots[j] = *s
		if oldGroups.s != nil {
			sh.groups[j] = oldGroups.s[i]
		}
	}
	old.free()
	oldGroups.free()
}

// release gives the shard's arrays back; the shard is unusable afterwards.
func (sh *shard) release() {
	sh.mem.free()
	sh.groupMem.free()
	sh.slots, sh.groups = nil, nil
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
		if sh.slots[i].meta == 0 {
			continue
		}
		if err := f(sh.entryAt(i)); err != nil {
			return err
		}
	}
	return nil
}

func (sh *shard) entryAt(i int) entry {
	s := &sh.slots[i]
	k := Hash128{s.hi, s.lo}
	c := s.meta & metaCount
	if c == metaCount {
		c += sh.overflow[k]
	}
	if s.meta&metaConflict != 0 {
		c |= conflictBit
	}
	e := entry{key: k, ans: uint32(s.meta >> 32), count: c}
	if sh.groups != nil {
		e.group = sh.groups[i]
	}
	return e
}
