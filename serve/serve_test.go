package serve

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hallu-dev/hallu/ngram"
	"github.com/hallu-dev/hallu/ngram/corpus"
)

// mobyModel is a trigram model of the embedded Moby-Dick, trained once.
var mobyModel = sync.OnceValues(func() (*ngram.Model, error) {
	tr := ngram.NewTrainer()
	if err := tr.AddText(corpus.MobyDick()); err != nil {
		return nil, err
	}
	return tr.Train(context.Background(), 3)
})

const testModelID = "moby-3"

// newTestServer serves the Moby-Dick trigram on loopback with small
// limits, changed by the options before it serves.
func newTestServer(t testing.TB, options ...func(*Server)) (*Server, *httptest.Server) {
	t.Helper()
	m, err := mobyModel()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Model: m, ModelID: testModelID, MaxBodyBytes: 64 << 10, MaxTokens: 256, MaxPromptTokens: 512,
		Created: time.Unix(1700000000, 0), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, o := range options {
		o(s)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return s, hs
}

// post sends body to path and decodes the JSON answer into out.
func post(t testing.TB, hs *httptest.Server, path, body string, out any) int {
	t.Helper()
	resp, err := http.Post(hs.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: Content-Type %q, want application/json", path, ct)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("%s: decode answer: %v", path, err)
	}
	return resp.StatusCode
}

// apiRequest is a POST of a JSON body as a local client sends it, for
// handlers called in process.
func apiRequest(path, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1"+path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return r
}

type errorBody struct {
	Error struct {
		Message string  `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    *string `json:"code"`
	} `json:"error"`
}

func TestErrors(t *testing.T) {
	_, hs := newTestServer(t)
	big := `{"model":"moby-3","prompt":"` + strings.Repeat("a ", 40<<10) + `"}`
	for _, c := range []struct {
		name, path, body string
		status           int
		param            string
	}{
		{"unknown path", "/v1/nothing", `{}`, 404, ""},
		{"bad json", "/v1/completions", `{"model":`, 400, ""},
		{"trailing data", "/v1/completions", `{"model":"moby-3","prompt":"a"} {}`, 400, ""},
		{"no model", "/v1/completions", `{"prompt":"a"}`, 400, "model"},
		{"unknown model", "/v1/completions", `{"model":"gpt-9","prompt":"a"}`, 404, "model"},
		{"no prompt", "/v1/completions", `{"model":"moby-3"}`, 400, "prompt"},
		{"prompt object", "/v1/completions", `{"model":"moby-3","prompt":{"a":1}}`, 400, "prompt"},
		{"empty prompt list", "/v1/completions", `{"model":"moby-3","prompt":[]}`, 400, "prompt"},
		{"token id out of range", "/v1/completions", `{"model":"moby-3","prompt":[3, 99999999]}`, 400, "prompt"},
		{"negative token id", "/v1/completions", `{"model":"moby-3","prompt":[[-1]]}`, 400, "prompt"},
		{"temperature type", "/v1/completions", `{"model":"moby-3","prompt":"a","temperature":"hot"}`, 400, "temperature"},
		{"temperature range", "/v1/completions", `{"model":"moby-3","prompt":"a","temperature":2.5}`, 400, "temperature"},
		{"top_p range", "/v1/completions", `{"model":"moby-3","prompt":"a","top_p":1.5}`, 400, "top_p"},
		{"n zero", "/v1/completions", `{"model":"moby-3","prompt":"a","n":0}`, 400, "n"},
		{"n too many", "/v1/completions", `{"model":"moby-3","prompt":["a","b"],"n":100}`, 400, "n"},
		{"max_tokens negative", "/v1/completions", `{"model":"moby-3","prompt":"a","max_tokens":-1}`, 400, "max_tokens"},
		{"max_tokens over limit", "/v1/completions", `{"model":"moby-3","prompt":"a","max_tokens":100000}`, 400, "max_tokens"},
		{"logprobs range", "/v1/completions", `{"model":"moby-3","prompt":"a","logprobs":21}`, 400, "logprobs"},
		{"stop too many", "/v1/completions", `{"model":"moby-3","prompt":"a","stop":["a","b","c","d","e"]}`, 400, "stop"},
		{"stop empty", "/v1/completions", `{"model":"moby-3","prompt":"a","stop":""}`, 400, "stop"},
		{"stop number", "/v1/completions", `{"model":"moby-3","prompt":"a","stop":3}`, 400, "stop"},
		{"stream", "/v1/completions", `{"model":"moby-3","prompt":"a","stream":true}`, 400, "stream"},
		{"suffix", "/v1/completions", `{"model":"moby-3","prompt":"a","suffix":"b"}`, 400, "suffix"},
		{"best_of", "/v1/completions", `{"model":"moby-3","prompt":"a","best_of":3}`, 400, "best_of"},
		{"logit_bias", "/v1/completions", `{"model":"moby-3","prompt":"a","logit_bias":{"5":100}}`, 400, "logit_bias"},
		{"penalty", "/v1/completions", `{"model":"moby-3","prompt":"a","presence_penalty":1}`, 400, "presence_penalty"},
		{"too large", "/v1/completions", big, 413, ""},
		{"prompt too long", "/v1/completions", `{"model":"moby-3","prompt":"` + strings.Repeat("a ", 600) + `"}`, 400, "prompt"},
		{"no messages", "/v1/chat/completions", `{"model":"moby-3","messages":[]}`, 400, "messages"},
		{"tool role", "/v1/chat/completions", `{"model":"moby-3","messages":[{"role":"tool","content":"x"}]}`, 400, "messages[0].role"},
		{"image part", "/v1/chat/completions", `{"model":"moby-3","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}`, 400, "messages[0].content[0]"},
		{"content number", "/v1/chat/completions", `{"model":"moby-3","messages":[{"role":"user","content":5}]}`, 400, "messages[0].content"},
		{"top_logprobs alone", "/v1/chat/completions", `{"model":"moby-3","messages":[{"role":"user","content":"hi"}],"top_logprobs":2}`, 400, "top_logprobs"},
		{"tools", "/v1/chat/completions", `{"model":"moby-3","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function"}]}`, 400, "tools"},
		{"json mode", "/v1/chat/completions", `{"model":"moby-3","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"}}`, 400, "response_format"},
		{"max tokens disagree", "/v1/chat/completions", `{"model":"moby-3","messages":[{"role":"user","content":"hi"}],"max_tokens":3,"max_completion_tokens":4}`, 400, "max_tokens"},
	} {
		var e errorBody
		status := post(t, hs, c.path, c.body, &e)
		param := ""
		if e.Error.Param != nil {
			param = *e.Error.Param
		}
		if status != c.status || param != c.param || e.Error.Type != "invalid_request_error" || e.Error.Message == "" {
			t.Errorf("%s: status %d, error %+v (param %q); want %d with param %q", c.name, status, e.Error, param, c.status, c.param)
		}
	}
}

func TestMethodNotAllowed(t *testing.T) {
	_, hs := newTestServer(t)
	resp, err := http.Get(hs.URL + "/v1/completions")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET /v1/completions: %d, Allow %q; want 405, POST", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

func TestModelsAndHealth(t *testing.T) {
	_, hs := newTestServer(t)
	for path, want := range map[string]string{
		"/v1/models":        `{"object":"list","data":[{"id":"moby-3","object":"model","created":1700000000,"owned_by":"hallu"}]}`,
		"/v1/models/moby-3": `{"id":"moby-3","object":"model","created":1700000000,"owned_by":"hallu"}`,
		"/health":           `{"status":"ok"}`,
	} {
		resp, err := http.Get(hs.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || strings.TrimSpace(string(body)) != want {
			t.Errorf("GET %s: %d %s, want 200 %s", path, resp.StatusCode, body, want)
		}
	}
	resp, _ := http.Get(hs.URL + "/v1/models/gpt-4")
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("GET /v1/models/gpt-4: %d, want 404", resp.StatusCode)
	}
}

type completionBody struct {
	Choices []struct {
		Text     string `json:"text"`
		Index    int    `json:"index"`
		Logprobs *struct {
			Tokens        []string             `json:"tokens"`
			TokenLogprobs []float64            `json:"token_logprobs"`
			TopLogprobs   []map[string]float64 `json:"top_logprobs"`
			TextOffset    []int                `json:"text_offset"`
		} `json:"logprobs"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Usage usage `json:"usage"`
}

// TestEchoScoresLikeModel: summing the echoed log-probabilities of the
// response's tokens gives Model.Score, as the package documentation says.
func TestEchoScoresLikeModel(t *testing.T) {
	s, hs := newTestServer(t)
	for _, c := range []struct{ context, response string }{
		{"She lost it and was completely out of", " her mind"},
		{"Call me Ishmael.", " Some years ago."},
		{"What is the whale?", " A fish."},
	} {
		body, _ := json.Marshal(map[string]any{"model": testModelID, "prompt": c.context + c.response, "echo": true, "max_tokens": 0, "logprobs": 0})
		var resp completionBody
		if status := post(t, hs, "/v1/completions", string(body), &resp); status != 200 {
			t.Fatalf("status %d", status)
		}
		lp := resp.Choices[0].Logprobs
		var sum float64
		for i, tok := range lp.Tokens {
			if lp.TextOffset[i] > len(c.context) || lp.TextOffset[i] == len(c.context) && tok != eosText {
				sum += lp.TokenLogprobs[i]
			}
		}
		want := s.Model.Score(c.context, c.response).LogProb
		if math.Abs(sum-want) > 1e-9 {
			t.Errorf("%q + %q: echo sums to %v, Score gives %v", c.context, c.response, sum, want)
		}
		if resp.Choices[0].Text != c.context+c.response || resp.Choices[0].FinishReason != "length" {
			t.Errorf("echo text %q (%s), want the prompt back (length)", resp.Choices[0].Text, resp.Choices[0].FinishReason)
		}
		if resp.Usage.CompletionTokens != 0 || resp.Usage.PromptTokens != len(lp.Tokens) {
			t.Errorf("usage %+v with %d prompt tokens", resp.Usage, len(lp.Tokens))
		}
	}
}

// TestSeededAndStops: a seed makes a request repeatable; choices differ by
// stream; no text contains a stop sequence.
func TestSeededAndStops(t *testing.T) {
	_, hs := newTestServer(t)
	req := `{"model":"moby-3","prompt":"The whale","max_tokens":30,"n":4,"seed":11,"stop":[" the"," a "],"logprobs":2}`
	var a, b completionBody
	post(t, hs, "/v1/completions", req, &a)
	post(t, hs, "/v1/completions", req, &b)
	distinct := map[string]bool{}
	for i := range a.Choices {
		ca, cb := a.Choices[i], b.Choices[i]
		if ca.Text != cb.Text {
			t.Errorf("choice %d: %q then %q with the same seed", i, ca.Text, cb.Text)
		}
		distinct[ca.Text] = true
		if strings.Contains(ca.Text, " the") || strings.Contains(ca.Text, " a ") {
			t.Errorf("choice %d %q contains a stop sequence", i, ca.Text)
		}
		if got := strings.Join(ca.Logprobs.Tokens, ""); got != ca.Text {
			t.Errorf("choice %d: tokens %q do not make up the text %q", i, got, ca.Text)
		}
		for j, top := range ca.Logprobs.TopLogprobs {
			if len(top) < 2 || len(top) > 3 {
				t.Errorf("choice %d token %d: %d alternatives, want 2 or 3", i, j, len(top))
			}
			if lp, ok := top[ca.Logprobs.Tokens[j]]; ok && lp != ca.Logprobs.TokenLogprobs[j] {
				t.Errorf("choice %d token %d: top_logprobs says %v, token_logprobs %v", i, j, lp, ca.Logprobs.TokenLogprobs[j])
			}
		}
	}
	if len(distinct) < 2 {
		t.Errorf("4 choices, %d distinct texts", len(distinct))
	}
}

// TestTokenIDPrompt: a prompt of token ids is the same prompt as its text.
func TestTokenIDPrompt(t *testing.T) {
	s, hs := newTestServer(t)
	ids := s.Model.Encode(ngram.Tokenize("call me ishmael"))
	body, _ := json.Marshal(map[string]any{"model": testModelID, "prompt": [][]ngram.WordID{ids}, "echo": true, "max_tokens": 0})
	var resp completionBody
	post(t, hs, "/v1/completions", string(body), &resp)
	if got := resp.Choices[0].Text; got != "call me ishmael" {
		t.Errorf("token prompt echoed as %q", got)
	}
}

func TestChat(t *testing.T) {
	_, hs := newTestServer(t)
	var resp struct {
		Choices []struct {
			Message struct {
				Role    string `json:"role"`
				Content string `json:"content"`
			} `json:"message"`
			Logprobs struct {
				Content []struct {
					Token       string  `json:"token"`
					Logprob     float64 `json:"logprob"`
					Bytes       []int   `json:"bytes"`
					TopLogprobs []struct {
						Token string `json:"token"`
					} `json:"top_logprobs"`
				} `json:"content"`
			} `json:"logprobs"`
			FinishReason string `json:"finish_reason"`
		} `json:"choices"`
		Usage usage `json:"usage"`
	}
	status := post(t, hs, "/v1/chat/completions", `{"model":"moby-3","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Who is Ahab?"}]}],"max_completion_tokens":20,"seed":3,"logprobs":true,"top_logprobs":3}`, &resp)
	if status != 200 || len(resp.Choices) != 1 {
		t.Fatalf("status %d, %d choices", status, len(resp.Choices))
	}
	c := resp.Choices[0]
	var joined strings.Builder
	for _, tok := range c.Logprobs.Content {
		joined.WriteString(tok.Token)
		if len(tok.TopLogprobs) != 3 || string(bytesOf(tok.Bytes)) != tok.Token || tok.Logprob > 0 {
			t.Errorf("token %+v", tok)
		}
	}
	if c.Message.Role != "assistant" || joined.String() != c.Message.Content || strings.HasPrefix(c.Message.Content, " ") {
		t.Errorf("message %+v; tokens join to %q", c.Message, joined.String())
	}
	if resp.Usage.CompletionTokens != len(c.Logprobs.Content) || resp.Usage.TotalTokens != resp.Usage.PromptTokens+resp.Usage.CompletionTokens {
		t.Errorf("usage %+v for %d tokens", resp.Usage, len(c.Logprobs.Content))
	}
}

func bytesOf(b []int) []byte {
	out := make([]byte, len(b))
	for i, x := range b {
		out[i] = byte(x)
	}
	return out
}

func TestRenderChat(t *testing.T) {
	got, err := renderChat([]chatMessage{
		{Role: "system", Content: json.RawMessage(`"Be brief."`)},
		{Role: "user", Content: json.RawMessage(`[{"type":"text","text":"Hi."},{"type":"text","text":"Who?"}]`)},
	})
	if want := "System: Be brief.\n\nUser: Hi.\nWho?\n\nAssistant:"; err != nil || got != want {
		t.Errorf("renderChat = %q, %v; want %q", got, err, want)
	}
}

// TestConcurrentRequests: requests in parallel share the model and nothing
// else; a seeded request gets the same answer under load as alone.
func TestConcurrentRequests(t *testing.T) {
	_, hs := newTestServer(t)
	req := `{"model":"moby-3","prompt":"Call me Ishmael.","max_tokens":12,"seed":5,"logprobs":2}`
	var want completionBody
	post(t, hs, "/v1/completions", req, &want)
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for range 16 {
		wg.Go(func() {
			var got completionBody
			post(t, hs, "/v1/completions", req, &got)
			if got.Choices[0].Text != want.Choices[0].Text {
				errs <- got.Choices[0].Text
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent answer %q, alone %q", e, want.Choices[0].Text)
	}
}
