package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// A Capability is one thing hallu may need from an endpoint. Probe tests
// each with a small request (max_tokens at most 4) that hallu's own
// requests resemble, and reads the reply: an HTTP 200 alone proves
// nothing, because most servers ignore fields they do not know.
type Capability string

const (
	// Models: GET {base}/models lists models.
	Models Capability = "models"
	// Chat: POST {base}/chat/completions answers.
	Chat Capability = "chat"
	// ChatTopLogprobs: a chat reply with logprobs true and top_logprobs k
	// carries k alternatives for its first token (k = 20, else 5).
	ChatTopLogprobs Capability = "chat top_logprobs"
	// Completions: POST {base}/completions (the legacy endpoint) answers.
	Completions Capability = "completions"
	// Echo: a completion asked with echo, logprobs 0 and max_tokens 0
	// returns the prompt's tokens with their log-probabilities, as
	// ContinuationLogprob reads them (how hallu scores a given answer).
	Echo Capability = "echo with logprobs"
	// CompletionsN: a completion asked with n 2 returns 2 choices (hallu
	// delta samples its answers so).
	CompletionsN Capability = "n on completions"
	// Seed: two chat requests at temperature 1 with the same seed return
	// the same text.
	Seed Capability = "seed"
	// PromptLogprobs: vLLM's prompt_logprobs extension on completions.
	PromptLogprobs Capability = "prompt_logprobs"
)

// AllCapabilities is every Capability, in the order Probe reports them.
var AllCapabilities = []Capability{Models, Chat, ChatTopLogprobs, Completions, Echo, CompletionsN, Seed, PromptLogprobs}

// Finding is what a probe learned about one capability.
type Finding struct {
	Capability Capability `json:"capability"`
	Supported  bool       `json:"supported"`
	// Known is false when the probe could not tell: no reply, a 5xx, 429,
	// 401 or 403. Callers then go ahead and let the real request fail.
	Known bool `json:"known"`
	// Detail is the evidence: what was sent and what came back.
	Detail string `json:"detail"`
	// TopLogprobs is, for ChatTopLogprobs, the number of alternatives the
	// server returned when asked for 20 (or, after refusing 20, for 5).
	TopLogprobs int `json:"top_logprobs,omitempty"`
	// Models lists, for Models, the ids the server lists.
	Models []string `json:"models,omitempty"`
	// Server is, for Models, the server the listing looks like (vllm,
	// sglang, llamacpp, tgi, ollama), or "" when it does not tell.
	Server string `json:"server,omitempty"`
}

// Measurement is a measurement made through an endpoint and the
// capabilities it needs (Client.Require checks them).
type Measurement struct {
	Name  string       `json:"name"`
	Needs []Capability `json:"needs"`
	// Instead says what to use when a need is missing.
	Instead string `json:"instead"`
}

// MissingError says that an endpoint lacks a capability a measurement
// needs, found before the measurement sent any request.
type MissingError struct {
	Endpoint    string
	Model       string
	Measurement Measurement
	Finding     Finding
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("%s needs %s, which %s (model %q) lacks: %s. Instead: %s",
		e.Measurement.Name, e.Finding.Capability, e.Endpoint, e.Model, e.Finding.Detail, e.Measurement.Instead)
}

// Require probes the capabilities m needs (each once per Client and model;
// the findings are kept) and returns a *MissingError for the first one the
// endpoint lacks. A capability the probe could not establish either way
// (see Finding.Known) does not stop m.
func (c *Client) Require(ctx context.Context, model string, m Measurement) error {
	for _, cap := range m.Needs {
		f, err := c.Probe(ctx, model, cap)
		if err != nil {
			return err
		}
		if f.Known && !f.Supported {
			return &MissingError{Endpoint: c.endpoint, Model: model, Measurement: m, Finding: f}
		}
	}
	return nil
}

// probeKey identifies a finding kept by a Client.
type probeKey struct {
	model string
	cap   Capability
}

// Probe finds out whether the endpoint offers cap for model, sending at
// most three small requests (see Capability) the first time and none
// after: findings are kept for the Client's life. Probe requests bypass
// the cache, retries and Stats; only the caller's context ending is an
// error.
func (c *Client) Probe(ctx context.Context, model string, cap Capability) (Finding, error) {
	key := probeKey{model, cap}
	c.mu.Lock()
	f, ok := c.probes[key]
	c.mu.Unlock()
	if ok {
		return f, nil
	}
	f = c.probe(ctx, model, cap)
	if err := ctx.Err(); err != nil {
		return f, err
	}
	f.Capability = cap
	c.mu.Lock()
	c.probes[key] = f
	c.mu.Unlock()
	return f, nil
}

// ProbeUserAgent ends the User-Agent of probe requests, so that server
// logs (and tests counting a run's requests) can tell them apart.
const ProbeUserAgent = "(capability probe)"

// probeTimeout bounds each probe request.
const probeTimeout = 30 * time.Second

// probeReply is one probe request's outcome.
type probeReply struct {
	status int
	raw    []byte
	err    error  // no complete reply
	secret string // the API key, kept out of what describe says
}

// known reports whether the reply settles a capability: any reply but a
// transport failure, 401, 403, 429, 5xx other than 501, and a 404 that says
// the model, not the route, is missing (the run's own requests then report
// it with the server's words).
func (r probeReply) known() bool {
	switch {
	case r.err != nil, r.status == 401, r.status == 403, r.status == 429:
		return false
	case r.status == http.StatusNotFound && r.modelMissing():
		return false
	case r.status >= 500:
		return r.status == http.StatusNotImplemented
	}
	return true
}

// modelMissing reports whether an error reply says the model does not
// exist, as OpenAI ("model_not_found"), vLLM ("The model `m` does not
// exist.") and Ollama ("model \"m\" not found") word it.
func (r probeReply) modelMissing() bool {
	e := newAPIError("", "", r.status, r.raw, r.secret)
	msg := strings.ToLower(e.Message)
	return e.Code == "model_not_found" ||
		strings.Contains(msg, "model") && (strings.Contains(msg, "not found") || strings.Contains(msg, "not exist"))
}

// describe summarises a reply that is not a usable 2xx.
func (r probeReply) describe() string {
	if r.err != nil {
		return r.err.Error()
	}
	return newAPIError("", "", r.status, r.raw, r.secret).summary()
}

// summary is the status and message of e without its request line.
func (e *APIError) summary() string {
	s := fmt.Sprintf("%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// send makes one probe request, with body marshalled when not nil.
func (c *Client) send(ctx context.Context, method, path string, body any) probeReply {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return probeReply{err: err}
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, c.base.JoinPath(path).String(), rd)
	if err != nil {
		return probeReply{err: err}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent+" "+ProbeUserAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its message repeats the full URL, query included
		}
		return probeReply{err: fmt.Errorf("%s %s: no reply: %w", method, c.endpoint+path, err)}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return probeReply{err: fmt.Errorf("%s %s: reply cut short: %w", method, c.endpoint+path, err)}
	}
	return probeReply{status: resp.StatusCode, raw: raw, secret: c.cfg.APIKey}
}

// probePrompt is the text every probe request sends.
const probePrompt = "Which letter comes first in the alphabet: A, B or C? Answer with the letter only."

func (c *Client) probe(ctx context.Context, model string, cap Capability) Finding {
	zero, temp0 := 0, 0.0
	chat := func(extra map[string]any) map[string]any {
		b := map[string]any{"model": model, "messages": []Message{{Role: "user", Content: probePrompt}}, "max_tokens": 1, "temperature": temp0}
		for k, v := range extra {
			b[k] = v
		}
		return b
	}
	switch cap {
	case Models:
		return c.probeModels(ctx)
	case Chat:
		r := c.send(ctx, http.MethodPost, "/chat/completions", chat(nil))
		return decodeFinding[ChatResponse](r, "chat with max_tokens 1", nil)
	case ChatTopLogprobs:
		return c.probeTopLogprobs(ctx, chat)
	case Completions:
		r := c.send(ctx, http.MethodPost, "/completions", map[string]any{"model": model, "prompt": "a b c", "max_tokens": 1, "temperature": temp0})
		return decodeFinding[CompletionResponse](r, "completion with max_tokens 1", nil)
	case Echo:
		r := c.send(ctx, http.MethodPost, "/completions", &CompletionRequest{Model: model, Prompt: "one two three", MaxTokens: &zero, Logprobs: &zero, Echo: true})
		return decodeFinding(r, "completion of \"one two three\" with echo, logprobs 0, max_tokens 0", func(resp *CompletionResponse) string {
			if _, err := ContinuationLogprob(resp.Choices[0].Logprobs, "one two", "one two three"); err != nil {
				return "200, but the log-probability of \" three\" after \"one two\" cannot be read from it: " + err.Error()
			}
			return ""
		})
	case CompletionsN:
		one := 1.0
		r := c.send(ctx, http.MethodPost, "/completions", map[string]any{"model": model, "prompt": "a b c", "max_tokens": 2, "n": 2, "temperature": one, "logprobs": zero})
		return decodeFinding(r, "completion with n 2", func(resp *CompletionResponse) string {
			if len(resp.Choices) != 2 {
				return fmt.Sprintf("200 with %d choices, not 2: n is ignored", len(resp.Choices))
			}
			return ""
		})
	case Seed:
		return c.probeSeed(ctx, chat)
	case PromptLogprobs:
		r := c.send(ctx, http.MethodPost, "/completions", map[string]any{"model": model, "prompt": "a b c", "max_tokens": 1, "prompt_logprobs": 1})
		return decodeFinding(r, "completion with prompt_logprobs 1", func(resp *promptLogprobsResponse) string {
			if len(resp.Choices) == 0 || len(resp.Choices[0].PromptLogprobs) < 2 {
				return "200 without choices[0].prompt_logprobs: the field is ignored"
			}
			return ""
		})
	}
	return Finding{Detail: "unknown capability"}
}

// promptLogprobsResponse is the part of a vLLM completion that carries
// prompt_logprobs: one entry per prompt token, the first null.
type promptLogprobsResponse struct {
	Choices []struct {
		PromptLogprobs []json.RawMessage `json:"prompt_logprobs"`
	} `json:"choices"`
}

func (r *promptLogprobsResponse) check() error { return nil }

// decodeFinding turns a probe reply into a Finding: supported when the
// reply is a 2xx that decodes into R, passes R's check, and for which
// judge (when set) finds nothing wrong.
func decodeFinding[R any, P interface {
	*R
	answer
}](r probeReply, what string, judge func(*R) string) Finding {
	f := Finding{Known: r.known()}
	if r.err != nil || r.status/100 != 2 {
		f.Detail = what + ": " + r.describe()
		return f
	}
	resp := P(new(R))
	if err := decode(r.raw, resp); err != nil {
		f.Detail = fmt.Sprintf("%s: %d reply that is not a usable answer: %v", what, r.status, err)
		return f
	}
	if judge != nil {
		if bad := judge((*R)(resp)); bad != "" {
			f.Detail = what + ": " + bad
			return f
		}
	}
	f.Supported, f.Detail = true, what+": answered"
	return f
}

func (c *Client) probeModels(ctx context.Context) Finding {
	r := c.send(ctx, http.MethodGet, "/models", nil)
	f := Finding{Known: r.known()}
	if r.err != nil || r.status/100 != 2 {
		f.Detail = "GET /models: " + r.describe()
		return f
	}
	var list struct {
		Data []struct {
			ID      string          `json:"id"`
			OwnedBy string          `json:"owned_by"`
			Created *int64          `json:"created"`
			Meta    json.RawMessage `json:"meta"`
		} `json:"data"`
	}
	if err := json.Unmarshal(r.raw, &list); err != nil || len(list.Data) == 0 {
		f.Detail = "GET /models: 200 without a list of models"
		return f
	}
	for _, m := range list.Data {
		f.Models = append(f.Models, m.ID)
	}
	// Server fingerprints, from each server's /v1/models (docs/endpoints.md).
	m := list.Data[0]
	switch {
	case m.OwnedBy == "vllm", m.OwnedBy == "sglang", m.OwnedBy == "llamacpp":
		f.Server = m.OwnedBy
	case m.OwnedBy == "library":
		f.Server = "ollama"
	case m.Created != nil && *m.Created == 0 && m.OwnedBy == m.ID:
		f.Server = "tgi"
	}
	f.Supported, f.Detail = true, fmt.Sprintf("GET /models: %d listed", len(f.Models))
	return f
}

// probeTopLogprobs asks for 20 alternatives and, when refused, for 5
// (TGI's default cap).
func (c *Client) probeTopLogprobs(ctx context.Context, chat func(map[string]any) map[string]any) Finding {
	var refused string
	for _, k := range []int{20, 5} {
		r := c.send(ctx, http.MethodPost, "/chat/completions", chat(map[string]any{"logprobs": true, "top_logprobs": k}))
		what := fmt.Sprintf("chat with logprobs true, top_logprobs %d", k)
		f := decodeFinding[ChatResponse](r, what, nil)
		if !f.Supported {
			if !f.Known || r.status/100 != 4 {
				return f
			}
			refused = f.Detail + "; "
			continue
		}
		lp := r.chatLogprobs()
		if lp == nil || len(lp.Content) == 0 {
			f.Supported, f.Detail = false, refused+what+": 200 without logprobs"
			return f
		}
		n := len(lp.Content[0].TopLogprobs)
		if n == 0 {
			f.Supported, f.Detail = false, refused+what+": 200 with no top_logprobs for the first token"
			return f
		}
		f.TopLogprobs = n
		f.Detail = fmt.Sprintf("%s%s: %d alternatives for the first token", refused, what, n)
		return f
	}
	return Finding{Known: true, Detail: strings.TrimSuffix(refused, "; ")}
}

// chatLogprobs decodes a 2xx chat reply's first choice's logprobs.
func (r probeReply) chatLogprobs() *ChatLogprobs {
	var resp ChatResponse
	if json.Unmarshal(r.raw, &resp) != nil || len(resp.Choices) == 0 {
		return nil
	}
	return resp.Choices[0].Logprobs
}

// probeSeed sends one chat request at temperature 1 with a seed twice and
// compares the texts. Equal texts are consistent with a seed honoured; a
// very peaked model would also give them.
func (c *Client) probeSeed(ctx context.Context, chat func(map[string]any) map[string]any) Finding {
	body := chat(map[string]any{"temperature": 1.0, "max_tokens": 4, "seed": 12345})
	body["messages"] = []Message{{Role: "user", Content: "Write four words about the sea."}}
	var texts []string
	for range 2 {
		r := c.send(ctx, http.MethodPost, "/chat/completions", body)
		f := decodeFinding[ChatResponse](r, "chat at temperature 1 with seed 12345", nil)
		if !f.Supported {
			return f
		}
		var resp ChatResponse
		_ = json.Unmarshal(r.raw, &resp) // decoded once already
		texts = append(texts, resp.Choices[0].Message.Content)
	}
	if texts[0] != texts[1] {
		return Finding{Known: true, Detail: fmt.Sprintf("two requests with seed 12345 at temperature 1 answered %q and %q", texts[0], texts[1])}
	}
	return Finding{Known: true, Supported: true, Detail: "two requests with seed 12345 at temperature 1 answered the same text"}
}
