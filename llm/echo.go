package llm

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// ErrNoEcho is returned by ContinuationLogprob when a completion's reply
// does not carry the prompt's tokens with their log-probabilities.
var ErrNoEcho = errors.New("the reply does not echo the prompt's tokens with log-probabilities; the server may not support echo with logprobs (see the README)")

// SentenceBoundary is the token with which hallu serve marks the end of a
// sentence among echoed tokens. It occupies no text: its text_offset is
// the end of the sentence it closes.
const SentenceBoundary = "</s>"

// Continuation is the log-probability of the continuation r of a prompt
// c+r, read from the echoed tokens of a legacy completion: ln p̂(r | c)
// (Section 3.2 of arXiv:2509.04664) as the server scores it.
type Continuation struct {
	// Text sums the log-probabilities of the tokens from the end of c to
	// the last token with text, sentence boundaries among them included.
	Text float64
	// End sums those of the sentence boundaries echoed after the last
	// token with text (hallu serve ends a text that ends a sentence with
	// one): the event that r ends where it does. 0 when there is none.
	End float64
}

// LogProb is Text + End, the log-probability of r and of its end.
func (c Continuation) LogProb() float64 { return c.Text + c.End }

// ContinuationLogprob reads the log-probability of the continuation
// full[len(context):] from lp, the log-probabilities of a completion asked
// for prompt full with echo, max_tokens 0 and logprobs 0 (see
// CompletionRequest). It sums the tokens that start at or after the end of
// context, leaving out a SentenceBoundary at exactly the end of context,
// which closes a sentence of context (the convention of package serve).
//
// Servers count text_offset in bytes (hallu serve) or in characters
// (OpenAI, vLLM); the unit is the one in which the last token with text
// ends where full ends. A token that runs across the end of context is an
// error, because the continuation's probability is then not separable from
// the context's; so are a first continuation token without a
// log-probability before it and a continuation with no token. A reply
// without echoed tokens is ErrNoEcho.
func ContinuationLogprob(lp *CompletionLogprobs, context, full string) (Continuation, error) {
	var c Continuation
	if lp == nil || len(lp.Tokens) == 0 || len(lp.TextOffset) != len(lp.Tokens) || len(lp.TokenLogprobs) != len(lp.Tokens) {
		return c, ErrNoEcho
	}
	last := len(lp.Tokens) - 1 // the last token with text ends where full ends
	for last > 0 && lp.Tokens[last] == SentenceBoundary {
		last--
	}
	end := lp.TextOffset[last]
	size := func(tok string) int { return len(tok) }
	var boundary int
	switch {
	case end+len(lp.Tokens[last]) == len(full):
		boundary = len(context)
	case end+utf8.RuneCountInString(lp.Tokens[last]) == utf8.RuneCountInString(full):
		boundary = utf8.RuneCountInString(context)
		size = utf8.RuneCountInString
	default:
		return c, ErrNoEcho
	}
	first := -1
	for i, off := range lp.TextOffset {
		tok := lp.Tokens[i]
		if off < boundary {
			if tok != SentenceBoundary && off+size(tok) > boundary {
				return c, fmt.Errorf("token %q runs across the end of the context", tok)
			}
			continue
		}
		if first < 0 {
			if off == boundary && tok == SentenceBoundary {
				continue // closes the context's last sentence
			}
			if i == 0 {
				return c, errors.New("the continuation's first token has no context")
			}
			first = i
		}
		if lp.TokenLogprobs[i] == nil {
			return c, fmt.Errorf("token %d (%q) has no log-probability", i, tok)
		}
		if i > last {
			c.End += *lp.TokenLogprobs[i]
		} else {
			c.Text += *lp.TokenLogprobs[i]
		}
	}
	if first < 0 {
		return c, errors.New("no token of the continuation in the echoed prompt")
	}
	return c, nil
}
