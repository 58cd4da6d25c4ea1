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
