package facts

import (
	"cmp"
	"slices"

	"github.com/hallu-dev/hallu/iiv"
)

// A curve accumulates, for the threshold walk of δ_z, groups of rows with
// the same p̂: each group's p̂ and its p̂-mass minus p-mass. In float64 it
// merges groups of equal p̂ as they come (a map and one cached group per
// slot), so that its memory and sort cost grow with the number of distinct
// values of p̂, not of prompts; in exact arithmetic it keeps every group and
// sorts them. Sums run in insertion order, so results are deterministic.
type curve[T iiv.Scalar[T]] struct {
	merge  bool
	groups []group[T]
	index  map[float64]int32
	last   [3]int32 // per slot, the group added to last, or −1
}

type group[T iiv.Scalar[T]] struct {
	phat T
	diff iiv.Sum[T]
}

func (c *curve[T]) reset() {
	var zero T
	_, c.merge = any(zero).(iiv.Float)
	c.groups = c.groups[:0]
	if c.merge {
		if c.index == nil {
			c.index = make(map[float64]int32)
		}
		clear(c.index)
	}
	c.last = [3]int32{-1, -1, -1}
}

// add adds a group of rows with model probability phat whose p̂-mass minus
// p-mass is diff. slot (0, 1 or 2) names the kind of group, for the cache.
// Groups with p̂ ≤ 0 never enter A_z = {p̂ > z} for z ≥ 0 and are dropped,
// as are groups of zero diff, which change no δ_z.
func (c *curve[T]) add(slot int, phat, diff T) {
	if phat.Sign() <= 0 || diff.Sign() == 0 {
		return
	}
	if !c.merge {
		g := group[T]{phat: phat}
		g.diff.Add(diff)
		c.groups = append(c.groups, g)
		return
	}
	if i := c.last[slot]; i >= 0 && c.groups[i].phat.Cmp(phat) == 0 {
		c.groups[i].diff.Add(diff)
		return
	}
	key := phat.Float64()
	i, ok := c.index[key]
	if !ok {
		i = int32(len(c.groups))
		c.index[key] = i
		c.groups = append(c.groups, group[T]{phat: phat})
	}
	c.groups[i].diff.Add(diff)
	c.last[slot] = i
}

// max returns max_z |Σ_{groups with p̂ > z} diff| over z ∈ [0,1]: the
// largest |partial sum| of the groups sorted by p̂ descending, taken between
// distinct values of p̂, and 0 for z at or above every p̂.
func (c *curve[T]) max() T {
	gs := c.groups
	if fg, ok := any(gs).([]group[iiv.Float]); ok {
		slices.SortFunc(fg, func(x, y group[iiv.Float]) int { return cmp.Compare(y.phat, x.phat) })
	} else {
		slices.SortFunc(gs, func(x, y group[T]) int { return y.phat.Cmp(x.phat) })
	}
	var best T
	var sum iiv.Sum[T]
	for i := range gs {
		sum.Add(gs[i].diff.Value())
		if i+1 < len(gs) && gs[i+1].phat.Cmp(gs[i].phat) == 0 {
			continue
		}
		if v := abs(sum.Value()); v.Cmp(best) > 0 {
			best = v
		}
	}
	return best
}
