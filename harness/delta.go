package harness

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/hallu-dev/hallu/llm"
)

// DeltaConfig describes a measurement of δ on a live model.
type DeltaConfig struct {
	Client    *llm.Client
	Model     string
	Questions []Question
	// Samples is the number of answers sampled per question (default 10),
	// at temperature 1 — the model's own distribution p̂.
	Samples int
	// MaxTokens bounds each sampled answer (default 32).
	MaxTokens int
	Seed      *int64
	// Workers is the number of questions in flight (default 8).
	Workers int
}

// DeltaMeasurement is what MeasureDelta observed.
type DeltaMeasurement struct {
	Observations []DeltaObservation
	// Failed lists the questions left out because a request failed, each
	// as "id: error".
	Failed []string
}

// DeltaPrompt is the completion prompt of question q; answers follow it
// after a space.
func DeltaPrompt(q Question) string { return "Question: " + q.Text + "\nAnswer:" }

// MeasureDelta collects, for each question c, the model's log-probability
// of its reference answer (the first gold, scored with the legacy
// completions endpoint's echo and logprobs) and of Samples answers it
// samples itself (n samples at temperature 1, stopped at a newline, with
// their token log-probabilities). EstimateDelta turns them into δ.
//
// Both sides use q(r|c), the probability of the answer's tokens after the
// prompt, without the event that the answer ends there: a sampled answer's
// end (the stop sequence) has no log-probability in the API's reply, so
// leaving it out of both sides keeps A one set for both estimates. q is
// an upper bound of p̂(r|c), so A is a superset of Corollary 1's A; answers
// with no text (q = 1) are counted and left out.
//
// The endpoint must implement echo with logprobs (hallu serve does; see
// the README for hosted servers). Questions whose requests fail after the
// client's retries are listed in Failed and left out; MeasureDelta returns
// an error only when ctx ends.
func MeasureDelta(ctx context.Context, cfg DeltaConfig) (DeltaMeasurement, error) {
	if cfg.Samples <= 0 {
		cfg.Samples = 10
	}
	if cfg.MaxTokens <= 0 {
		cfg.MaxTokens = 32
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = 8
	}
	obs := make([]*DeltaObservation, len(cfg.Questions))
	fails := make([]error, len(cfg.Questions))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				o, err := cfg.observe(ctx, cfg.Questions[i])
				if err != nil {
					fails[i] = err
					continue
				}
				obs[i] = &o
			}
		})
	}
feed:
	for i := range cfg.Questions {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return DeltaMeasurement{}, err
	}
	var m DeltaMeasurement
	for i, o := range obs {
		if o != nil {
			m.Observations = append(m.Observations, *o)
		} else {
			m.Failed = append(m.Failed, cfg.Questions[i].ID+": "+fails[i].Error())
		}
	}
	return m, nil
}

// observe makes the two requests of one question.
func (cfg *DeltaConfig) observe(ctx context.Context, q Question) (DeltaObservation, error) {
	o := DeltaObservation{ID: q.ID}
	prompt := DeltaPrompt(q)
	zero, one, maxTokens := 0, 1.0, cfg.MaxTokens
	samples, err := cfg.Client.Complete(ctx, &llm.CompletionRequest{
		Model: cfg.Model, Prompt: prompt, MaxTokens: &maxTokens, Temperature: &one,
		N: cfg.Samples, Stop: []string{"\n"}, Logprobs: &zero, Seed: cfg.Seed,
	})
	if err != nil {
		return o, err
	}
	if len(samples.Choices) != cfg.Samples {
		return o, fmt.Errorf("asked for %d samples (n), got %d", cfg.Samples, len(samples.Choices))
	}
	for i, c := range samples.Choices {
		if strings.TrimSpace(c.Text) == "" {
			o.Empty++
			continue
		}
		if c.Logprobs == nil {
			return o, fmt.Errorf("sample %d has no log-probabilities", i)
		}
		lp, err := sumLogprobs(c.Logprobs.TokenLogprobs)
		if err != nil {
			return o, fmt.Errorf("sample %d: %w", i, err)
		}
		o.Samples = append(o.Samples, lp)
		if c.FinishReason == "length" {
			o.Truncated++
		}
	}

	// The reference answer without surrounding white space, as a sampled
	// answer is: a tokenizer gives a trailing space no token, and the
	// echoed tokens would then end short of the prompt sent.
	gold := strings.TrimSpace(q.Golds[0])
	if gold == "" {
		return o, fmt.Errorf("reference answer %q is blank", q.Golds[0])
	}
	full := prompt + " " + gold
	ref, err := cfg.Client.Complete(ctx, &llm.CompletionRequest{
		Model: cfg.Model, Prompt: full, MaxTokens: &zero, Logprobs: &zero, Echo: true,
	})
	if err != nil {
		return o, err
	}
	// Text leaves out a sentence boundary after the answer (hallu serve
	// echoes one after a final "."): the end of the answer, which the
	// samples' log-probabilities do not hold either.
	c, err := llm.ContinuationLogprob(ref.Choices[0].Logprobs, prompt, full)
	o.Reference = c.Text
	if err != nil {
		return o, fmt.Errorf("reference answer %q: %w", gold, err)
	}
	return o, nil
}

// sumLogprobs adds the log-probabilities; each must be present.
func sumLogprobs(lps []*float64) (float64, error) {
	sum := 0.0
	for i := range lps {
		if lps[i] == nil {
			return 0, fmt.Errorf("token %d has no log-probability", i)
		}
		sum += *lps[i]
	}
	return sum, nil
}
