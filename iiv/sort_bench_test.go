package iiv

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

func sortBenchPoints() []point[Float] {
	rng := rand.New(rand.NewPCG(3, 4))
	pts := make([]point[Float], 1<<20)
	for i := range pts {
		pts[i].phat = Float(rng.Float64())
	}
	return pts
}

func BenchmarkRadixSort(b *testing.B) {
	orig := sortBenchPoints()
	pts, buf := make([]point[Float], len(orig)), make([]point[Float], len(orig))
	for b.Loop() {
		copy(pts, orig)
		radixSortDescending(pts, buf)
	}
}

func BenchmarkComparisonSort(b *testing.B) {
	orig := sortBenchPoints()
	pts := make([]point[Float], len(orig))
	for b.Loop() {
		copy(pts, orig)
		slices.SortFunc(pts, func(x, y point[Float]) int { return cmp.Compare(y.phat, x.phat) })
	}
}

// BenchmarkMergeWalk times the threshold walk over 2^21 points in sorted
// chunks as an Accumulator leaves them.
func BenchmarkMergeWalk(b *testing.B) {
	orig := sortBenchPoints()
	orig = append(orig, sortBenchPoints()...)
	for i := range orig {
		orig[i].a = orig[i].phat
	}
	for b.Loop() {
		b.StopTimer()
		var r runs[Float]
		for _, p := range orig {
			r.add(p)
		}
		m := r.merge()
		b.StartTimer()
		walk(m, r.positive, []Float{0.1}, 1, true)
	}
}
