package score

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// A Dataset holds graded samples in the compact form scoring needs: for
// each sample its question's hash, outcome and confidence, grouped by model
// and by the confidence target the model was run under. The question and
// response texts are not kept, so that a million-sample log fits in a few
// tens of megabytes.
//
// The zero Dataset is empty and ready to use. A Dataset is not safe for
// concurrent use.
type Dataset struct {
	groups []*group
	index  map[groupKey]int
	last   int // index of the group of the previous Add, a fast path
	n      int
}

type groupKey struct {
	model     string
	hasTarget bool
	target    float64
}

// A group is the samples of one model under one run target (or under none:
// a log whose prompts stated no target, re-scored at every t).
type group struct {
	key    groupKey
	counts Counts
	recs   []record
	byQID  []question // built on demand for pairing
}

type record struct {
	qid     uint64
	conf    float64
	outcome Outcome
	hasConf bool
}

// Add appends a copy of the scoring-relevant fields of s. It fails when s
// is ungraded, has no ID, or has a confidence or target out of range.
func (d *Dataset) Add(s *Sample) error {
	if s.Outcome == Ungraded {
		return errors.New("sample is ungraded")
	}
	if s.ID == "" {
		return errors.New("field id: empty")
	}
	if err := s.Check(); err != nil {
		return err
	}
	key := groupKey{model: s.Model}
	if s.Target != nil {
		key.hasTarget, key.target = true, *s.Target
	}
	g := d.group(key)
	r := record{qid: hashID(s.ID), outcome: s.Outcome}
	if s.Confidence != nil {
		r.hasConf, r.conf = true, *s.Confidence
	}
	g.recs = append(g.recs, r)
	g.counts.Add(s.Outcome)
	d.n++
	return nil
}

// Len returns the number of samples added.
func (d *Dataset) Len() int { return d.n }

// Models returns the model names in the order they were first added.
func (d *Dataset) Models() []string {
	var out []string
	seen := map[string]bool{}
	for _, g := range d.groups {
		if !seen[g.key.model] {
			seen[g.key.model] = true
			out = append(out, g.key.model)
		}
	}
	return out
}

func (d *Dataset) group(key groupKey) *group {
	if d.last < len(d.groups) && d.groups[d.last].key == key {
		return d.groups[d.last]
	}
	if d.index == nil {
		d.index = map[groupKey]int{}
	}
	i, ok := d.index[key]
	if !ok {
		i = len(d.groups)
		d.index[key] = i
		d.groups = append(d.groups, &group{key: key})
	}
	d.last = i
	return d.groups[i]
}

// question is the outcome counts of one question of a group.
type question struct {
	qid uint64
	c   Counts
}

// questions returns the outcome counts of each question of g (a question
// may be asked several times, e.g. in epochs), sorted by the hash of its ID.
func (g *group) questions() []question {
	if g.byQID != nil {
		return g.byQID
	}
	ids := make([]record, len(g.recs))
	copy(ids, g.recs)
	slices.SortFunc(ids, func(a, b record) int { return cmp.Compare(a.qid, b.qid) })
	qs := make([]question, 0, len(ids))
	for _, r := range ids {
		if n := len(qs); n > 0 && qs[n-1].qid == r.qid {
			qs[n-1].c.Add(r.outcome)
			continue
		}
		q := question{qid: r.qid}
		q.c.Add(r.outcome)
		qs = append(qs, q)
	}
	g.byQID = qs
	return qs
}

// hashID is 64-bit FNV-1a. Question IDs are paired across models by hash;
// with 64 bits a collision among a million IDs has probability ≈ 3·10⁻⁸.
func hashID(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

func (k groupKey) String() string {
	if k.hasTarget {
		return fmt.Sprintf("%s@t=%g", k.model, k.target)
	}
	return k.model
}
