package iiv

import (
	"cmp"
	"math"
	"slices"
	"sync"
)

// maxRun is the largest run of points sorted at once.
const maxRun = 1 << 20

// runs stores the points of an instance in chunks. Each chunk is sorted by
// p̂, largest first, in the background as soon as it fills, so that sorting
// overlaps reading; merge then yields all points in order. Chunks are never
// copied to grow. Sorts run one at a time and share one scratch buffer.
type runs[T Scalar[T]] struct {
	cur      []point[T]
	full     [][]point[T]
	positive int // points with p̂ > 0

	wg      sync.WaitGroup
	sorting sync.Mutex // held by the running sort
	scratch []point[T] // the radix sort's second buffer, under sorting
}

func (r *runs[T]) add(p point[T]) {
	if len(r.cur) == cap(r.cur) {
		r.seal()
	}
	r.cur = append(r.cur, p)
	if p.phat.Sign() > 0 {
		r.positive++
	}
}

// seal hands the current chunk to a sorting goroutine and starts a new one,
// twice as large up to maxRun.
func (r *runs[T]) seal() {
	next := 1024
	if c := r.cur; len(c) > 0 {
		r.full = append(r.full, c)
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.sorting.Lock()
			defer r.sorting.Unlock()
			r.scratch = sortDescending(c, r.scratch)
		}()
		next = min(2*cap(c), maxRun)
	}
	r.cur = make([]point[T], 0, next)
}

// merge waits for every chunk to be sorted and returns an iterator over all
// points by p̂, largest first.
func (r *runs[T]) merge() *merger[T] {
	r.seal()
	r.wg.Wait()
	r.scratch = nil
	m := &merger[T]{runs: r.full}
	for i := range m.runs {
		m.heap = append(m.heap, i)
	}
	for i := len(m.heap)/2 - 1; i >= 0; i-- {
		m.down(i)
	}
	return m
}

// sortDescending sorts points by p̂, largest first, and returns the scratch
// buffer for the next call. Float points take a radix sort; others a
// comparison sort.
func sortDescending[T Scalar[T]](points, scratch []point[T]) []point[T] {
	if fp, ok := any(points).([]point[Float]); ok {
		fs := any(scratch).([]point[Float])
		if cap(fs) < len(fp) {
			fs = make([]point[Float], len(fp))
		}
		radixSortDescending(fp, fs[:len(fp)])
		return any(fs).([]point[T])
	}
	slices.SortFunc(points, func(x, y point[T]) int { return y.phat.Cmp(x.phat) })
	return scratch
}

// radixKey orders points by p̂, largest first: the bits of a non-negative
// float64 order as the numbers do, so their complement orders the reverse.
// −0 is read as +0.
func radixKey(p *point[Float]) uint64 {
	b := math.Float64bits(float64(p.phat))
	if b == 1<<63 {
		b = 0
	}
	return ^b
}

// radixBits is the width of a radix sort digit: eight passes of a byte
// cover a 64-bit key, with 256 counters per digit (measured faster on these
// points than six passes of 11 bits, BenchmarkRadixSort).
const radixBits = 8

// radixSortDescending is a least-significant-digit radix sort of points on
// radixKey, radixBits at a time; a pass whose digit is the same for every
// point is skipped. p̂ must not be NaN or negative (the Accumulator rejects
// both). buf must be as long as points.
func radixSortDescending(points, buf []point[Float]) {
	n := len(points)
	if n < 512 {
		slices.SortFunc(points, func(x, y point[Float]) int { return cmp.Compare(y.phat, x.phat) })
		return
	}
	const passes, buckets = (64 + radixBits - 1) / radixBits, 1 << radixBits
	digit := func(k uint64, pass int) int { return int(k>>(pass*radixBits)) & (buckets - 1) }
	var counts [passes][buckets]int
	for i := range points {
		k := radixKey(&points[i])
		for d := range counts {
			counts[d][digit(k, d)]++
		}
	}
	src, dst := points, buf
	first := radixKey(&points[0])
	for d := range counts {
		c := &counts[d]
		if c[digit(first, d)] == n {
			continue
		}
		sum := 0
		for b, k := range c {
			c[b] = sum
			sum += k
		}
		for i := range src {
			b := digit(radixKey(&src[i]), d)
			dst[c[b]] = src[i]
			c[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &points[0] {
		copy(points, src)
	}
}

// merger is a k-way merge of sorted runs through a binary max-heap of run
// indices keyed by each run's head.
type merger[T Scalar[T]] struct {
	runs [][]point[T]
	heap []int
}

// peek returns the largest remaining p̂, or false when no point remains.
func (m *merger[T]) peek() (T, bool) {
	if len(m.heap) == 0 {
		var zero T
		return zero, false
	}
	return m.runs[m.heap[0]][0].phat, true
}

// pop removes and returns the point with the largest p̂.
func (m *merger[T]) pop() point[T] {
	i := m.heap[0]
	p := m.runs[i][0]
	m.runs[i] = m.runs[i][1:]
	if len(m.runs[i]) == 0 {
		last := len(m.heap) - 1
		m.heap[0] = m.heap[last]
		m.heap = m.heap[:last]
	}
	m.down(0)
	return p
}

func (m *merger[T]) less(a, b int) bool {
	return m.runs[m.heap[a]][0].phat.Cmp(m.runs[m.heap[b]][0].phat) > 0
}

func (m *merger[T]) down(i int) {
	n := len(m.heap)
	for {
		best := i
		if l := 2*i + 1; l < n && m.less(l, best) {
			best = l
		}
		if r := 2*i + 2; r < n && m.less(r, best) {
			best = r
		}
		if best == i {
			return
		}
		m.heap[i], m.heap[best] = m.heap[best], m.heap[i]
		i = best
	}
}
