package facts

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"
)

// MaxExamples bounds N, so that per-prompt counts fit in 32 bits.
const MaxExamples = math.MaxUint32

// chunkSize is how many examples one random stream draws. Streams are
// seeded by (run seed, chunk index), so the sample does not depend on how
// chunks are spread over goroutines.
const chunkSize = 1 << 16

// A Sample is N training examples drawn i.i.d. from p (Definition 1),
// summarised as the two counts per prompt that the learners here and the
// singleton rate depend on: how many examples carried the prompt's answer
// a_c, and how many carried IDK. Every answered example of c carries the
// same a_c, so these counts are a sufficient statistic of the sample.
type Sample struct {
	// N is the number of examples, IDK ones included.
	N int
	// Seed is the run's seed: it drew the examples and draws a_c.
	Seed   uint64
	counts []uint32 // counts[2c]: examples (c, a_c); counts[2c+1]: examples (c, IDK)
}

// Answered returns the number of examples (c, a_c).
func (s *Sample) Answered(c int) int { return int(s.counts[2*c]) }

// Abstained returns the number of examples (c, IDK).
func (s *Sample) Abstained(c int) int { return int(s.counts[2*c+1]) }

// Prompts returns K.
func (s *Sample) Prompts() int { return len(s.counts) / 2 }

// Draw draws n examples i.i.d. from w's data distribution p (Definition 1:
// a prompt c from μ, then a_c with probability α_c and IDK otherwise, as one
// draw from the 2K outcomes (c, a_c), (c, IDK) of an alias table) into dst,
// reusing its memory. It uses the random streams of seed and up to workers
// goroutines (≤ 0 means GOMAXPROCS); the result depends only on w, n and
// seed. It checks ctx between chunks of examples.
func (w *World) Draw(ctx context.Context, n int, seed uint64, workers int, dst *Sample) error {
	if n < 1 {
		return fmt.Errorf("N = %d: a sample needs at least one example", n)
	}
	if n > MaxExamples {
		return fmt.Errorf("N = %d exceeds the maximum %d", n, MaxExamples)
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunks := (n + chunkSize - 1) / chunkSize
	workers = min(workers, chunks)
	dst.N, dst.Seed = n, seed
	dst.counts = resize(dst.counts, 2*w.Prompts())
	clear(dst.counts)

	var next atomic.Int64
	run := func(counts []uint32) error {
		for {
			i := int(next.Add(1) - 1)
			if i >= chunks {
				return nil
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			m := min(chunkSize, n-i*chunkSize)
			w.drawChunk(counts, m, seed, uint64(i))
		}
	}
	if workers == 1 {
		return run(dst.counts)
	}
	extra := make([][]uint32, workers-1)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range extra {
		extra[i] = make([]uint32, len(dst.counts))
		wg.Go(func() { errs[i+1] = run(extra[i]) })
	}
	errs[0] = run(dst.counts)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	for _, e := range extra {
		for i, x := range e {
			dst.counts[i] += x
		}
	}
	return nil
}

func (w *World) drawChunk(counts []uint32, m int, seed, chunk uint64) {
	src := newPCG(seed, streamChunk, chunk)
	t := &w.table
	for range m {
		counts[t.draw(src.Uint64())]++
	}
}

// answer returns a_c for a prompt with size plausible answers, numbered
// 0..size−1: uniform, drawn independently per prompt from the run's seed.
func (s *Sample) answer(c, size int) int {
	hi, _ := bits.Mul64(derive(s.Seed, streamAnswer, uint64(c)), uint64(size))
	return int(hi)
}

func resize[E any](s []E, n int) []E {
	if cap(s) < n {
		return make([]E, n)
	}
	return s[:n]
}
