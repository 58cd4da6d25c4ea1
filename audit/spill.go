package audit

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// Spilling. When the counting tables reach the memory budget, a shard that
// needs to grow instead writes its entries to its own temporary file as one
// run and starts again empty. Each run is ordered by sub-partition (the
// hash bits below the shard bits), and the file's index records where each
// run's sub-partitions start, so that at the end every sub-partition of
// every shard is merged on its own, from all its runs, in a table a
// 1/(numShards·numSubs) fraction of the whole.
const (
	subBits    = 4
	numSubs    = 1 << subBits
	entryBytes = 36 // hi, lo, answer fingerprint, count (8 each), group (4)
)

func subOf(h Hash128) int { return int(h.Hi>>(64-shardBits-subBits)) & (numSubs - 1) }

// spiller owns the temporary directory of one run, made on the first spill.
type spiller struct {
	parent string // where to make it; "" for the system default
	mu     sync.Mutex
	dir    string
	lock   *os.File // holds the directory's lock (see makeSpillDir)
	files  []*os.File
	stale  int          // stale spill directories removed (removeStaleSpills)
	bytes  atomic.Int64 // bytes written to spill files
	runs   atomic.Int64
}

// spillFile is one shard's file of runs.
type spillFile struct {
	f    *os.File
	size int64
	runs [][numSubs + 1]int64 // offsets of each run's sub-partitions, and its end
}

// create returns a new file in the spiller's directory, making the
// directory first if need be.
func (sp *spiller) create(name string) (*os.File, error) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.dir == "" {
		d, lock, err := makeSpillDir(sp.parent)
		if err != nil {
			return nil, fmt.Errorf("spill: %w", err)
		}
		sp.dir, sp.lock = d, lock
	}
	f, err := os.Create(filepath.Join(sp.dir, name))
	if err != nil {
		return nil, fmt.Errorf("spill: %w", err)
	}
	sp.files = append(sp.files, f)
	return f, nil
}

// remove closes the spill files and deletes the spiller's directory.
func (sp *spiller) remove() error {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.dir == "" {
		return nil
	}
	for _, f := range sp.files {
		f.Close() // finishShard closed most already; the error says nothing new
	}
	err := os.RemoveAll(sp.dir)
	sp.lock.Close() // after the removal: until then the directory is live
	return err
}

// spill writes shard s's entries as a new run and empties it. The caller
// holds the shard's lock.
func (sp *spiller) spill(s int, sh *shard) error {
	if sh.n == 0 {
		return nil
	}
	if sh.spill == nil {
		f, err := sp.create(fmt.Sprintf("shard-%02d", s))
		if err != nil {
			return err
		}
		sh.spill = &spillFile{f: f}
	}
	sf := sh.spill
	w := bufio.NewWriterSize(io.NewOffsetWriter(sf.f, sf.size), 1<<20)
	var run [numSubs + 1]int64
	off := sf.size
	var rec [entryBytes]byte
	for sub := range numSubs {
		run[sub] = off
		for i := range sh.slots {
			sl := &sh.slots[i]
			if sl.meta == 0 || subOf(Hash128{sl.hi, sl.lo}) != sub {
				continue
			}
			encodeEntry(&rec, sh.entryAt(i))
			if _, err := w.Write(rec[:]); err != nil {
				return fmt.Errorf("spill: %w", err)
			}
			off += entryBytes
		}
	}
	run[numSubs] = off
	if err := w.Flush(); err != nil {
		return fmt.Errorf("spill: %w", err)
	}
	sp.bytes.Add(off - sf.size)
	sp.runs.Add(1)
	sf.size = off
	sf.runs = append(sf.runs, run)
	sh.reset()
	return nil
}

// mergeSub merges sub-partition sub of all runs of sf into a fresh shard.
func (sf *spillFile) mergeSub(sub int, grouped bool) (*shard, error) {
	var total int64
	for _, r := range sf.runs {
		total += (r[sub+1] - r[sub]) / entryBytes
	}
	size := minSlots
	for int64(size)*loadNum < total*loadDen {
		size *= 2
	}
	sh := &shard{}
	sh.alloc(size, grouped)
	var rec [entryBytes]byte
	for _, r := range sf.runs {
		br := bufio.NewReaderSize(io.NewSectionReader(sf.f, r[sub], r[sub+1]-r[sub]), 1<<20)
		for {
			if _, err := io.ReadFull(br, rec[:]); err == io.EOF {
				break
			} else if err != nil {
				return nil, fmt.Errorf("read spill file: %w", err)
			}
			e := decodeEntry(&rec)
			sh.add(&e)
		}
	}
	return sh, nil
}

func encodeEntry(b *[entryBytes]byte, e entry) {
	binary.LittleEndian.PutUint64(b[0:], e.key.Hi)
	binary.LittleEndian.PutUint64(b[8:], e.key.Lo)
	binary.LittleEndian.PutUint64(b[16:], uint64(e.ans))
	binary.LittleEndian.PutUint64(b[24:], e.count)
	binary.LittleEndian.PutUint32(b[32:], e.group)
}

func decodeEntry(b *[entryBytes]byte) entry {
	return entry{
		key:   Hash128{binary.LittleEndian.Uint64(b[0:]), binary.LittleEndian.Uint64(b[8:])},
		ans:   uint32(binary.LittleEndian.Uint64(b[16:])),
		count: binary.LittleEndian.Uint64(b[24:]),
		group: binary.LittleEndian.Uint32(b[32:]),
	}
}
