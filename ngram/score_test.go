package ngram

import (
	"bytes"
	"context"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/ngram/corpus"
)

func TestScore(t *testing.T) {
	m := train(t, 3, "she lost it and was out of her mind. he lost it and was out of his mind.")
	sc := m.Score("She lost it and was out of", " her mind.")
	if got := words(tokensOf(sc)); got != "her mind . </s>" {
		t.Fatalf("scored tokens %q, want the response and the boundary after its period", got)
	}
	h := append(Start(), m.Encode(Tokenize("She lost it and was out of"))...)
	var want float64
	for _, w := range []string{"her", "mind", ".", EOS} {
		want += m.LogProb(h, m.ID(w))
		h = append(h, m.ID(w))
	}
	if math.Abs(sc.LogProb-want) > 1e-12 {
		t.Errorf("Score = %v, sum of LogProb = %v", sc.LogProb, want)
	}
	if sc.Tokens[0].Start != 1 || sc.Tokens[0].End != 4 {
		t.Errorf("first response token spans %d..%d of the response, want 1..4", sc.Tokens[0].Start, sc.Tokens[0].End)
	}
	// No final punctuation: a prefix, no boundary.
	if got := words(tokensOf(m.Score("out of", "her mind"))); got != "her mind" {
		t.Errorf("scored %q, want %q", got, "her mind")
	}
	// A context ending a sentence puts its boundary in the history.
	q := m.Score("Was he out of his mind?", "yes")
	if got := m.LogProb([]WordID{m.ID("?"), EOSID}, m.ID("yes")); q.LogProb != got {
		t.Errorf("after a question, ln p(yes) = %v, want %v (history ending in EOS)", q.LogProb, got)
	}
}

func tokensOf(s Scored) []Token {
	var out []Token
	for _, tp := range s.Tokens {
		out = append(out, tp.Token)
	}
	return out
}

// heldOut splits the embedded Moby-Dick at a paragraph break: about 90% to
// train on, the rest held out.
func heldOut(t testing.TB) (train, test string) {
	b, err := io.ReadAll(corpus.MobyDick())
	if err != nil {
		t.Fatal(err)
	}
	cut := bytes.Index(b[len(b)*9/10:], []byte("\n\n")) + len(b)*9/10
	return string(b[:cut]), string(b[cut:])
}

// TestPerplexityOrders: on held-out Moby-Dick, Kneser–Ney bigrams beat
// unigrams and trigrams beat bigrams, and every token gets a finite score.
func TestPerplexityOrders(t *testing.T) {
	trainText, testText := heldOut(t)
	var prev float64 = math.Inf(1)
	for order := 1; order <= 3; order++ {
		m := train(t, order, trainText)
		p, err := m.Perplexity(context.Background(), strings.NewReader(testText))
		if err != nil {
			t.Fatal(err)
		}
		ppl := p.PPL()
		t.Logf("order %d: %d tokens, %d OOV, perplexity %.1f (%.1f without OOVs)", order, p.Tokens, p.OOV, ppl, p.PPLKnown())
		if math.IsNaN(ppl) || math.IsInf(ppl, 0) || p.OOV == 0 || p.OOV >= p.Tokens/10 {
			t.Fatalf("order %d: perplexity %v with %d of %d tokens OOV", order, ppl, p.OOV, p.Tokens)
		}
		if ppl >= prev {
			t.Errorf("order %d: perplexity %.1f is not below order %d's %.1f", order, ppl, order-1, prev)
		}
		prev = ppl
	}
}
