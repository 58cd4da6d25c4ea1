package serve

import (
	"encoding/json"
	"math/rand/v2"

	"github.com/hallu-dev/hallu/ngram"
)

// samplingRequest holds the request fields that completions and chat
// completions share.
type samplingRequest struct {
	Model            string             `json:"model"`
	Temperature      *float64           `json:"temperature"`
	TopP             *float64           `json:"top_p"`
	N                *int               `json:"n"`
	Seed             *int64             `json:"seed"`
	Stop             json.RawMessage    `json:"stop"`
	Stream           bool               `json:"stream"`
	LogitBias        map[string]float64 `json:"logit_bias"`
	FrequencyPenalty *float64           `json:"frequency_penalty"`
	PresencePenalty  *float64           `json:"presence_penalty"`
}

// parse validates the shared fields and returns the sampling options
// (Stream left 0), n (checked against the limits with the rest of the
// request's work, by limits.check) and the stop sequences.
func (q samplingRequest) parse() (ngram.SampleOptions, int, []string, error) {
	opt := ngram.SampleOptions{Temperature: 1}
	switch {
	case q.Stream:
		return opt, 0, nil, badParam("stream", "stream is not supported by this server; send stream false")
	case len(q.LogitBias) > 0:
		return opt, 0, nil, badParam("logit_bias", "logit_bias is not supported by this server")
	case q.FrequencyPenalty != nil && *q.FrequencyPenalty != 0:
		return opt, 0, nil, badParam("frequency_penalty", "frequency_penalty is not supported by this server")
	case q.PresencePenalty != nil && *q.PresencePenalty != 0:
		return opt, 0, nil, badParam("presence_penalty", "presence_penalty is not supported by this server")
	}
	if t := q.Temperature; t != nil {
		if !(*t >= 0 && *t <= 2) {
			return opt, 0, nil, badParam("temperature", "temperature %v is not in [0, 2]", *t)
		}
		opt.Temperature = *t
	}
	if p := q.TopP; p != nil {
		if !(*p >= 0 && *p <= 1) {
			return opt, 0, nil, badParam("top_p", "top_p %v is not in [0, 1]", *p)
		}
		if *p == 0 {
			opt.Temperature = 0 // the smallest nucleus: the most probable word
		} else {
			opt.TopP = *p
		}
	}
	n := 1
	if q.N != nil {
		n = *q.N
	}
	if q.Seed != nil {
		opt.Seed = uint64(*q.Seed)
	} else {
		opt.Seed = rand.Uint64()
	}
	stops, err := parseStop(q.Stop)
	return opt, n, stops, err
}

// parseStop accepts null, a string or a list of up to maxStops strings.
func parseStop(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		if one == "" {
			return nil, badParam("stop", "a stop sequence must not be empty")
		}
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, badParam("stop", "stop must be a string or a list of strings")
	}
	if len(many) > maxStops {
		return nil, badParam("stop", "%d stop sequences; at most %d", len(many), maxStops)
	}
	for i, st := range many {
		if st == "" {
			return nil, badParam("stop", "stop sequence %d is empty", i)
		}
	}
	return many, nil
}

// parseMaxTokens checks a max_tokens value against the server's limit.
func (s *Server) parseMaxTokens(param string, v *int, def int) (int, error) {
	limit := s.state().limits.maxTokens
	if v == nil {
		return min(def, limit), nil
	}
	if *v < 0 || *v > limit {
		return 0, badParam(param, "%s %d is not in [0, %d]", param, *v, limit)
	}
	return *v, nil
}

// parseTopLogprobs checks a number of alternatives per token.
func parseTopLogprobs(param string, v int) error {
	if v < 0 || v > maxTopLogprobs {
		return badParam(param, "%s %d is not in [0, %d]", param, v, maxTopLogprobs)
	}
	return nil
}

// responseID returns a fresh id with the given prefix ("cmpl", "chatcmpl").
func responseID(prefix string) string {
	const hex = "0123456789abcdef"
	b := []byte(prefix + "-")
	for range 24 {
		b = append(b, hex[rand.IntN(16)])
	}
	return string(b)
}

// responseHead is the fields of a response before its choices.
type responseHead struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	Model   string `json:"model"`
}

// usage counts tokens as OpenAI reports them.
type usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}
