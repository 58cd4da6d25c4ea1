package ngram

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/hallu-dev/hallu/internal/proptest"
)

// TestMain raises rapid's default of 100 cases per property to 1000, unless
// -rapid.checks is given.
func TestMain(m *testing.M) { proptest.Main(m, 1000) }

// refModel is an independent, straightforward implementation of interpolated
// modified Kneser–Ney (Chen & Goodman 1998, eqs. 17, 19, 26): counts in maps
// keyed by the n-gram, continuation counts as sets of left neighbours, and
// p(w|h) evaluated by the recursive formula with sums over the whole
// vocabulary. It shares nothing with the trie but the training stream.
type refModel struct {
	n    int
	V    int
	raw  map[string]int
	left map[string]map[WordID]bool
	disc [][3]float64 // per order: D1, D2, D3+
}

func key(g []WordID) string {
	var b strings.Builder
	for _, w := range g {
		b.WriteString(string(rune(w + 1)))
	}
	return b.String()
}

func newRef(n, V int, s []WordID) *refModel {
	r := &refModel{n: n, V: V, raw: map[string]int{}, left: map[string]map[WordID]bool{}}
	for k := 1; k <= n; k++ {
		for i := 0; i+k <= len(s); i++ {
			g := key(s[i : i+k])
			r.raw[g]++
			if i > 0 {
				if r.left[g] == nil {
					r.left[g] = map[WordID]bool{}
				}
				r.left[g][s[i-1]] = true
			}
		}
	}
	// Discounts from the count-of-counts of adjusted counts, per order.
	r.disc = make([][3]float64, n)
	for k := 1; k <= n; k++ {
		var c [5]float64
		for g := range r.raw {
			if len([]rune(g)) != k {
				continue
			}
			if a := r.adj(g, k); a >= 1 && a <= 4 {
				c[a]++
			}
		}
		y := c[1] / (c[1] + 2*c[2])
		d := [3]float64{1 - 2*y*c[2]/c[1], 2 - 3*y*c[3]/c[2], 3 - 4*y*c[4]/c[3]}
		ok := c[1] > 0 && c[2] > 0 && c[3] > 0
		for i, x := range d {
			ok = ok && x > 0 && x <= float64(i+1)
		}
		if !ok {
			d = [3]float64{0.5, 1, 1.5}
		}
		r.disc[k-1] = d
	}
	return r
}

// adj is the adjusted count of the k-gram g: raw at the top order and for
// sentence-initial n-grams (EOS first, k ≥ 2), the number of distinct left
// neighbours otherwise.
func (r *refModel) adj(g string, k int) int {
	if k == r.n || k >= 2 && g[0] == byte(EOSID+1) {
		return r.raw[g]
	}
	return len(r.left[g])
}

func (r *refModel) d(k, a int) float64 {
	if a == 0 {
		return 0
	}
	return r.disc[k-1][min(a, 3)-1]
}

// p returns p(w | h) by the recursive formula.
func (r *refModel) p(h []WordID, w WordID) float64 {
	if len(h) > r.n-1 {
		h = h[len(h)-(r.n-1):]
	}
	k := len(h) + 1
	var S, gammaNum float64
	for v := range r.V {
		a := r.adj(key(append(slices.Clone(h), WordID(v))), k)
		S += float64(a)
		gammaNum += r.d(k, a)
	}
	var lower float64
	if len(h) == 0 {
		lower = 1 / float64(r.V)
	} else {
		lower = r.p(h[1:], w)
	}
	if S == 0 {
		return lower
	}
	a := r.adj(key(append(slices.Clone(h), w)), k)
	return (float64(a)-r.d(k, a))/S + gammaNum/S*lower
}

// fataler is what train needs of *testing.T and *rapid.T.
type fataler interface {
	Helper()
	Fatal(args ...any)
}

func train(t fataler, order int, text string) *Model {
	t.Helper()
	tr := NewTrainer()
	if err := tr.AddText(strings.NewReader(text)); err != nil {
		t.Fatal(err)
	}
	m, err := tr.Train(context.Background(), order)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestHandComputed checks a bigram model of "a b a." against values worked
// out by hand. Stream: </s> a b a . </s>; vocabulary </s> <unk> a b . (V = 5).
// Every bigram occurs once, so n₂ = 0 and order 2 uses the fallback
// discounts; the unigram continuation counts are a:2 (after </s> and b),
// b:1, .:1, </s>:1, <unk>:0, so n₃ = 0 and order 1 falls back too.
//
//	S = 5, γ(ε) = (0.5·3 + 1·1)/5 = 0.5, uniform 1/5:
//	p(a) = (2−1)/5 + 0.5/5 = 0.3; p(b) = p(.) = p(</s>) = 0.5/5 + 0.1 = 0.2; p(<unk>) = 0.1
//	history a: children b, . (count 1 each): S = 2, γ = (0.5+0.5)/2 = 0.5
//	p(b|a) = 0.5/2 + 0.5·0.2 = 0.35; p(a|a) = 0.5·0.3 = 0.15; p(<unk>|a) = 0.05
//	history </s>: child a: S = 1, γ = 0.5; p(a|</s>) = 0.5 + 0.5·0.3 = 0.65
func TestHandComputed(t *testing.T) {
	m := train(t, 2, "a b a.")
	a, b, dot := m.ID("a"), m.ID("b"), m.ID(".")
	for _, c := range []struct {
		h    []WordID
		w    WordID
		want float64
	}{
		{nil, a, 0.3}, {nil, b, 0.2}, {nil, dot, 0.2}, {nil, EOSID, 0.2}, {nil, UNKID, 0.1},
		{[]WordID{a}, b, 0.35}, {[]WordID{a}, dot, 0.35}, {[]WordID{a}, a, 0.15},
		{[]WordID{a}, EOSID, 0.1}, {[]WordID{a}, UNKID, 0.05},
		{Start(), a, 0.65}, {Start(), b, 0.1},
		{[]WordID{UNKID}, a, 0.3}, // an unseen history backs off entirely
	} {
		if got := math.Exp(m.LogProb(c.h, c.w)); math.Abs(got-c.want) > 1e-6 {
			t.Errorf("p(%s | %v) = %.7f, want %v", m.Word(c.w), c.h, got, c.want)
		}
	}
	for k, d := range m.Discounts() {
		if !d.Fallback || d.D1 != 0.5 || d.D2 != 1 || d.D3 != 1.5 {
			t.Errorf("order %d discounts %+v, want the fallback 0.5, 1, 1.5", k+1, d)
		}
	}
}

// TestDiscountEstimate checks the Chen–Goodman estimate on count-of-counts
// n₁..n₄ = 10, 4, 2, 1: Y = 10/18, D₁ = 1 − 2·(10/18)·0.4 = 5/9,
// D₂ = 2 − 3·(10/18)·0.5 = 7/6, D₃₊ = 3 − 4·(10/18)·0.5 = 17/9.
func TestDiscountEstimate(t *testing.T) {
	var a []int32
	for c, n := range map[int32]int{1: 10, 2: 4, 3: 2, 4: 1, 0: 3, 7: 2} {
		for range n {
			a = append(a, c)
		}
	}
	d := estimateDiscount(a)
	want := Discount{D1: 5.0 / 9, D2: 7.0 / 6, D3: 17.0 / 9, N: [4]int{10, 4, 2, 1}}
	if d.Fallback || d.N != want.N || math.Abs(d.D1-want.D1) > 1e-12 || math.Abs(d.D2-want.D2) > 1e-12 || math.Abs(d.D3-want.D3) > 1e-12 {
		t.Errorf("estimateDiscount = %+v, want %+v", d, want)
	}
}

// randomText draws a small training text: sentences over a few-word vocabulary,
// with sentence-final marks, so that count-of-counts of every kind occur.
func randomText(t *rapid.T) string {
	vocab := rapid.SliceOfNDistinct(rapid.StringMatching(`[a-h]{1,2}`), 1, 7, rapid.ID).Draw(t, "vocab")
	nsent := rapid.IntRange(1, 30).Draw(t, "sentences")
	var b strings.Builder
	for i := range nsent {
		least := 0
		if i == 0 {
			least = 1 // a text needs a word
		}
		words := rapid.SliceOfN(rapid.SampledFrom(vocab), least, 8).Draw(t, "sentence")
		b.WriteString(strings.Join(words, " "))
		b.WriteString(rapid.SampledFrom([]string{".", "?", ",", ""}).Draw(t, "end"))
		if i%5 == 4 {
			b.WriteString("\n\n")
		} else {
			b.WriteString(" ")
		}
	}
	return b.String()
}

// history draws a history of up to order+1 words: seen words, EOS, UNK.
func history(t *rapid.T, m *Model) []WordID {
	return rapid.SliceOfN(rapid.Custom(func(t *rapid.T) WordID {
		return WordID(rapid.IntRange(0, m.VocabSize()-1).Draw(t, "w"))
	}), 0, m.Order()+1).Draw(t, "history")
}

// TestSumsToOne: for every history, p(·|h) is a distribution over the
// vocabulary, by LogProb and by Dist.
func TestSumsToOne(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		order := rapid.IntRange(1, 5).Draw(t, "order")
		m := train(t, order, randomText(t))
		for range 5 {
			h := history(t, m)
			var byLogProb float64
			for w := range m.VocabSize() {
				lp := m.LogProb(h, WordID(w))
				if math.IsNaN(lp) || math.IsInf(lp, 0) {
					t.Fatalf("ln p(%s | %v) = %v", m.Word(WordID(w)), h, lp)
				}
				byLogProb += math.Exp(lp)
			}
			var byDist float64
			for _, p := range m.Dist(h, nil) {
				byDist += p
			}
			if math.Abs(byLogProb-1) > 1e-5 || math.Abs(byDist-1) > 1e-5 {
				t.Fatalf("history %v: Σ p = %v by LogProb, %v by Dist, want 1", h, byLogProb, byDist)
			}
		}
	})
}

// TestMatchesReference: the trie's probabilities equal the independent
// recursive implementation for every word and random histories, and Dist
// agrees with LogProb.
func TestMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		order := rapid.IntRange(1, 4).Draw(t, "order")
		text := randomText(t)
		tr := NewTrainer()
		tr.AddText(strings.NewReader(text))
		m, err := tr.Train(context.Background(), order)
		if err != nil {
			t.Fatal(err)
		}
		ref := newRef(order, len(tr.words), tr.stream)
		for k, d := range m.Discounts() {
			if got, want := [3]float64{d.D1, d.D2, d.D3}, ref.disc[k]; got != want {
				t.Fatalf("order %d discounts %v, reference %v", k+1, got, want)
			}
		}
		for range 4 {
			h := history(t, m)
			dist := m.Dist(h, nil)
			for w := range m.VocabSize() {
				want := ref.p(h, WordID(w))
				got := m.LogProb(h, WordID(w))
				if math.Abs(got-math.Log(want)) > 1e-5 || math.Abs(dist[w]-want) > 1e-6 {
					t.Fatalf("text %q order %d: p(%s | %v) = %v (LogProb), %v (Dist), reference %v",
						text, order, m.Word(WordID(w)), h, math.Exp(got), dist[w], want)
				}
			}
		}
	})
}
