package audit

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"sync"
)

const (
	chunkBytes  = 1 << 20
	batchLen    = 64
	keepSkipped = 5
)

var bom = []byte("\xef\xbb\xbf")

// chunk is a run of whole records of one source.
type chunk struct {
	seq    int64
	src    int
	format Format
	lay    *layout
	line   int64 // line number of the first record
	data   []byte
	buf    []byte // to give back to the pool
	big    bool   // buf is longer than a chunk, and the chunk holds scanner.big
}

// recordSink receives the records of a pass, one worker at a time.
type recordSink interface {
	record(w *worker, f *fields, key []byte) error
	flush(w *worker) error
}

// scanner runs one pass over the sources: a reader goroutine cuts them into
// chunks at record boundaries, and workers parse the chunks.
type scanner struct {
	cfg     *Config
	sources []Source
	sink    recordSink
	workers []*worker

	pool   chan []byte
	chunks chan *chunk

	// maxRecord is the longest record read, and limitOption the field of
	// Config that raises it (Config.recordLimit). big is a semaphore of
	// one: a buffer longer than a chunk, for a long record, is held by the
	// reader while it fills it and then by the worker that parses it, one
	// at a time across all workers, so that long records cost at most one
	// record's room whatever their number and the number of workers.
	maxRecord   int64
	limitOption string
	big         chan struct{}

	mu      sync.Mutex
	failed  bool
	failSeq int64 // chunks after this one are not parsed
	failErr *RecordError
	fatal   error
}

// worker is one parsing goroutine's state.
type worker struct {
	sc      *scanner
	parsers map[Format]*parser
	f       fields
	key     []byte

	// counting pass
	cache      [1 << cacheBits]entry // recent keys and their records (counter.push)
	batches    [numShards][]entry
	records    int64
	answered   int64
	abstained  int64
	groups     []groupCounts
	groupIDs   map[string]uint32
	skipped    int64
	unreported int64 // records not yet added to the progress counter
	bad        []*RecordError
}

type groupCounts struct{ records, answered, abstained int64 }

func newScanner(cfg *Config, sources []Source, sink recordSink) *scanner {
	n := cfg.Workers
	sc := &scanner{
		cfg:     cfg,
		sources: sources,
		sink:    sink,
		pool:    make(chan []byte, 2*n+2),
		chunks:  make(chan *chunk, n),
		big:     make(chan struct{}, 1),
	}
	sc.maxRecord, sc.limitOption, _ = cfg.recordLimit()
	for range cap(sc.pool) {
		sc.pool <- nil // buffers are allocated on first use
	}
	for range n {
		sc.workers = append(sc.workers, &worker{sc: sc, parsers: map[Format]*parser{}, groupIDs: map[string]uint32{}})
	}
	return sc
}

// run reads every source once. It returns the first fatal error (I/O,
// decompression, cancellation) or, unless skipping, the error of the
// earliest malformed record.
func (sc *scanner) run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for _, w := range sc.workers {
		wg.Go(func() {
			if err := w.loop(ctx); err != nil {
				sc.setFatal(err)
				cancel()
			}
		})
	}
	err := sc.read(ctx)
	close(sc.chunks)
	wg.Wait()
	if err != nil {
		sc.setFatal(err)
	}
	if sc.fatal != nil {
		return sc.fatal
	}
	if sc.failErr != nil {
		return sc.failErr
	}
	return ctx.Err()
}

func (sc *scanner) setFatal(err error) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.fatal == nil {
		sc.fatal = err
	}
}

func (sc *scanner) stopped() bool {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.failed || sc.fatal != nil
}

// fail records a malformed record found in chunk seq, keeping the earliest.
func (sc *scanner) fail(seq int64, e *RecordError) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if !sc.failed || seq < sc.failSeq {
		sc.failed, sc.failSeq, sc.failErr = true, seq, e
	}
}

// loop parses chunks until the channel closes.
func (w *worker) loop(ctx context.Context) error {
	sc := w.sc
	for c := range sc.chunks {
		skip := ctx.Err() != nil
		if !skip {
			sc.mu.Lock()
			skip = sc.fatal != nil || (sc.failed && c.seq > sc.failSeq)
			sc.mu.Unlock()
		}
		var err error
		if !skip {
			err = w.chunk(c)
		}
		sc.put(c.buf)
		if c.big {
			// A long record's parse left room its size in the parsers:
			// give it back with the buffer, and then the semaphore.
			clear(w.parsers)
			w.key = nil
			<-sc.big
		}
		if err != nil {
			return err
		}
	}
	return sc.sink.flush(w)
}

// chunk parses the records of one chunk.
func (w *worker) chunk(c *chunk) error {
	sc := w.sc
	p := w.parsers[c.format]
	if p == nil {
		p = newParser(sc.cfg, c.format)
		w.parsers[c.format] = p
	}
	if p.lay != c.lay {
		p.lay, p.names = c.lay, nil
		p.tabs = make([]int, max(c.lay.maxIndex+1, 0))
	}
	data, line := c.data, c.line
	src := sc.sources[c.src].Name
	cnt, fast := sc.sink.(*counter)
	fast = fast && c.lay.fast
	for len(data) > 0 {
		if fast {
			before := w.records
			n, rest, err := w.fastLines(cnt, p, data)
			if cnt.progress != nil {
				cnt.progress.Records.Add(w.records - before)
			}
			if err != nil {
				return err
			}
			line += n
			if data = rest; len(data) == 0 {
				break
			}
			// The line at data needs the general path, if only to report it.
		}
		var rec []byte
		var err error
		recLine := line
		line++
		if c.format == TSV {
			end, ntabs, ascii := scanLine(data, p.tabs)
			rec = trimCR(data[:end])
			data = data[min(end+1, len(data)):]
			if len(rec) == 0 {
				continue
			}
			err = p.parseTSV(rec, ntabs, ascii, &w.f)
		} else {
			end, next := bytes.IndexByte(data, '\n'), 0
			if c.format == CSV {
				end = recordEnd(data, CSV)
			}
			if next = end + 1; end < 0 {
				end, next = len(data), len(data)
			}
			rec = trimCR(data[:end])
			data = data[next:]
			if c.format == CSV {
				line += int64(bytes.Count(rec, []byte{'\n'}))
			}
			if len(rec) == 0 {
				continue
			}
			err = p.parse(rec, &w.f)
		}
		var key []byte
		if err == nil {
			key = w.f.key
			if key == nil {
				w.key, err = Key(w.key[:0], w.f.prompt, w.f.group)
				key = w.key
			}
		}
		if err == nil {
			err = sc.sink.record(w, &w.f, key)
		}
		if err == nil {
			continue
		}
		re := &RecordError{File: src, Line: recLine, Err: err}
		var fe *fieldError
		if errors.As(err, &fe) {
			re.Field, re.Err = fe.field, fe.err
		}
		if !sc.cfg.SkipBad {
			sc.fail(c.seq, re)
			return nil
		}
		w.skipped++
		w.bad = append(w.bad, re)
		if len(w.bad) > 2*keepSkipped {
			w.bad = earliest(w.bad, sc.sources, keepSkipped)
		}
	}
	return nil
}

// earliest returns the k errors that come first in input order.
func earliest(errs []*RecordError, sources []Source, k int) []*RecordError {
	order := map[string]int{}
	for i, s := range sources {
		if _, ok := order[s.Name]; !ok {
			order[s.Name] = i
		}
	}
	slices.SortFunc(errs, func(a, b *RecordError) int {
		if d := order[a.File] - order[b.File]; d != 0 {
			return d
		}
		return int(a.Line - b.Line)
	})
	return errs[:min(k, len(errs))]
}
