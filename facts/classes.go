package facts

import (
	"slices"

	"github.com/hallu-dev/hallu/iiv"
)

// classKey identifies a class of prompts that every learner here treats
// alike: the same |R_c|, α_c and training counts. Their rows differ only in
// μ(c), and every quantity of the reduction is linear in μ(c), so a class
// contributes like one prompt of weight Σ_{c ∈ class} μ(c).
type classKey struct {
	alpha     float64
	size      int32
	answered  uint32
	abstained uint32
}

// classes partitions a sample's prompts into classes, with each class's
// weight Σ w_c (μ(c) = w_c / Σ_c w_c) summed in arithmetic T, in prompt
// order. A world whose α_c are constant has about as many classes as
// distinct pairs of counts (and sizes), far fewer than prompts; a world with
// α_c drawn from a Beta law has one per prompt, and build does not look for
// repeats there.
type classes[T iiv.Scalar[T]] struct {
	keys   []classKey
	weight []iiv.Sum[T]
	index  map[classKey]int32
}

func (cl *classes[T]) build(w *World, s *Sample) {
	var zero T
	cl.keys, cl.weight = cl.keys[:0], cl.weight[:0]
	if w.alpha != nil {
		// α_c drawn from a continuous law: no two prompts share a class.
		cl.keys = slices.Grow(cl.keys, w.Prompts())
		cl.weight = slices.Grow(cl.weight, w.Prompts())
		for c := range w.Prompts() {
			cl.keys = append(cl.keys, classKey{alpha: w.alpha[c], size: int32(w.Answers(c)), answered: s.counts[2*c], abstained: s.counts[2*c+1]})
			var sum iiv.Sum[T]
			sum.Add(zero.FromFloat(w.weight[c]))
			cl.weight = append(cl.weight, sum)
		}
		return
	}
	if cl.index == nil {
		cl.index = make(map[classKey]int32)
	}
	clear(cl.index)
	last := int32(-1)
	for c := range w.Prompts() {
		k := classKey{alpha: w.Alpha(c), size: int32(w.Answers(c)), answered: s.counts[2*c], abstained: s.counts[2*c+1]}
		i := last
		if i < 0 || cl.keys[i] != k {
			var ok bool
			if i, ok = cl.index[k]; !ok {
				i = int32(len(cl.keys))
				cl.index[k] = i
				cl.keys = append(cl.keys, k)
				cl.weight = append(cl.weight, iiv.Sum[T]{})
			}
			last = i
		}
		cl.weight[i].Add(zero.FromFloat(w.weight[c]))
	}
}
