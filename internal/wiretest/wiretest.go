// Package wiretest serves fake OpenAI-compatible endpoints on loopback that
// answer as OpenAI, vLLM, llama.cpp's server, Ollama, SGLang and TGI do,
// each described by a profile in testdata/ (JSON, one per server) that
// records the request fields the server honours, the shapes of its replies,
// its error bodies and rate-limit headers, and the version and source files
// they were read from (docs/endpoints.md lists them). The model behind
// every profile is the same tiny fixed distribution (FirstToken), so that
// tests can compute by hand what hallu should read from each server.
package wiretest

import (
	"embed"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
)

//go:embed testdata/*.json
var profiles embed.FS

// Servers lists the profiles, by file name without ".json".
var Servers = []string{"openai", "vllm", "llamacpp", "ollama", "sglang", "tgi"}

// Profile is one server's wire behaviour.
type Profile struct {
	Server  string   `json:"server"`
	Version string   `json:"version"`
	Sources []string `json:"sources"`
	// Models is the body of GET /v1/models.
	Models json.RawMessage `json:"models"`
	// Headers are sent with every reply (rate-limit headers).
	Headers map[string]string `json:"headers"`
	// Errors holds the server's error replies by the rule they enforce.
	Errors      map[string]ErrorReply `json:"errors"`
	Chat        ChatRules             `json:"chat"`
	Completions CompletionRules       `json:"completions"`
	// Stream is one server-sent event of a streamed chat reply, as the
	// server writes it (hallu does not stream; kept for reference).
	Stream string `json:"stream_chunk"`
	// Expect is what hallu probe must report: the server's documented
	// capabilities, and ExpectTopLogprobs the alternatives it returns.
	Expect            map[string]bool `json:"expect"`
	ExpectTopLogprobs int             `json:"expect_top_logprobs"`
}

// ErrorReply is a status, body and headers.
type ErrorReply struct {
	Status  int               `json:"status"`
	Body    json.RawMessage   `json:"body"`
	Headers map[string]string `json:"headers"`
}

// ChatRules say how the server treats a chat request.
type ChatRules struct {
	// Logprobs: logprobs true returns choices[].logprobs.content.
	Logprobs bool `json:"logprobs"`
	// TopMax is the most top_logprobs accepted; above it Errors["top_logprobs"].
	TopMax int `json:"top_max"`
	// ZeroTopDropsLogprobs: top_logprobs 0 returns no logprobs (llama.cpp).
	ZeroTopDropsLogprobs bool `json:"zero_top_drops_logprobs"`
	// TopRequiresLogprobs: top_logprobs without logprobs is Errors["top_without_logprobs"].
	TopRequiresLogprobs bool `json:"top_requires_logprobs"`
	// Bytes and IDs: items carry "bytes" and "id".
	Bytes bool `json:"bytes"`
	IDs   bool `json:"ids"`
	// SampledFirst: the sampled token is listed first, then the others by
	// rank (vLLM's dict order).
	SampledFirst bool `json:"sampled_first"`
	// N: n choices are returned (else one).
	N bool `json:"n"`
	// Seed: the seed fixes the text (else it varies per request).
	Seed bool `json:"seed"`
	// RejectUnknown: unknown request fields are Errors["unknown_field"]
	// (OpenAI); the same rule applies to completions.
	RejectUnknown bool `json:"reject_unknown"`
}

// CompletionRules say how the server treats a legacy completion request.
type CompletionRules struct {
	Supported bool `json:"supported"`
	// Logprobs: "legacy" ({tokens, token_logprobs, top_logprobs,
	// text_offset}), "chat" (llama.cpp: {content:[...]}) or "" (none).
	Logprobs string `json:"logprobs"`
	// Echo: echo with logprobs returns the prompt's tokens; EchoError names
	// the Errors entry returned instead, if any.
	Echo      bool   `json:"echo"`
	EchoError string `json:"echo_error"`
	// TextOffset: "chars" or "minus1" (SGLang).
	TextOffset string `json:"text_offset"`
	// MaxTokensZero: max_tokens 0 is accepted (else Errors["max_tokens_zero"]).
	MaxTokensZero  bool `json:"max_tokens_zero"`
	N              bool `json:"n"`
	PromptLogprobs bool `json:"prompt_logprobs"`
}

// Load reads the profile of server.
func Load(server string) (*Profile, error) {
	raw, err := profiles.ReadFile("testdata/" + server + ".json")
	if err != nil {
		return nil, err
	}
	p := new(Profile)
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(p); err != nil {
		return nil, fmt.Errorf("wiretest: %s.json: %w", server, err)
	}
	return p, nil
}

// Token is one first-token alternative of the fake model.
type Token struct {
	Text string
	P    float64
}

// FirstToken is the fake model's distribution of its first token, most
// probable first: the letters A–D take 0.5, 0.2, 0.1 and 0.05; 21 other
// tokens share the rest. Every server answers from it.
var FirstToken = func() []Token {
	t := []Token{{"A", 0.5}, {"B", 0.2}, {"C", 0.1}, {"D", 0.05}, {" A", 0.04}}
	rest := 0.11 // 1 − the above
	for i := range 20 {
		// geometric shares, each below the last listed letter
		p := rest / math.Pow(2, float64(i+1))
		if i == 19 {
			p *= 2
		}
		t = append(t, Token{fmt.Sprintf("w%02d", i), p})
	}
	sort.SliceStable(t, func(i, j int) bool { return t[i].P > t[j].P })
	return t
}()

// Server is a fake endpoint serving a profile.
type Server struct {
	*Profile
	// URL is the API root, ending in /v1.
	URL  string
	fake *fake
}

// Requests counts the requests received other than capability probes
// (whose User-Agent ends in probeSuffix).
func (s *Server) Requests() int64 { return s.fake.requests.Load() }

// Start serves p on 127.0.0.1 until the test ends.
func Start(t testing.TB, p *Profile) *Server {
	t.Helper()
	f := &fake{p: p}
	hs := httptest.NewServer(f)
	t.Cleanup(hs.Close)
	return &Server{Profile: p, URL: hs.URL + "/v1", fake: f}
}

// StartServer loads and serves the profile named server.
func StartServer(t testing.TB, server string) *Server {
	t.Helper()
	p, err := Load(server)
	if err != nil {
		t.Fatal(err)
	}
	return Start(t, p)
}

// probeSuffix ends the User-Agent of hallu's capability probes
// (llm.ProbeUserAgent, repeated to keep this package free of llm).
const probeSuffix = "(capability probe)"

type fake struct {
	p        *Profile
	calls    atomic.Int64 // requests answered with a drawn text
	requests atomic.Int64 // requests other than probes
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.UserAgent(), probeSuffix) {
		f.requests.Add(1)
	}
	for k, v := range f.p.Headers {
		w.Header().Set(k, v)
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/v1/models":
		write(w, http.StatusOK, f.p.Models)
	case r.Method == http.MethodPost && r.URL.Path == "/v1/chat/completions":
		f.chat(w, r)
	case r.Method == http.MethodPost && r.URL.Path == "/v1/completions" && f.p.Completions.Supported:
		f.complete(w, r)
	default:
		f.fail(w, "not_found")
	}
}

func write(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
}

func (f *fake) fail(w http.ResponseWriter, rule string) {
	e, ok := f.p.Errors[rule]
	if !ok {
		panic(fmt.Sprintf("wiretest: profile %s has no error %q", f.p.Server, rule))
	}
	for k, v := range e.Headers {
		w.Header().Set(k, v)
	}
	write(w, e.Status, e.Body)
}

// request is the union of the fields the fake reads.
type request struct {
	Model       string           `json:"model"`
	Messages    []map[string]any `json:"messages"`
	Prompt      string           `json:"prompt"`
	MaxTokens   *int             `json:"max_tokens"`
	Logprobs    json.RawMessage  `json:"logprobs"` // bool on chat, int on completions
	TopLogprobs *int             `json:"top_logprobs"`
	Echo        bool             `json:"echo"`
	N           int              `json:"n"`
	Seed        *int64           `json:"seed"`
	PromptLogp  *int             `json:"prompt_logprobs"`
	extra       []string
}

var known = map[string]bool{"model": true, "messages": true, "prompt": true, "max_tokens": true, "logprobs": true,
	"top_logprobs": true, "echo": true, "n": true, "seed": true, "temperature": true, "top_p": true, "stop": true,
	"max_completion_tokens": true}

func decodeRequest(r *http.Request) (*request, error) {
	var raw map[string]json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
		return nil, err
	}
	b, _ := json.Marshal(raw)
	req := new(request)
	if err := json.Unmarshal(b, req); err != nil {
		return nil, err
	}
	for k := range raw {
		if !known[k] {
			req.extra = append(req.extra, k)
		}
	}
	return req, nil
}

// text is what the fake model writes: "A" to a judge's request (one whose
// instructions name the grade CORRECT), its most probable first token when max is
// 1, else "Paris", with a counter after it unless a seed the server honours
// was sent, so that unseeded texts vary.
func (f *fake) text(req *request, max int, seeded bool) string {
	for _, m := range req.Messages {
		if c, _ := m["content"].(string); strings.Contains(c, "CORRECT") {
			return "A"
		}
	}
	if max == 1 {
		return FirstToken[0].Text
	}
	if !seeded {
		return fmt.Sprintf("Paris %d", f.calls.Add(1))
	}
	return "Paris"
}

func (f *fake) chat(w http.ResponseWriter, r *http.Request) {
	req, err := decodeRequest(r)
	if err != nil {
		f.fail(w, "bad_json")
		return
	}
	c := f.p.Chat
	if c.RejectUnknown && len(req.extra) > 0 {
		f.fail(w, "unknown_field")
		return
	}
	logprobs := string(req.Logprobs) == "true"
	k := -1
	if logprobs && c.Logprobs {
		k = 0
	}
	if req.TopLogprobs != nil {
		if c.TopRequiresLogprobs && !logprobs {
			f.fail(w, "top_without_logprobs")
			return
		}
		if *req.TopLogprobs > c.TopMax {
			f.fail(w, "top_logprobs")
			return
		}
		if k == 0 {
			k = *req.TopLogprobs
		}
	}
	if k == 0 && c.ZeroTopDropsLogprobs {
		k = -1
	}
	n := 1
	if c.N && req.N > 1 {
		n = req.N
	}
	max := 16
	if req.MaxTokens != nil {
		max = *req.MaxTokens
	}
	var choices []map[string]any
	for i := range n {
		text := f.text(req, max, c.Seed && req.Seed != nil)
		ch := map[string]any{"index": i, "message": map[string]any{"role": "assistant", "content": text}, "finish_reason": "length"}
		if k >= 0 {
			ch["logprobs"] = map[string]any{"content": []any{f.chatItem(FirstToken[0], k)}}
		} else {
			ch["logprobs"] = nil
		}
		choices = append(choices, ch)
	}
	body, _ := json.Marshal(map[string]any{"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": req.Model,
		"choices": choices, "usage": map[string]int{"prompt_tokens": 10, "completion_tokens": 1, "total_tokens": 11}})
	write(w, http.StatusOK, body)
}

// chatItem is one content item in the server's shape, with the k most
// probable alternatives in its order.
func (f *fake) chatItem(sampled Token, k int) map[string]any {
	item := func(t Token, id int) map[string]any {
		m := map[string]any{"token": t.Text, "logprob": math.Log(t.P)}
		if f.p.Chat.Bytes {
			m["bytes"] = utf8Bytes(t.Text)
		}
		if f.p.Chat.IDs {
			m["id"] = id
		}
		return m
	}
	tops := make([]any, 0, k)
	order := make([]int, len(FirstToken))
	for i := range order {
		order[i] = i
	}
	if f.p.Chat.SampledFirst {
		// vLLM: the sampled token first, then the rest by rank; here the
		// sampled one is the most probable, so only the order of ties moves.
		sort.SliceStable(order, func(a, b int) bool { return FirstToken[order[a]].Text == sampled.Text })
	}
	for _, i := range order[:min(k, len(order))] {
		tops = append(tops, item(FirstToken[i], i))
	}
	m := item(sampled, 0)
	m["top_logprobs"] = tops
	return m
}

func (f *fake) complete(w http.ResponseWriter, r *http.Request) {
	req, err := decodeRequest(r)
	if err != nil {
		f.fail(w, "bad_json")
		return
	}
	c := f.p.Completions
	if f.p.Chat.RejectUnknown && len(req.extra) > 0 {
		f.fail(w, "unknown_field")
		return
	}
	max := 16
	if req.MaxTokens != nil {
		max = *req.MaxTokens
	}
	if max == 0 && !c.MaxTokensZero {
		f.fail(w, "max_tokens_zero")
		return
	}
	withLogprobs := len(req.Logprobs) > 0 && string(req.Logprobs) != "null"
	if req.Echo && withLogprobs && c.EchoError != "" {
		f.fail(w, c.EchoError)
		return
	}
	n := 1
	if c.N && req.N > 1 {
		n = req.N
	}
	var choices []map[string]any
	for i := range n {
		gen := f.text(req, max, req.Seed != nil)
		if max == 0 {
			gen = ""
		}
		text := gen
		var toks []string
		if req.Echo && c.Echo {
			text = req.Prompt + gen
			toks = words(req.Prompt)
		}
		first := len(toks)
		if gen != "" {
			g := words(gen)
			g[0] = " " + strings.TrimPrefix(g[0], " ")
			if first == 0 {
				g[0] = strings.TrimPrefix(g[0], " ")
			}
			toks = append(toks, g...)
			text = strings.Join(toks, "")
		}
		ch := map[string]any{"index": i, "text": text, "finish_reason": "length", "logprobs": nil}
		if withLogprobs {
			switch c.Logprobs {
			case "legacy":
				ch["logprobs"] = legacy(toks, req.Echo && c.Echo, c.TextOffset)
			case "chat":
				var items []any
				for _, t := range toks[first:] {
					items = append(items, map[string]any{"id": 1, "token": t, "logprob": -1.0, "bytes": utf8Bytes(t), "top_logprobs": []any{}})
				}
				ch["logprobs"] = map[string]any{"content": items}
			}
		}
		if c.PromptLogprobs && req.PromptLogp != nil {
			pl := []any{nil}
			for range words(req.Prompt)[1:] {
				pl = append(pl, map[string]any{"7": map[string]any{"logprob": -1.0, "rank": 1, "decoded_token": "x"}})
			}
			ch["prompt_logprobs"] = pl
		}
		choices = append(choices, ch)
	}
	body, _ := json.Marshal(map[string]any{"id": "cmpl-1", "object": "text_completion", "created": 1, "model": req.Model,
		"choices": choices, "usage": map[string]int{"prompt_tokens": 3, "completion_tokens": max, "total_tokens": 3 + max}})
	write(w, http.StatusOK, body)
}

// words splits s before each space: "a b c" → "a", " b", " c".
func words(s string) []string {
	var out []string
	start := 0
	for i := 1; i < len(s); i++ {
		if s[i] == ' ' && s[i-1] != ' ' {
			out = append(out, s[start:i])
			start = i
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// legacy lays out toks as a legacy logprobs object; with echo the first
// prompt token has a null log-probability.
func legacy(toks []string, echo bool, offsets string) map[string]any {
	var lps []any
	var tops []any
	var offs []int
	pos := 0
	for i, t := range toks {
		if echo && i == 0 {
			lps, tops = append(lps, nil), append(tops, nil)
		} else {
			lps, tops = append(lps, -1.0), append(tops, map[string]float64{t: -1.0})
		}
		if offsets == "minus1" {
			offs = append(offs, -1)
		} else {
			offs = append(offs, pos)
		}
		pos += len([]rune(t))
	}
	return map[string]any{"tokens": toks, "token_logprobs": lps, "top_logprobs": tops, "text_offset": offs}
}

// utf8Bytes is s's bytes as a JSON array of numbers.
func utf8Bytes(s string) []int {
	b := []int{}
	for _, c := range []byte(s) {
		b = append(b, int(c))
	}
	return b
}
