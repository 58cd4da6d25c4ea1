package instances

import (
	"context"
	"errors"

	"github.com/hallu-dev/hallu/llm"
)

// EndpointScorer scores candidates with any OpenAI-compatible server whose
// legacy completions endpoint echoes the prompt's token log-probabilities
// (hallu serve does; the README lists what is known of others): it asks
// /completions for prompt c+r with echo, max_tokens 0 and logprobs 0 and
// sums the log-probabilities of the tokens that start at or after the end
// of c (llm.ContinuationLogprob, the end of r included). For hallu serve
// this equals ngram.Model.Score(c, r) whenever c+r tokenizes as c and r
// apart (r starting with a space).
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
	lp, err := llm.ContinuationLogprob(resp.Choices[0].Logprobs, c, full)
	return lp.LogProb(), err
}
