package audit

import (
	"slices"

	"github.com/hallu-dev/hallu/missingmass"
)

// tally accumulates the frequency-of-frequencies table of one group.
type tally struct {
	prompts, conflicts int64
	small              [64]int64
	big                map[int64]int64
}

func (t *tally) add(e entry) {
	t.prompts++
	if e.count&conflictBit != 0 {
		t.conflicts++
	}
	c := int64(e.count &^ conflictBit)
	switch {
	case c == 0:
	case c < int64(len(t.small)):
		t.small[c]++
	default:
		if t.big == nil {
			t.big = map[int64]int64{}
		}
		t.big[c]++
	}
}

func (t *tally) merge(u *tally) {
	t.prompts += u.prompts
	t.conflicts += u.conflicts
	for i, f := range u.small {
		t.small[i] += f
	}
	for j, f := range u.big {
		if t.big == nil {
			t.big = map[int64]int64{}
		}
		t.big[j] += f
	}
}

// counts returns the GroupCounts of a group whose prompts t tallies.
func (t *tally) counts(group string, records, abstained int64) GroupCounts {
	return GroupCounts{Group: group, Records: records, Abstained: abstained, Prompts: t.prompts, Conflicting: t.conflicts, FreqOfFreq: t.table()}
}

func (t *tally) table() missingmass.FreqOfFreq {
	m := make(map[int64]int64, len(t.big)+len(t.small))
	for j, f := range t.small {
		if f > 0 {
			m[int64(j)] = f
		}
	}
	for j, f := range t.big {
		m[j] = f
	}
	fof, _ := missingmass.FromMap(m) // j ≥ 1 and f ≥ 1 by construction
	return fof
}

// tallies is what one finishing goroutine gathers: a tally per group and
// the conflicting keys with the smallest hashes.
type tallies struct {
	groups    []tally
	conflicts []entry // sorted by key, at most keep
	keep      int
}

func (ts *tallies) add(e entry) {
	for int(e.group) >= len(ts.groups) {
		ts.groups = append(ts.groups, tally{})
	}
	ts.groups[e.group].add(e)
	if e.count&conflictBit != 0 && ts.keep > 0 {
		ts.conflict(e)
	}
}

func (ts *tallies) conflict(e entry) {
	i, _ := slices.BinarySearchFunc(ts.conflicts, e, compareKeys)
	if i >= ts.keep {
		return
	}
	ts.conflicts = slices.Insert(ts.conflicts, i, e)
	if len(ts.conflicts) > ts.keep {
		ts.conflicts = ts.conflicts[:ts.keep]
	}
}

func (ts *tallies) merge(u *tallies) {
	for int(len(u.groups)) > len(ts.groups) {
		ts.groups = append(ts.groups, tally{})
	}
	for g := range u.groups {
		ts.groups[g].merge(&u.groups[g])
	}
	for _, e := range u.conflicts {
		ts.conflict(e)
	}
}

func compareKeys(a, b entry) int { return a.key.Compare(b.key) }
