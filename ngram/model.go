package ngram

import (
	"math"
	"slices"
)

// A Model is a trained n-gram language model. It is immutable and safe for
// concurrent use.
type Model struct {
	order     int
	words     []string
	ids       map[string]WordID
	levels    []level // levels[k] holds the (k+1)-grams; levels[0] is indexed by word id
	uni       []float64
	discounts []Discount
	tokens    int // training tokens, boundaries included
}

// level is one order of the trie. The children of entry i (the n-grams that
// extend it by one word) are entries child[i]..child[i+1]−1 of the next
// level, sorted by word id.
type level struct {
	word  []WordID  // last word of each n-gram; nil at level 0 (index = word id)
	logp  []float32 // ln p(word | history), interpolated
	logbo []float32 // ln γ of the n-gram as a history; nil at the top level
	child []uint32  // nil at the top level
	prob  []float32 // exp(logp), for Dist; derived when the model is built or loaded
}

// index builds what is derived from the stored tables.
func (m *Model) index() {
	m.ids = make(map[string]WordID, len(m.words))
	for i, w := range m.words {
		m.ids[w] = WordID(i)
	}
	m.uni = make([]float64, len(m.words))
	for i, lp := range m.levels[0].logp {
		m.uni[i] = math.Exp(float64(lp))
	}
	for k := 1; k < len(m.levels); k++ {
		lv := &m.levels[k]
		lv.prob = make([]float32, len(lv.logp))
		for i, lp := range lv.logp {
			lv.prob[i] = float32(math.Exp(float64(lp)))
		}
	}
}

// Order returns n, the longest n-gram the model uses: it conditions on the
// last n−1 words.
func (m *Model) Order() int { return m.order }

// VocabSize returns the number of words the model predicts, EOS and UNK
// included.
func (m *Model) VocabSize() int { return len(m.words) }

// Word returns the word with the given id.
func (m *Model) Word(id WordID) string { return m.words[id] }

// ID returns the id of word, or UNKID if the model has not seen it.
func (m *Model) ID(word string) WordID {
	if id, ok := m.ids[word]; ok {
		return id
	}
	return UNKID
}

// Known reports whether the model saw word in training.
func (m *Model) Known(word string) bool {
	_, ok := m.ids[word]
	return ok && word != UNK
}

// NGrams returns how many distinct k-grams of each order k = 1..n the model
// stores (its unigrams are its vocabulary).
func (m *Model) NGrams() []int {
	out := make([]int, m.order)
	for k, lv := range m.levels {
		out[k] = len(lv.logp)
	}
	return out
}

// Discounts returns the modified Kneser–Ney discounts of each order 1..n.
func (m *Model) Discounts() []Discount { return slices.Clone(m.discounts) }

// TrainingTokens returns the number of tokens the model was trained on,
// sentence boundaries included.
func (m *Model) TrainingTokens() int { return m.tokens }

// Start returns the history of a text that has not begun: a single EOS, as
// if a sentence had just ended.
func Start() []WordID { return []WordID{EOSID} }

// LogProb returns ln p(w | history) under interpolated modified Kneser–Ney
// smoothing (package documentation). history lists the preceding words,
// oldest first; only the last Order()−1 are used. Start() is the history of
// the first word of a text. The result is finite for every w: every word of
// the vocabulary has positive probability in every history.
func (m *Model) LogProb(history []WordID, w WordID) float64 {
	h := m.clip(history)
	var bo float64
	for start := range h {
		ctx, ok := m.find(h[start:])
		if !ok {
			continue
		}
		k := len(h) - start // level of ctx
		if j, ok := m.childOf(k-1, ctx, w); ok {
			return bo + float64(m.levels[k].logp[j])
		}
		bo += float64(m.levels[k-1].logbo[ctx])
	}
	return bo + float64(m.levels[0].logp[w])
}

// Dist writes p(w | history) for every word w into dst (len VocabSize(),
// indexed by WordID) and returns it; dst is allocated when it is too short.
// It costs one pass over the vocabulary plus the seen continuations of each
// suffix of history.
func (m *Model) Dist(history []WordID, dst []float64) []float64 {
	if len(dst) < len(m.words) {
		dst = make([]float64, len(m.words))
	}
	dst = dst[:len(m.words)]
	copy(dst, m.uni)
	h := m.clip(history)
	// Walk from the shortest history to the longest. Entries set at a level
	// are divided by the product of the γs applied so far, so that one
	// final multiplication by that product gives every entry its value.
	scale := 1.0
	for start := len(h) - 1; start >= 0; start-- {
		ctx, ok := m.find(h[start:])
		if !ok {
			break // a history is seen only if its suffixes are
		}
		k := len(h) - start
		scale *= math.Exp(float64(m.levels[k-1].logbo[ctx]))
		lv := &m.levels[k]
		inv := 1 / scale
		for j := m.levels[k-1].child[ctx]; j < m.levels[k-1].child[ctx+1]; j++ {
			dst[lv.word[j]] = float64(lv.prob[j]) * inv
		}
	}
	if scale != 1 {
		for i := range dst {
			dst[i] *= scale
		}
	}
	return dst
}

// clip returns the part of history the model conditions on.
func (m *Model) clip(history []WordID) []WordID {
	if len(history) > m.order-1 {
		return history[len(history)-(m.order-1):]
	}
	return history
}

// find returns the index of the n-gram g at level len(g)−1, if the model
// stores it and it can be followed (it is not at the top level).
func (m *Model) find(g []WordID) (uint32, bool) {
	if len(g) == 0 || len(g) >= m.order {
		return 0, false
	}
	i := uint32(g[0])
	if int(i) >= len(m.words) {
		return 0, false
	}
	for k := 1; k < len(g); k++ {
		j, ok := m.childOf(k-1, i, g[k])
		if !ok {
			return 0, false
		}
		i = j
	}
	return i, true
}

// childOf finds the child of entry i of level k whose last word is w.
func (m *Model) childOf(k int, i uint32, w WordID) (uint32, bool) {
	lv := &m.levels[k]
	lo, hi := lv.child[i], lv.child[i+1]
	words := m.levels[k+1].word[lo:hi]
	j, ok := slices.BinarySearch(words, w)
	return lo + uint32(j), ok
}
