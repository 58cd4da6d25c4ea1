package ngram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
)

// MaxOrder is the largest n-gram order a model can have.
const MaxOrder = 16

// DefaultOrder is the order of a model when none is given: a trigram, the
// model of the paper's Corollary 2.
const DefaultOrder = 3

// A WordID is a word's index in a model's vocabulary.
type WordID uint32

// The ids of the two words every vocabulary has.
const (
	EOSID WordID = 0
	UNKID WordID = 1
)

// A Trainer collects training text: add text with AddText, AddSentence or
// AddBrown, then call Train for a model of each order wanted. The zero
// Trainer is not ready for use; call NewTrainer.
type Trainer struct {
	ids    map[string]WordID
	words  []string
	stream []WordID // the training stream; starts with EOS, as if a sentence had just ended
}

// NewTrainer returns an empty Trainer.
func NewTrainer() *Trainer {
	return &Trainer{
		ids:    map[string]WordID{EOS: EOSID, UNK: UNKID},
		words:  []string{EOS, UNK},
		stream: []WordID{EOSID},
	}
}

// Tokens returns the number of tokens added so far, boundaries included.
func (t *Trainer) Tokens() int { return len(t.stream) - 1 }

// AddText reads r to its end and adds its text, tokenized by Tokenize. The
// end of the text ends a sentence.
func (t *Trainer) AddText(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("ngram: read training text: %w", err)
	}
	scan(string(b), true, func(word string, _, _ int) { t.add(word) })
	t.endSentence()
	return nil
}

// AddSentence adds one sentence whose end the caller knows: its words are
// tokenized by Tokenize's rules without sentence detection, and a boundary
// follows them.
func (t *Trainer) AddSentence(text string) {
	scan(text, false, func(word string, _, _ int) { t.add(word) })
	t.endSentence()
}

func (t *Trainer) add(word string) {
	if word == EOS {
		t.endSentence()
		return
	}
	id, ok := t.ids[word]
	if !ok {
		id = WordID(len(t.words))
		t.ids[word] = id
		t.words = append(t.words, word)
	}
	t.stream = append(t.stream, id)
}

func (t *Trainer) endSentence() {
	if t.stream[len(t.stream)-1] != EOSID {
		t.stream = append(t.stream, EOSID)
	}
}

// ErrNoText is returned by Train when no word has been added.
var ErrNoText = errors.New("ngram: no training text")

// gramLevel is the set of distinct k-grams of the training stream, in
// lexicographic order of their word ids.
type gramLevel struct {
	rep    []int32 // a position of the stream where the k-gram starts
	count  []int32 // how often it occurs (raw count)
	parent []int32 // index of its (k−1)-gram prefix one level down (a word id below bigrams)
}

// Train estimates a model of the given order (1 ≤ order ≤ MaxOrder) from
// the text added so far: interpolated modified Kneser–Ney over every n-gram
// of the training stream (see the package documentation). It checks ctx
// between stages, and leaves the Trainer as it was: more text can be added
// and other orders trained.
func (t *Trainer) Train(ctx context.Context, order int) (*Model, error) {
	if order < 1 || order > MaxOrder {
		return nil, fmt.Errorf("ngram: order %d out of range [1, %d]", order, MaxOrder)
	}
	if len(t.stream) < 2 {
		return nil, ErrNoText
	}
	n, s := order, t.stream
	levels, ranks, err := t.count(ctx, n)
	if err != nil {
		return nil, err
	}
	m := &Model{
		order:     n,
		words:     slices.Clone(t.words),
		levels:    make([]level, n),
		discounts: make([]Discount, n),
		tokens:    len(s) - 1,
	}
	// adjusted[k][j] is a(g) of the j-th (k+1)-gram: the raw count at the top
	// order and for n-grams that start a sentence, the continuation count
	// N₁₊(•g) otherwise. Unigrams are indexed by word id (UNK keeps 0).
	V := len(t.words)
	adjusted := make([][]int32, n)
	if n == 1 {
		a1 := make([]int32, V)
		for _, w := range s {
			a1[w]++
		}
		adjusted[0] = a1
	} else {
		adjusted[n-1] = levels[n-1].count
	}
	for k := n - 2; k >= 0; k-- {
		if k == 0 {
			adjusted[0] = make([]int32, V)
		} else {
			adjusted[k] = make([]int32, len(levels[k].count))
		}
		for _, p := range levels[k+1].rep {
			if k == 0 {
				adjusted[0][s[p+1]]++
			} else {
				adjusted[k][ranks[k][p+1]]++
			}
		}
		// Sentence-initial n-grams keep their raw counts (KenLM's rule for
		// n-grams that start with <s>; see the package documentation).
		for j, p := range levels[k].rep {
			if k > 0 && s[p] == EOSID {
				adjusted[k][j] = levels[k].count[j]
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Unigrams: interpolated with the uniform distribution over the vocabulary.
	a1 := adjusted[0]
	m.discounts[0] = estimateDiscount(a1)
	prob := make([]float64, V)
	st := groupStats(a1, m.discounts[0])
	for w := range V {
		prob[w] = st.own(a1[w], m.discounts[0]) + st.gamma/float64(V)
	}
	m.levels[0] = level{logp: logs(prob)}
	if n > 1 {
		m.levels[0].logbo = make([]float32, V)
		m.levels[0].child = make([]uint32, V+1)
	}

	// Orders 2..n: interpolate each seen k-gram with the (k−1)-gram suffix.
	for k := 1; k < n; k++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		lv, a := levels[k], adjusted[k]
		d := estimateDiscount(a)
		m.discounts[k] = d
		parent := &m.levels[k-1]
		prefix := lv.parent
		cur := level{
			word: make([]WordID, len(a)),
			logp: make([]float32, len(a)),
		}
		if k < n-1 {
			cur.logbo = make([]float32, len(a))
			cur.child = make([]uint32, len(a)+1)
		}
		next := make([]float64, len(a))
		for lo := 0; lo < len(a); {
			h := prefix[lo]
			hi := lo + 1
			for hi < len(a) && prefix[hi] == h {
				hi++
			}
			st := groupStats(a[lo:hi], d)
			if st.sum > 0 {
				parent.logbo[h] = float32(math.Log(st.gamma))
			}
			for j := lo; j < hi; j++ {
				p := lv.rep[j]
				w := s[int(p)+k]
				var lower float64
				if k == 1 {
					lower = prob[w]
				} else {
					lower = prob[ranks[k-1][p+1]]
				}
				next[j] = st.own(a[j], d) + st.gamma*lower
				cur.word[j] = w
			}
			parent.child[h+1] = uint32(hi)
			lo = hi
		}
		// Histories without continuations have an empty child range.
		for h := 1; h < len(parent.child); h++ {
			parent.child[h] = max(parent.child[h], parent.child[h-1])
		}
		for j, p := range next {
			cur.logp[j] = float32(math.Log(p))
		}
		m.levels[k] = cur
		prob = next
	}
	m.index()
	return m, nil
}

// count sorts the stream's positions by the n words that start there and
// reads off the distinct k-grams of every order k ≥ 2 with their raw counts:
// levels[k] holds the (k+1)-grams, and ranks[k][p] is the index in levels[k]
// of the (k+1)-gram starting at position p. Unigrams are indexed by word id
// and need neither (levels[0] and ranks[0] are empty).
func (t *Trainer) count(ctx context.Context, n int) ([]gramLevel, [][]int32, error) {
	s := t.stream
	L := len(s)
	pos, err := sortWindows(ctx, s, n, len(t.words))
	if err != nil {
		return nil, nil, err
	}
	// lcp[i] is the length of the common prefix of the windows at pos[i−1]
	// and pos[i], at most n: the k-grams there are equal iff lcp[i] ≥ k.
	lcp := make([]uint8, L)
	for i := 1; i < L; i++ {
		a, b := int(pos[i-1]), int(pos[i])
		l := 0
		for l < n && a+l < L && b+l < L && s[a+l] == s[b+l] {
			l++
		}
		lcp[i] = uint8(l)
	}
	levels := make([]gramLevel, n)
	ranks := make([][]int32, n)
	for k := 1; k < n; k++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		width := k + 1
		var lv gramLevel
		rank := make([]int32, L)
		common := 0 // common prefix of the previous counted window and this one
		for i, p := range pos {
			common = min(common, int(lcp[i]))
			if L-int(p) < width {
				continue
			}
			if len(lv.rep) == 0 || common < width {
				lv.rep = append(lv.rep, p)
				lv.count = append(lv.count, 0)
				if k == 1 {
					lv.parent = append(lv.parent, int32(s[p]))
				} else {
					lv.parent = append(lv.parent, ranks[k-1][p])
				}
			}
			lv.count[len(lv.count)-1]++
			rank[p] = int32(len(lv.rep) - 1)
			common = n
		}
		levels[k], ranks[k] = lv, rank
	}
	return levels, ranks, nil
}

// sortWindows returns the positions of s ordered by the window of up to n
// words that starts at each, lexicographically (a window cut short by the
// end of s sorts before its extensions). It is a least-significant-digit
// radix sort: one stable counting sort per window offset, with the offset
// past the end of s as the smallest key.
func sortWindows(ctx context.Context, s []WordID, n, V int) ([]int32, error) {
	L := len(s)
	pos := make([]int32, L)
	for i := range pos {
		pos[i] = int32(i)
	}
	tmp := make([]int32, L)
	count := make([]int32, V+2)
	key := func(p int32, j int) int {
		if q := int(p) + j; q < L {
			return int(s[q]) + 1
		}
		return 0
	}
	for j := n - 1; j >= 0; j-- {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		clear(count)
		for _, p := range pos {
			count[key(p, j)+1]++
		}
		for i := 1; i < len(count); i++ {
			count[i] += count[i-1]
		}
		for _, p := range pos {
			k := key(p, j)
			tmp[count[k]] = p
			count[k]++
		}
		pos, tmp = tmp, pos
	}
	return pos, nil
}

// stats are the sums over one history's continuations that the smoothing
// needs: S(h) and γ(h).
type stats struct {
	sum   float64
	gamma float64
}

// groupStats computes S and γ over the adjusted counts of the words that
// follow one history. A history with S = 0 passes all mass down (γ = 1).
func groupStats(a []int32, d Discount) stats {
	var sum, disc float64
	for _, c := range a {
		sum += float64(c)
		disc += d.of(c)
	}
	if sum == 0 {
		return stats{gamma: 1}
	}
	return stats{sum: sum, gamma: disc / sum}
}

// own is the discounted relative frequency (a − D(a))/S, the part of p(w|h)
// that does not come from the lower order.
func (st stats) own(a int32, d Discount) float64 {
	if st.sum == 0 {
		return 0
	}
	return (float64(a) - d.of(a)) / st.sum
}

func logs(p []float64) []float32 {
	out := make([]float32, len(p))
	for i, x := range p {
		out[i] = float32(math.Log(x))
	}
	return out
}
