package serve

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hallu-dev/hallu/ngram"
)

// eosText is how a sentence boundary is shown among tokens.
const eosText = "</s>"

// A piece is one token of a prompt or a completion as the API reports it.
type piece struct {
	text    string // the token with the space before it; eosText for a boundary, which occupies no text
	offset  int    // byte offset of the token in the returned text
	logprob float64
	top     []alt // the most probable tokens at this position, when asked for
}

// An alt is one candidate token at a position, for top_logprobs.
type alt struct {
	text    string
	logprob float64
}

// A prompt is a tokenized prompt.
type prompt struct {
	text   string
	tokens []ngram.Token
	ids    []ngram.WordID
}

func (s *Server) promptFromText(text string) prompt {
	toks := ngram.Tokenize(text)
	return prompt{text: text, tokens: toks, ids: s.Model.Encode(toks)}
}

// promptFromIDs renders token ids (model word ids) as text.
func (s *Server) promptFromIDs(param string, ids []int64) (prompt, error) {
	var p prompt
	var b strings.Builder
	prev := ""
	for i, id := range ids {
		if id < 0 || id >= int64(s.Model.VocabSize()) {
			return p, badParam(param, "token %d of the prompt is %d; token ids are in [0, %d)", i, id, s.Model.VocabSize())
		}
		w := ngram.WordID(id)
		word := s.Model.Word(w)
		if w == ngram.EOSID {
			p.tokens = append(p.tokens, ngram.Token{Word: word, Start: b.Len(), End: b.Len()})
		} else {
			b.WriteString(ngram.Spacing(prev, word))
			start := b.Len()
			b.WriteString(word)
			p.tokens = append(p.tokens, ngram.Token{Word: word, Start: start, End: b.Len()})
		}
		p.ids = append(p.ids, w)
		prev = word
	}
	p.text = b.String()
	return p, nil
}

// history returns the model's history at the end of the prompt.
func (p prompt) history() []ngram.WordID {
	return append(ngram.Start(), p.ids...)
}

// prevWord is the word that generated text follows, for spacing: "" when
// the prompt is empty or ends in whitespace (no space is to be added).
func (p prompt) prevWord() string {
	if len(p.tokens) == 0 {
		return ""
	}
	if r, _ := utf8.DecodeLastRuneInString(p.text); unicode.IsSpace(r) {
		return ""
	}
	return p.tokens[len(p.tokens)-1].Word
}

// sampling is what one choice is generated with.
type sampling struct {
	maxTokens  int
	opt        ngram.SampleOptions
	stops      []string
	topK       int  // alternatives per token; < 0: no logprobs
	withChosen bool // add the chosen token to its alternatives when not among them
}

// A completion is the generated part of one choice.
type completion struct {
	text   string
	pieces []piece
	finish string // "stop" or "length"
}

// generate continues hist, whose last word is prev (for spacing), until the
// model draws a sentence boundary, a stop sequence appears, or maxTokens
// tokens are out.
func (s *Server) generate(ctx context.Context, hist []ngram.WordID, prev string, p sampling) (completion, error) {
	m := s.Model
	smp := m.NewSampler(hist, p.opt)
	h := slices.Clone(hist)
	var c completion
	var b strings.Builder
	maxStop := 0
	for _, st := range p.stops {
		maxStop = max(maxStop, len(st))
	}
	for range p.maxTokens {
		if err := ctx.Err(); err != nil {
			return c, err
		}
		w, lp := smp.Next()
		if w == ngram.EOSID {
			c.text, c.finish = b.String(), "stop"
			return c, nil
		}
		word := m.Word(w)
		pc := piece{text: ngram.Spacing(prev, word) + word, offset: b.Len(), logprob: lp}
		if p.topK >= 0 {
			pc.top = s.alternatives(h, smp.Dist(), prev, w, p.topK, p.withChosen)
		}
		b.WriteString(pc.text)
		c.pieces = append(c.pieces, pc)
		h = append(h, w)
		prev = word
		if len(p.stops) > 0 {
			if cut, ok := findStop(b.String(), max(0, pc.offset-maxStop+1), p.stops); ok {
				c.text, c.finish = b.String()[:cut], "stop"
				c.pieces = cutPieces(c.pieces, cut)
				return c, nil
			}
		}
	}
	c.text, c.finish = b.String(), "length"
	return c, nil
}

// findStop returns the earliest offset ≥ from where one of stops occurs in text.
func findStop(text string, from int, stops []string) (int, bool) {
	best := -1
	for _, st := range stops {
		if i := strings.Index(text[from:], st); i >= 0 && (best < 0 || from+i < best) {
			best = from + i
		}
	}
	return best, best >= 0
}

// cutPieces drops the tokens that start at or after cut and shortens the one
// that crosses it, so that the pieces still concatenate to the text.
func cutPieces(pieces []piece, cut int) []piece {
	for len(pieces) > 0 && pieces[len(pieces)-1].offset >= cut {
		pieces = pieces[:len(pieces)-1]
	}
	if n := len(pieces); n > 0 && pieces[n-1].offset+len(pieces[n-1].text) > cut {
		pieces[n-1].text = pieces[n-1].text[:cut-pieces[n-1].offset]
	}
	return pieces
}

// alternatives returns the k most probable tokens after h (dist is the
// model's distribution there), and chosen too when withChosen is set and it
// is not among them. Their log-probabilities come from LogProb, so the
// chosen token's equals its own.
func (s *Server) alternatives(h []ngram.WordID, dist []float64, prev string, chosen ngram.WordID, k int, withChosen bool) []alt {
	ids := ngram.TopK(dist, k)
	if withChosen && !slices.Contains(ids, chosen) {
		ids = append(ids, chosen)
	}
	out := make([]alt, len(ids))
	for i, id := range ids {
		out[i] = alt{text: s.tokenText(prev, id), logprob: s.Model.LogProb(h, id)}
	}
	return out
}

// tokenText renders the word id after the word prev.
func (s *Server) tokenText(prev string, id ngram.WordID) string {
	if id == ngram.EOSID {
		return eosText
	}
	word := s.Model.Word(id)
	return ngram.Spacing(prev, word) + word
}

// scorePrompt returns the prompt's tokens with their log-probabilities from
// the start of a text, and topK alternatives at each when topK > 0. A
// token's text runs from the end of the token before it, so the pieces
// concatenate to the prompt up to its last token. It stops, between two
// tokens, when ctx is done.
func (s *Server) scorePrompt(ctx context.Context, p prompt, topK int) ([]piece, error) {
	m := s.Model
	hist := ngram.Start()
	pieces := make([]piece, len(p.tokens))
	var dist []float64
	prevEnd, prev := 0, ""
	for i, t := range p.tokens {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		pc := &pieces[i]
		if t.Word == ngram.EOS {
			pc.text, pc.offset = eosText, t.Start
		} else {
			pc.text, pc.offset = p.text[prevEnd:t.End], prevEnd
			prevEnd = t.End
		}
		id := p.ids[i]
		pc.logprob = m.LogProb(hist, id)
		if topK > 0 {
			dist = m.Dist(hist, dist)
			pc.top = s.alternatives(hist, dist, prev, id, topK, true)
		}
		hist = append(hist, id)
		prev = t.Word
	}
	return pieces, nil
}
