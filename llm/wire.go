package llm

import (
	"errors"
	"fmt"
)

// Message is one chat message.
type Message struct {
	Role    string `json:"role"` // "system", "user" or "assistant"
	Content string `json:"content"`
}

// ChatRequest is the body of POST {base}/chat/completions. Pointer fields
// are sent only when set, so that 0 (a temperature of 0, seed 0) is
// distinguishable from "the server's default".
type ChatRequest struct {
	Model       string    `json:"model"`
	Messages    []Message `json:"messages"`
	Temperature *float64  `json:"temperature,omitempty"`
	TopP        *float64  `json:"top_p,omitempty"`
	MaxTokens   int       `json:"max_tokens,omitempty"`
	// MaxCompletionTokens replaces MaxTokens on OpenAI's reasoning models,
	// which reject max_tokens.
	MaxCompletionTokens int      `json:"max_completion_tokens,omitempty"`
	Seed                *int64   `json:"seed,omitempty"`
	N                   int      `json:"n,omitempty"`
	Stop                []string `json:"stop,omitempty"`
	// Logprobs asks for the log-probability of each sampled token, and
	// TopLogprobs for that many alternatives at each position.
	Logprobs    bool `json:"logprobs,omitempty"`
	TopLogprobs int  `json:"top_logprobs,omitempty"`

	// Draw distinguishes otherwise identical requests whose answers should
	// differ, such as repeated samples at temperature > 0: it enters the
	// cache key but is not sent.
	Draw int `json:"-"`
}

// ChatResponse is the answer to a ChatRequest.
type ChatResponse struct {
	ID      string       `json:"id"`
	Model   string       `json:"model"`
	Choices []ChatChoice `json:"choices"`
	Usage   Usage        `json:"usage"`

	Meta Meta `json:"-"`
}

// ChatChoice is one of a chat response's choices.
type ChatChoice struct {
	Index        int           `json:"index"`
	Message      Message       `json:"message"`
	FinishReason string        `json:"finish_reason"`
	Logprobs     *ChatLogprobs `json:"logprobs"`
}

// ChatLogprobs holds the log-probabilities of a chat choice's tokens.
type ChatLogprobs struct {
	Content []TokenLogprob `json:"content"`
}

// TokenLogprob is one sampled token, its natural-log probability, and the
// most likely alternatives at its position.
type TokenLogprob struct {
	Token       string       `json:"token"`
	Logprob     float64      `json:"logprob"`
	Bytes       []int        `json:"bytes,omitempty"`
	TopLogprobs []TopLogprob `json:"top_logprobs,omitempty"`
}

// TopLogprob is one alternative token at a position.
type TopLogprob struct {
	Token   string  `json:"token"`
	Logprob float64 `json:"logprob"`
	Bytes   []int   `json:"bytes,omitempty"`
}

// CompletionRequest is the body of POST {base}/completions, the legacy
// endpoint. With Echo, MaxTokens 0 and Logprobs 0 the answer carries the
// log-probability of every prompt token after the first: the model's
// log p̂ of a given text.
type CompletionRequest struct {
	Model       string   `json:"model"`
	Prompt      string   `json:"prompt"`
	MaxTokens   *int     `json:"max_tokens,omitempty"`
	Temperature *float64 `json:"temperature,omitempty"`
	TopP        *float64 `json:"top_p,omitempty"`
	Seed        *int64   `json:"seed,omitempty"`
	N           int      `json:"n,omitempty"`
	Stop        []string `json:"stop,omitempty"`
	// Logprobs is the number of alternatives per position to return; 0
	// returns the chosen tokens' log-probabilities only, nil none.
	Logprobs *int `json:"logprobs,omitempty"`
	// Echo returns the prompt before the completion, with its tokens'
	// log-probabilities when Logprobs is set.
	Echo bool `json:"echo,omitempty"`

	// Draw: see ChatRequest.Draw.
	Draw int `json:"-"`
}

// CompletionResponse is the answer to a CompletionRequest.
type CompletionResponse struct {
	ID      string             `json:"id"`
	Model   string             `json:"model"`
	Choices []CompletionChoice `json:"choices"`
	Usage   Usage              `json:"usage"`

	Meta Meta `json:"-"`
}

// CompletionChoice is one of a completion response's choices.
type CompletionChoice struct {
	Index        int                 `json:"index"`
	Text         string              `json:"text"`
	FinishReason string              `json:"finish_reason"`
	Logprobs     *CompletionLogprobs `json:"logprobs"`
}

// CompletionLogprobs holds a legacy completion's per-token
// log-probabilities. With Echo, the first prompt token has no
// log-probability (nothing precedes it): its TokenLogprobs entry is nil.
type CompletionLogprobs struct {
	Tokens        []string             `json:"tokens"`
	TokenLogprobs []*float64           `json:"token_logprobs"`
	TopLogprobs   []map[string]float64 `json:"top_logprobs"`
	TextOffset    []int                `json:"text_offset"`
}

// Usage counts a response's tokens as the server billed them.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// Meta describes how a call was answered. It is not part of the wire format.
type Meta struct {
	Key      Key  // the request's cache key
	Cached   bool // answered from the cache, without network traffic
	Attempts int  // HTTP attempts this call made (0 when cached or shared)
	Shared   bool // answered by an identical concurrent call's request
}

// errNoChoices marks a 2xx answer that decodes but holds no choice: it is
// treated like a malformed body (retried, never cached).
var errNoChoices = errors.New("no choices")

// check reports whether a decoded chat answer is usable.
func (r *ChatResponse) check() error {
	if len(r.Choices) == 0 {
		return errNoChoices
	}
	return nil
}

// check reports whether a decoded completion answer is usable, including
// that its log-probability arrays agree in length.
func (r *CompletionResponse) check() error {
	if len(r.Choices) == 0 {
		return errNoChoices
	}
	for i, c := range r.Choices {
		if lp := c.Logprobs; lp != nil && len(lp.TokenLogprobs) != len(lp.Tokens) {
			return fmt.Errorf("choice %d: %d tokens but %d token_logprobs", i, len(lp.Tokens), len(lp.TokenLogprobs))
		}
	}
	return nil
}
