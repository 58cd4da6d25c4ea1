package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// The tests in this file reproduce the attacks of issue 14 on hallu serve,
// one test each, with limits small enough to keep them fast.

// serveOnce handles one request in process and fails the test if the
// handler has not answered within a minute (a hang, not a slow answer).
func serveOnce(t *testing.T, h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { h.ServeHTTP(w, r); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("the request did not finish within a minute")
	}
	return w
}

// wantError checks an OpenAI-shaped error answer.
func wantError(t *testing.T, w *httptest.ResponseRecorder, status int, param, code string) errorBody {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("status %d, body not an error object: %.200s", w.Code, w.Body)
	}
	got := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	if w.Code != status || got(e.Error.Param) != param || got(e.Error.Code) != code || e.Error.Message == "" || e.Error.Type == "" {
		t.Errorf("status %d, error %+v (param %q, code %q); want %d with param %q, code %q",
			w.Code, e.Error, got(e.Error.Param), got(e.Error.Code), status, param, code)
	}
	return e
}

// allocated returns the bytes the process allocates while f runs.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Issue 14: n × len(prompts) overflowed past the choice check and the loop
// never ended. Every n that overflows a product is refused at once.
func TestHugeNOverflow(t *testing.T) {
	s, _ := newTestServer(t)
	h := s.Handler()
	for _, body := range []string{
		`{"model":"moby-3","prompt":["a","b"],"n":4611686018427387904,"max_tokens":0}`,
		`{"model":"moby-3","prompt":["a","b"],"n":9223372036854775807,"max_tokens":0}`,
		`{"model":"moby-3","prompt":["a","b","c","d"],"n":2305843009213693952,"max_tokens":0}`,
		`{"model":"moby-3","prompt":"a","n":-9223372036854775808}`,
		`{"model":"moby-3","messages":[{"role":"user","content":"a"}],"n":4611686018427387904,"max_tokens":0}`,
	} {
		path := "/v1/completions"
		if strings.Contains(body, "messages") {
			path = "/v1/chat/completions"
		}
		var w *httptest.ResponseRecorder
		if n := allocated(func() { w = serveOnce(t, h, apiRequest(path, body)) }); n > 1<<20 {
			t.Errorf("%s: allocated %d bytes to refuse it", body, n)
		}
		wantError(t, w, 400, "n", "")
	}
}

// TestLimitsCheckExact: limits.check accepts a request exactly when its
// work, computed in exact integers (math/big), is within every limit,
// whatever the values, including those whose products overflow int64.
func TestLimitsCheckExact(t *testing.T) {
	var accepted, refused int
	rapid.Check(t, func(t *rapid.T) {
		l := limits{choices: rapid.IntRange(1, 300).Draw(t, "choices"), promptTokens: rapid.IntRange(1, 5000).Draw(t, "promptTokens"),
			requestTokens: rapid.IntRange(1, 10000).Draw(t, "requestTokens"), replyBytes: rapid.IntRange(1, 1<<20).Draw(t, "replyBytes")}
		// Mostly values within a limit, some just beyond it, some whose
		// products overflow.
		around := func(limit int) *rapid.Generator[int] {
			within := rapid.IntRange(0, max(limit, 0))
			return rapid.OneOf(within, within, within, within, within, within,
				rapid.IntRange(-2, 2*limit+2), rapid.IntRange(math.MaxInt/4, math.MaxInt))
		}
		w := work{prompts: rapid.IntRange(1, l.choices+2).Draw(t, "prompts"), echo: rapid.Bool().Draw(t, "echo"), logprobs: rapid.Bool().Draw(t, "logprobs")}
		w.n = around(l.choices/w.prompts).Draw(t, "n")
		nc := min(max(w.n, 1), math.MaxInt/w.prompts) * w.prompts
		w.maxTokens = max(0, around(l.requestTokens/nc/2).Draw(t, "maxTokens"))
		for i := range w.prompts {
			w.promptTokens = append(w.promptTokens, max(0, around(l.promptTokens/w.prompts/max(1, min(w.n, 1<<20))/2).Draw(t, fmt.Sprint("tokens", i))))
			w.promptBytes = append(w.promptBytes, max(0, around(l.replyBytes/w.prompts/max(1, min(w.n, 1<<20))/2).Draw(t, fmt.Sprint("bytes", i))))
		}
		B := func(x int) *big.Int { return big.NewInt(int64(x)) }
		le := func(a *big.Int, b int) bool { return a.Cmp(B(b)) <= 0 }
		choices := new(big.Int).Mul(B(w.n), B(w.prompts))
		tokens, bytes := new(big.Int), new(big.Int)
		for i := range w.prompts {
			tokens.Add(tokens, B(w.promptTokens[i]))
			bytes.Add(bytes, B(w.promptBytes[i]))
		}
		returned := new(big.Int).Mul(choices, B(w.maxTokens))
		copies := B(w.n)
		if w.logprobs {
			copies.Mul(copies, B(2))
		}
		replyLow := new(big.Int)
		if w.echo {
			returned.Add(returned, new(big.Int).Mul(B(w.n), tokens))
			replyLow.Mul(copies, bytes)
		}
		want := w.prompts <= l.choices && w.n >= 1 && le(choices, l.choices) && le(tokens, l.promptTokens) &&
			le(returned, l.requestTokens) && le(replyLow, l.replyBytes)
		if err := l.check(w); (err == nil) != want {
			t.Fatalf("check(%+v) = %v; exact arithmetic says within limits: %v", w, err, want)
		}
		if want {
			accepted++
		} else {
			refused++
		}
	})
	t.Logf("%d accepted, %d refused", accepted, refused)
	if accepted == 0 || refused == 0 {
		t.Errorf("%d requests accepted, %d refused: the cases do not test both sides", accepted, refused)
	}
}

// Issue 14: without n, the choice cap was not applied: 349,458 empty
// prompts in a 1 MiB body were accepted and memory grew past 900 MB.
func TestManyPromptsWithoutN(t *testing.T) {
	s, _ := newTestServer(t, func(s *Server) { s.MaxBodyBytes = 1 << 20 })
	h := s.Handler()
	head, tail := `{"model":"moby-3","max_tokens":16,"prompt":[""`, `]}`
	count := (1<<20 - len(head) - len(tail)) / 3
	body := head + strings.Repeat(`,""`, count-1) + tail
	var w *httptest.ResponseRecorder
	n := allocated(func() { w = serveOnce(t, h, apiRequest("/v1/completions", body)) })
	wantError(t, w, 400, "prompt", "")
	t.Logf("%d empty prompts: allocated %.1f MB", count, float64(n)/(1<<20))
	// Decoding a 1 MiB body into 349k strings costs tens of MB; the prompts
	// are refused before they are tokenized or generated from.
	if n > 64<<20 {
		t.Errorf("%d prompts: allocated %d MB to refuse them", count, n>>20)
	}
	for prompts, status := range map[int]int{DefaultMaxChoices: 200, DefaultMaxChoices + 1: 400} {
		body := `{"model":"moby-3","max_tokens":1,"prompt":["a"` + strings.Repeat(`,"a"`, prompts-1) + `]}`
		if w := serveOnce(t, h, apiRequest("/v1/completions", body)); w.Code != status {
			t.Errorf("%d prompts without n: status %d, want %d: %.200s", prompts, w.Code, status, w.Body)
		}
	}
}

// Issue 14: requests within the documented limits amplified without bound
// (n=128, max_tokens=1024, logprobs=20: 661 MB and a 72.6 MB reply; a 1 MB
// echoed prompt with n=128: 266 MB). With the default limits both are
// refused before any work.
func TestAmplificationRefused(t *testing.T) {
	s, _ := newTestServer(t, func(s *Server) {
		s.MaxBodyBytes, s.MaxTokens, s.MaxPromptTokens = 2<<20, DefaultMaxTokens, DefaultMaxPromptTokens
	})
	h := s.Handler()
	word := strings.Repeat("x", 1<<20) // one token of 1 MB
	for _, c := range []struct {
		name, body, param, code string
	}{
		{"n=128 max_tokens=1024 logprobs=20", `{"model":"moby-3","prompt":"Call me","n":128,"max_tokens":1024,"logprobs":20}`, "max_tokens", ""},
		{"chat n=128 max_tokens=1024", `{"model":"moby-3","messages":[{"role":"user","content":"hi"}],"n":128,"max_tokens":1024,"logprobs":true,"top_logprobs":20}`, "max_tokens", ""},
		{"1 MB echoed prompt, n=128", `{"model":"moby-3","prompt":"` + word + `","n":128,"max_tokens":0,"echo":true,"logprobs":0}`, "", "reply_too_large"},
		{"echo n × prompt tokens", `{"model":"moby-3","prompt":"` + strings.Repeat("a ", 8000) + `","n":3,"max_tokens":0,"echo":true}`, "echo", ""},
	} {
		path := "/v1/completions"
		if strings.Contains(c.body, "messages") {
			path = "/v1/chat/completions"
		}
		var w *httptest.ResponseRecorder
		n := allocated(func() { w = serveOnce(t, h, apiRequest(path, c.body)) })
		t.Logf("%s: %d, allocated %.1f MB", c.name, w.Code, float64(n)/(1<<20))
		wantError(t, w, 400, c.param, c.code)
		if n > 32<<20 {
			t.Errorf("%s: allocated %d MB to refuse it", c.name, n>>20)
		}
	}
}

// TestReplyLimitExact: a reply is never larger than MaxReplyBytes, and a
// request refused as too large does have a larger reply (the same seeded
// request, on a server without that limit).
func TestReplyLimitExact(t *testing.T) {
	const limit = 6 << 10
	small, _ := newTestServer(t, func(s *Server) { s.MaxReplyBytes = limit })
	large, _ := newTestServer(t, func(s *Server) { s.MaxReplyBytes = 1 << 30 })
	refused := 0
	rapid.Check(t, func(t *rapid.T) {
		req := map[string]any{"model": testModelID, "seed": rapid.Int64().Draw(t, "seed"),
			"max_tokens": rapid.IntRange(0, 24).Draw(t, "max"), "n": rapid.IntRange(1, 6).Draw(t, "n")}
		path := "/v1/completions"
		if rapid.Bool().Draw(t, "chat") {
			path = "/v1/chat/completions"
			req["messages"] = []map[string]string{{"role": "user", "content": "Who is Ahab?"}}
			if k := rapid.IntRange(-1, 8).Draw(t, "top"); k >= 0 {
				req["logprobs"], req["top_logprobs"] = true, k
			}
		} else {
			req["prompt"] = rapid.SliceOfN(rapid.SampledFrom([]string{"Call me Ishmael.", "the whale", "<&>\u2028", ""}), 1, 3).Draw(t, "prompt")
			req["echo"] = rapid.Bool().Draw(t, "echo")
			if k := rapid.IntRange(-1, 8).Draw(t, "logprobs"); k >= 0 {
				req["logprobs"] = k
			}
		}
		body, _ := json.Marshal(req)
		ws := httptest.NewRecorder()
		small.Handler().ServeHTTP(ws, apiRequest(path, string(body)))
		wl := httptest.NewRecorder()
		large.Handler().ServeHTTP(wl, apiRequest(path, string(body)))
		if wl.Code != 200 {
			t.Fatalf("without the limit: %d %s", wl.Code, wl.Body)
		}
		switch {
		case ws.Code == 200 && (ws.Body.Len() > limit || ws.Body.Len() != wl.Body.Len()):
			t.Fatalf("reply of %d bytes under a limit of %d (%d without it)", ws.Body.Len(), limit, wl.Body.Len())
		case ws.Code == 400 && strings.Contains(ws.Body.String(), "reply_too_large"):
			refused++
			if wl.Body.Len() <= limit {
				t.Fatalf("refused as too large, but the reply has %d bytes, within the limit %d", wl.Body.Len(), limit)
			}
		case ws.Code != 200:
			t.Fatalf("%d %s", ws.Code, ws.Body)
		}
	})
	if refused == 0 {
		t.Error("no request reached the reply limit: the test does not test it")
	}
}

// Issue 14: neither Origin nor Host was checked and text/plain POSTs were
// accepted, so any web page could drive the server (DNS rebinding, as in
// Ollama's CVE-2024-28224, and simple cross-origin POSTs).
func TestHostOriginContentType(t *testing.T) {
	_, hs := newTestServer(t, func(s *Server) {
		s.AllowHosts, s.AllowOrigins = []string{"box.lan"}, []string{"https://app.example"}
	})
	port := hs.URL[strings.LastIndex(hs.URL, ":"):]
	body := `{"model":"moby-3","prompt":"Call me","max_tokens":1}`
	for _, c := range []struct {
		name, method, host, origin, ctype string
		status                            int
		code                              string
	}{
		{"loopback", "POST", "127.0.0.1" + port, "", "application/json", 200, ""},
		{"localhost", "POST", "localhost" + port, "", "application/json", 200, ""},
		{"IPv6 loopback", "POST", "[::1]" + port, "", "application/json", 200, ""},
		{"allowed host", "POST", "BOX.lan" + port, "", "application/json", 200, ""},
		{"rebinding host", "POST", "attacker.example" + port, "", "application/json", 403, "host_not_allowed"},
		{"rebinding host GET", "GET", "attacker.example" + port, "", "", 403, "host_not_allowed"},
		{"LAN address", "POST", "192.168.1.5" + port, "", "application/json", 403, "host_not_allowed"},
		{"localhost suffix", "POST", "localhost.attacker.example" + port, "", "application/json", 403, "host_not_allowed"},
		{"page on loopback", "POST", "127.0.0.1" + port, "http://localhost:3000", "application/json", 200, ""},
		{"allowed origin", "POST", "127.0.0.1" + port, "https://app.example", "application/json", 200, ""},
		{"foreign page", "POST", "127.0.0.1" + port, "https://attacker.example", "application/json", 403, "origin_not_allowed"},
		{"foreign page GET", "GET", "127.0.0.1" + port, "https://attacker.example", "", 403, "origin_not_allowed"},
		{"null origin", "POST", "127.0.0.1" + port, "null", "application/json", 403, "origin_not_allowed"},
		{"text/plain", "POST", "127.0.0.1" + port, "", "text/plain", 415, ""},
		{"form", "POST", "127.0.0.1" + port, "", "application/x-www-form-urlencoded", 415, ""},
		{"no content type", "POST", "127.0.0.1" + port, "", "", 415, ""},
		{"json with charset", "POST", "127.0.0.1" + port, "", "application/json; charset=utf-8", 200, ""},
		{"preflight allowed", "OPTIONS", "127.0.0.1" + port, "https://app.example", "", 204, ""},
		{"preflight foreign", "OPTIONS", "127.0.0.1" + port, "https://attacker.example", "", 403, "origin_not_allowed"},
	} {
		path := "/v1/completions"
		if c.method == "GET" {
			path = "/v1/models"
		}
		req, _ := http.NewRequest(c.method, hs.URL+path, strings.NewReader(body))
		req.Host = c.host
		if c.origin != "" {
			req.Header.Set("Origin", c.origin)
		}
		if c.ctype != "" {
			req.Header.Set("Content-Type", c.ctype)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d: %s", c.name, resp.StatusCode, c.status, b)
			continue
		}
		if c.status >= 400 {
			var e errorBody
			if json.Unmarshal(b, &e) != nil || e.Error.Message == "" || c.code != "" && (e.Error.Code == nil || *e.Error.Code != c.code) {
				t.Errorf("%s: error body %s, want code %q", c.name, b, c.code)
			}
			// The refusal says which option of the Server would allow
			// the request, and names no flag.
			advice := map[string]string{"host_not_allowed": "the server's AllowHosts names " + normalHost(c.host),
				"origin_not_allowed": "the server's AllowOrigins names " + c.origin}[c.code]
			if advice != "" && !strings.HasSuffix(e.Error.Message, "allowed unless "+advice) || strings.Contains(e.Error.Message, "--") {
				t.Errorf("%s: message %q, want it to end %q", c.name, e.Error.Message, advice)
			}
		}
		if acao := resp.Header.Get("Access-Control-Allow-Origin"); c.status < 400 && acao != c.origin {
			t.Errorf("%s: Access-Control-Allow-Origin %q, want %q", c.name, acao, c.origin)
		}
	}
}

// syncBuffer is a log destination that tests may read while the server
// writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// heavy is a request that works for tens of seconds unless stopped: it
// scores 100,000 echoed prompt tokens with 20 alternatives each, a pass over
// the vocabulary per token. (Sampling could end early, at a sentence
// boundary; scoring cannot.)
var heavy = `{"model":"moby-3","prompt":"` + strings.Repeat("whale ", 100000) + `","echo":true,"max_tokens":0,"logprobs":20}`

// heavyServer allows heavy requests, with the admission limits given.
func heavyServer(t *testing.T, parallel, queue int, log io.Writer) *Server {
	s, _ := newTestServer(t, func(s *Server) {
		s.MaxBodyBytes, s.MaxPromptTokens, s.MaxRequestTokens, s.MaxReplyBytes = 1<<20, 1<<20, 1<<20, 1<<30
		s.Parallel, s.MaxQueue = parallel, queue
		s.Logger = slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	return s
}

// waitFor polls cond until it holds, failing the test after a minute.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after a minute for %s", what)
		}
	}
}

// postAsync sends a POST with ctx and delivers the answer (or the error).
func postAsync(ctx context.Context, url, body string) <-chan *http.Response {
	out := make(chan *http.Response, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			out <- nil
			return
		}
		out <- resp
	}()
	return out
}

// Issue 14: a client disconnect did not stop the work, and the cancelled
// request was logged as ERROR and answered 500.
func TestClientDisconnectStopsWork(t *testing.T) {
	var log syncBuffer
	s := heavyServer(t, 1, 0, &log)
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	ctx, cancel := context.WithCancel(context.Background())
	answer := postAsync(ctx, hs.URL+"/v1/completions", heavy)
	waitFor(t, "the request to be in work", func() bool { w, _ := s.Load(); return w == 1 })
	cancel()
	<-answer
	waitFor(t, "the work to stop", func() bool { w, _ := s.Load(); return w == 0 })
	waitFor(t, "the abandoned request to be logged", func() bool { return strings.Contains(log.String(), "status=499") })
	if out := log.String(); strings.Contains(out, "level=ERROR") || strings.Contains(out, "status=500") ||
		!strings.Contains(out, "level=INFO msg=\"request abandoned by the client\"") {
		t.Errorf("log of an abandoned request:\n%s", out)
	}
}

// Issue 14: shutting down did not stop the work in flight. Cancelling the
// requests' base context with ErrShuttingDown stops it, and the client gets
// 503 with Retry-After rather than a 500 or a dropped connection.
func TestShutdownCancelsWork(t *testing.T) {
	var log syncBuffer
	s := heavyServer(t, 1, 1, &log)
	base, stop := context.WithCancelCause(context.Background())
	hs := httptest.NewUnstartedServer(s.Handler())
	hs.Config.BaseContext = func(net.Listener) context.Context { return base }
	hs.Start()
	defer hs.Close()
	inWork := postAsync(context.Background(), hs.URL+"/v1/completions", heavy)
	waitFor(t, "a request in work", func() bool { w, _ := s.Load(); return w == 1 })
	queued := postAsync(context.Background(), hs.URL+"/v1/completions", heavy)
	waitFor(t, "a request waiting", func() bool { _, q := s.Load(); return q == 1 })
	stop(ErrShuttingDown)
	for _, answer := range []<-chan *http.Response{inWork, queued} {
		resp := <-answer
		if resp == nil {
			t.Fatal("connection dropped")
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "1" || !strings.Contains(string(b), `"code":"shutting_down"`) {
			t.Errorf("answer during shutdown: %d, Retry-After %q, %s", resp.StatusCode, resp.Header.Get("Retry-After"), b)
		}
	}
	if strings.Contains(log.String(), "level=ERROR") {
		t.Errorf("log:\n%s", log.String())
	}
}

// TestAdmission: with every slot of work and the queue taken, a request is
// answered 429 with Retry-After at once, in OpenAI's error shape, while GET
// requests are still answered.
func TestAdmission(t *testing.T) {
	s := heavyServer(t, 1, 1, io.Discard)
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first := postAsync(ctx, hs.URL+"/v1/completions", heavy)
	waitFor(t, "a request in work", func() bool { w, _ := s.Load(); return w == 1 })
	second := postAsync(ctx, hs.URL+"/v1/completions", heavy)
	waitFor(t, "a request waiting", func() bool { _, q := s.Load(); return q == 1 })
	resp := <-postAsync(context.Background(), hs.URL+"/v1/completions", `{"model":"moby-3","prompt":"a","max_tokens":0}`)
	if resp == nil {
		t.Fatal("connection dropped")
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "1" || !strings.Contains(string(b), `"code":"server_busy"`) {
		t.Errorf("over capacity: %d, Retry-After %q, %s", resp.StatusCode, resp.Header.Get("Retry-After"), b)
	}
	health, err := http.Get(hs.URL + "/health")
	if err != nil || health.StatusCode != 200 {
		t.Errorf("health under load: %v %v", health, err)
	}
	health.Body.Close()
	cancel()
	<-first
	<-second
	waitFor(t, "the gate to empty", func() bool { w, q := s.Load(); return w == 0 && q == 0 })
}
