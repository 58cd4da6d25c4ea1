package facts

import (
	"math"
	"math/bits"
)

// aliasTable samples an outcome i with probability q_i in O(1) time per
// draw by Walker's alias method, built in O(n) by Vose's algorithm (Vose
// 1991, "A linear algorithm for generating random numbers with a given
// distribution", IEEE Trans. Softw. Eng. 17(9)).
//
// Each bucket keeps its acceptance probability as a 32-bit fraction: the
// probability of an outcome is off by at most 2^−32/n, far below the
// sampling noise of any simulation this package runs.
type aliasTable struct {
	bucket []aliasBucket
}

type aliasBucket struct {
	accept uint32 // keep the bucket's own outcome if the coin is below this
	alias  uint32 // otherwise take this one
}

// newAliasTable builds the table for weights q (non-negative, summing to
// total > 0; len(q) < 2^32).
func newAliasTable(q []float64, total float64) aliasTable {
	n := len(q)
	t := aliasTable{bucket: make([]aliasBucket, n)}
	scaled := make([]float64, n)
	small := make([]uint32, 0, n)
	large := make([]uint32, 0, n)
	for i, x := range q {
		scaled[i] = x * float64(n) / total
		if scaled[i] < 1 {
			small = append(small, uint32(i))
		} else {
			large = append(large, uint32(i))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s := small[len(small)-1]
		small = small[:len(small)-1]
		l := large[len(large)-1]
		t.bucket[s] = aliasBucket{accept: fraction32(scaled[s]), alias: l}
		scaled[l] -= 1 - scaled[s]
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// What remains has scaled weight 1 up to rounding: keep it always.
	for _, i := range append(small, large...) {
		t.bucket[i] = aliasBucket{accept: math.MaxUint32, alias: i}
	}
	return t
}

// fraction32 returns x in [0,1] as a 32-bit fraction, rounded.
func fraction32(x float64) uint32 {
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return math.MaxUint32
	}
	return uint32(math.Round(x * (1 << 32)))
}

// draw maps one uniform 64-bit word to an outcome: the high word of u·n
// picks the bucket (Lemire's multiply-shift, bias ≤ n/2^64) and the top 32
// bits of the low word, a fraction nearly independent of the bucket, toss
// the bucket's coin.
func (t *aliasTable) draw(u uint64) uint32 {
	hi, lo := bits.Mul64(u, uint64(len(t.bucket)))
	b := t.bucket[hi]
	// Select without a branch: a mispredicted branch on a value just
	// fetched from a large table would serialise the cache misses of
	// consecutive draws. keep is all ones iff coin < accept.
	keep := uint32(int64(lo>>32-uint64(b.accept)) >> 63)
	return b.alias ^ (b.alias^uint32(hi))&keep
}
