package audit

import "cmp"

// PromptCount is what counting keeps of one prompt key: how many answered
// examples it has had, whether their answers disagreed, and the
// fingerprint of its first answer (the top 32 bits of HashAnswer; see the
// package documentation for what that costs in exactness). Abstentions add
// a zero PromptCount: the prompt is seen, with no answer.
type PromptCount struct {
	Answered int64
	Answer   uint32
	Conflict bool
}

// Merge returns the count of the examples of p and q, for the same key:
// answered counts add up, and the answers conflict if either side already
// did or both sides have answers whose fingerprints differ. It is how Run's
// tables merge partial counts, and it is associative and commutative up to
// which answer fingerprint is kept once the answers conflict.
func (p PromptCount) Merge(q PromptCount) PromptCount {
	switch {
	case q.Answered == 0:
	case p.Answered == 0:
		p.Answer = q.Answer
	case p.Answer != q.Answer:
		p.Conflict = true
	}
	p.Conflict = p.Conflict || q.Conflict
	p.Answered += q.Answered
	return p
}

// Compare orders hashes by Hi, then Lo. Run shows the conflicting prompts
// whose key hashes come first in this order, so that the choice does not
// depend on the order of the input.
func (h Hash128) Compare(o Hash128) int {
	if c := cmp.Compare(h.Hi, o.Hi); c != 0 {
		return c
	}
	return cmp.Compare(h.Lo, o.Lo)
}
