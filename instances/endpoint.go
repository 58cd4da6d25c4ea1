package instances

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/hallu-dev/hallu/llm"
)

// EndpointScorer scores candidates with any OpenAI-compatible server whose
// legacy completions endpoint echoes the prompt's token log-probabilities
// (hallu serve does; the README lists what is known of others): it asks
// /completions for prompt c+r with echo, max_tokens 0 and logprobs 0 and
// sums the log-probabilities of the tokens that start at or after the end
// of c, leaving out a sentence-boundary token "</s>" at exactly the end of
// c, which closes a sentence of c (the convention of package serve). For
// hallu serve this equals ngram.Model.Score(c, r) whenever c+r tokenizes
// as c and r apart (r starting with a space).
type EndpointScorer struct {
	Client *llm.Client
	Model  string
}

// LogProb implements Scorer.
func (s EndpointScorer) LogProb(ctx context.Context, c, r string) (float64, error) {
	zero := 0
	full := c + r
	resp, err := s.Client.Complete(ctx, &llm.CompletionRequest{Model: s.Model, Prompt: full, MaxTokens: &zero, Logprobs: &zero, Echo: true})
	if err != nil {
		return 0, err
	}
	if len(resp.Choices) == 0 {
		return 0, errors.New("the reply has no choices")
	}
	return ResponseLogProb(resp.Choices[0].Logprobs, c, full)
}

var errNoEcho = errors.New("the reply does not echo the prompt's tokens with log-probabilities; the server may not support echo (see the README)")

// eos is the sentence-boundary token of hallu serve (ngram.EOS).
const eos = "</s>"

// ResponseLogProb returns the log-probability of the tokens of full that
// follow its prefix context, from an echoed completion's log-probabilities
// (see EndpointScorer). Servers count text_offset in bytes (hallu serve)
// or in characters (OpenAI, vLLM); the unit is the one in which the last
// token ends where full ends. A token that straddles the end of context
// is an error: the response's probability is then not separable.
func ResponseLogProb(lp *llm.CompletionLogprobs, context, full string) (float64, error) {
	if lp == nil || len(lp.Tokens) == 0 || len(lp.TextOffset) != len(lp.Tokens) || len(lp.TokenLogprobs) != len(lp.Tokens) {
		return 0, errNoEcho
	}
	// The last token with text ends where full ends, in bytes or runes.
	last := len(lp.Tokens) - 1
	for last > 0 && lp.Tokens[last] == eos {
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
		return 0, errNoEcho
	}
	sum, first := 0.0, -1
	for i, off := range lp.TextOffset {
		if off < boundary {
			if lp.Tokens[i] != eos && off+size(lp.Tokens[i]) > boundary {
				return 0, fmt.Errorf("token %q runs across the end of the context", lp.Tokens[i])
			}
			continue
		}
		if off == boundary && lp.Tokens[i] == eos && first < 0 {
			continue // closes the context's last sentence
		}
		if first < 0 {
			first = i
			if i == 0 {
				return 0, errors.New("the response's first token has no context")
			}
		}
		if lp.TokenLogprobs[i] == nil {
			return 0, fmt.Errorf("token %d (%q) has no log-probability", i, lp.Tokens[i])
		}
		sum += *lp.TokenLogprobs[i]
	}
	if first < 0 {
		return 0, errors.New("no token of the response in the echoed prompt")
	}
	return sum, nil
}
