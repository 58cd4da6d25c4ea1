package ngram

import (
	"context"
	"fmt"
	"io"
	"math"
)

// Encode returns the word ids of tokens; words the model has not seen
// become UNKID.
func (m *Model) Encode(tokens []Token) []WordID {
	ids := make([]WordID, len(tokens))
	for i, t := range tokens {
		ids[i] = m.ID(t.Word)
	}
	return ids
}

// A TokenProb is one token with the model's log-probability of it given
// everything before it.
type TokenProb struct {
	Token
	ID      WordID
	LogProb float64 // natural log
}

// Scored is the log-probability of a response given a context.
type Scored struct {
	LogProb float64 // ln p̂(response | context): the sum of the tokens' log-probabilities
	Tokens  []TokenProb
}

// Score returns ln p̂(response | context), the sum over the response's tokens
// of ln p(token | context, earlier response tokens): the probability that
// the model continues context with response, the p̂(r|c) of Section 3.2 of arXiv:2509.04664. Context and response are
// tokenized separately; the response's offsets are into response. The
// history starts with Start(), and a boundary that ends the context (after a
// final "?", say) is part of the context. A response ending in sentence-final
// punctuation includes the EOS after it, the event that the sentence ends
// there; a response without it is scored as a prefix of a longer text.
func (m *Model) Score(context, response string) Scored {
	hist := append(Start(), m.Encode(Tokenize(context))...)
	toks := Tokenize(response)
	if n := len(toks); n > 0 && isTerminal(toks[n-1].Word) {
		toks = append(toks, Token{Word: EOS, Start: toks[n-1].End, End: toks[n-1].End})
	}
	var out Scored
	for _, t := range toks {
		id := m.ID(t.Word)
		lp := m.LogProb(hist, id)
		out.Tokens = append(out.Tokens, TokenProb{Token: t, ID: id, LogProb: lp})
		out.LogProb += lp
		hist = append(hist, id)
	}
	return out
}

// Perplexity summarises how well a model predicts a held-out text.
type Perplexity struct {
	Tokens       int     // tokens predicted, sentence boundaries included
	OOV          int     // tokens the model has not seen (predicted as UNK)
	LogProb      float64 // Σ ln p over all tokens
	LogProbKnown float64 // Σ ln p over the tokens the model has seen
}

// PPL returns exp(−LogProb/Tokens), the perplexity over all tokens, unknown
// words counted as UNK (KenLM's "including OOVs").
func (p Perplexity) PPL() float64 { return math.Exp(-p.LogProb / float64(p.Tokens)) }

// PPLKnown returns the perplexity over the tokens the model has seen
// (SRILM's convention of leaving OOVs out).
func (p Perplexity) PPLKnown() float64 {
	return math.Exp(-p.LogProbKnown / float64(p.Tokens-p.OOV))
}

// Perplexity reads a text from r, tokenizes it as training does (the end of
// the text ends a sentence), and scores every token given the text before
// it, from Start(). It checks ctx every 64k tokens.
func (m *Model) Perplexity(ctx context.Context, r io.Reader) (Perplexity, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return Perplexity{}, fmt.Errorf("ngram: read held-out text: %w", err)
	}
	var ids []WordID
	var oov []bool
	last := ""
	scan(string(b), true, func(word string, _, _ int) {
		ids = append(ids, m.ID(word))
		oov = append(oov, !m.Known(word))
		last = word
	})
	if last != "" && last != EOS {
		ids = append(ids, EOSID)
		oov = append(oov, false)
	}
	var p Perplexity
	hist := Start()
	for i, id := range ids {
		if i%(1<<16) == 0 {
			if err := ctx.Err(); err != nil {
				return Perplexity{}, err
			}
		}
		lp := m.LogProb(hist, id)
		p.Tokens++
		p.LogProb += lp
		if oov[i] {
			p.OOV++
		} else {
			p.LogProbKnown += lp
		}
		hist = append(hist, id)
		if len(hist) > 2*m.order {
			hist = append(hist[:0], hist[len(hist)-m.order:]...)
		}
	}
	return p, nil
}
