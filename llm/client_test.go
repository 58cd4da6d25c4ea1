package llm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testClient returns a client for fs with fast retries and a short
// attempt timeout.
func testClient(t *testing.T, fs *faultServer, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		BaseURL:     fs.baseURL(),
		Concurrency: 4,
		Timeout:     300 * time.Millisecond,
		MaxRetries:  4,
		BackoffBase: time.Millisecond,
		BackoffMax:  5 * time.Millisecond,
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func chatReq(text string) *ChatRequest {
	zero := 0.0
	return &ChatRequest{Model: "m", Messages: []Message{{Role: "user", Content: text}}, Temperature: &zero, MaxTokens: 16}
}

// sentBody is the body the client sends for req.
func sentBody(t *testing.T, req any) []byte {
	t.Helper()
	b, err := canonicalJSON(req)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFaults drives each injected fault through the client and checks
// the outcome, the retries counted, and the arrivals the server saw.
func TestFaults(t *testing.T) {
	fs := newFaultServer(t)
	cases := []struct {
		script   string
		ok       bool
		arrivals int    // requests the server received
		errHas   string // substring of the error when !ok
	}{
		{"ok", true, 1, ""},
		{"500,ok", true, 2, ""},
		{"503,503,ok", true, 3, ""},
		{"429ms,ok", true, 2, ""},
		{"slow,ok", true, 2, ""},
		{"malformed,ok", true, 2, ""},
		{"nochoices,ok", true, 2, ""},
		{"truncated,ok", true, 2, ""},
		{"reset,ok", true, 2, ""},
		{"reset,500,truncated,malformed,ok", true, 5, ""},
		{"500", false, 5, "giving up after 5 attempts"},
		{"malformed", false, 5, "malformed response"},
		{"slow", false, 5, "no complete reply within"},
		{"reset", false, 5, "giving up after 5 attempts"},
		{"400", false, 1, "400 Bad Request (invalid_request_error): no such model"},
		{"noretry", false, 1, "503"},
		{"429long", false, 1, "longer than the"},
	}
	for _, tc := range cases {
		t.Run(tc.script, func(t *testing.T) {
			c := testClient(t, fs, nil)
			req := chatReq("script:" + tc.script)
			resp, err := c.Chat(context.Background(), req)
			if got := fs.count(sentBody(t, req)); got != tc.arrivals {
				t.Errorf("server saw %d arrivals, want %d", got, tc.arrivals)
			}
			st := c.Stats()
			if st.Sent != int64(tc.arrivals) || st.Retries != int64(tc.arrivals-1) {
				t.Errorf("stats %+v, want %d sent and %d retries", st, tc.arrivals, tc.arrivals-1)
			}
			if !tc.ok {
				if err == nil || !strings.Contains(err.Error(), tc.errHas) {
					t.Fatalf("err = %v, want one containing %q", err, tc.errHas)
				}
				if st.Failed != 1 {
					t.Errorf("Failed = %d, want 1", st.Failed)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got, want := resp.Choices[0].Message.Content, "answer to script:"+tc.script; got != want {
				t.Errorf("content %q, want %q", got, want)
			}
			if resp.Meta.Attempts != tc.arrivals {
				t.Errorf("Meta.Attempts = %d, want %d", resp.Meta.Attempts, tc.arrivals)
			}
		})
	}
}

// recordHandler keeps the log records the client emits.
type recordHandler struct {
	mu      sync.Mutex
	records []slog.Record
	text    bytes.Buffer
}

func (h *recordHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *recordHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r)
	fmt.Fprint(&h.text, r.Message)
	r.Attrs(func(a slog.Attr) bool { fmt.Fprintf(&h.text, " %s=%v", a.Key, a.Value); return true })
	h.text.WriteByte('\n')
	return nil
}
func (h *recordHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recordHandler) WithGroup(string) slog.Handler      { return h }

// waits returns the "wait" attribute of every retry record.
func (h *recordHandler) waits() []time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	var ws []time.Duration
	for _, r := range h.records {
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "wait" {
				ws = append(ws, a.Value.Duration())
			}
			return true
		})
	}
	return ws
}

// TestRetryAfterHonoured checks that the wait before a retry is the one
// the 429 asked for, in each of the three header forms.
func TestRetryAfterHonoured(t *testing.T) {
	fs := newFaultServer(t)
	for _, tc := range []struct {
		script   string
		min, max time.Duration
	}{
		{"429,ok", time.Second, time.Second},
		{"429ms,ok", 20 * time.Millisecond, 20 * time.Millisecond},
		{"429date,ok", 0, time.Second}, // an HTTP-date has whole seconds
	} {
		t.Run(tc.script, func(t *testing.T) {
			h := &recordHandler{}
			c := testClient(t, fs, func(cfg *Config) { cfg.Logger = slog.New(h) })
			if _, err := c.Chat(context.Background(), chatReq("script:"+tc.script)); err != nil {
				t.Fatal(err)
			}
			ws := h.waits()
			if len(ws) != 1 || ws[0] < tc.min || ws[0] > tc.max {
				t.Errorf("waits %v, want one in [%v, %v]", ws, tc.min, tc.max)
			}
		})
	}
}

// TestCacheNeverResends: a second client on the reopened cache answers
// every request without traffic; the draw number separates samples.
func TestCacheNeverResends(t *testing.T) {
	fs := newFaultServer(t)
	path := filepath.Join(t.TempDir(), "cache.db")
	const n = 40
	run := func() Stats {
		cache, err := OpenCache(path)
		if err != nil {
			t.Fatal(err)
		}
		defer cache.Close()
		c := testClient(t, fs, func(cfg *Config) { cfg.Cache = cache })
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				req := chatReq(fmt.Sprintf("q%d", i/2))
				req.Draw = i % 2
				resp, err := c.Chat(context.Background(), req)
				if err != nil {
					t.Error(err)
					return
				}
				if want := fmt.Sprintf("answer to q%d", i/2); resp.Choices[0].Message.Content != want {
					t.Errorf("content %q, want %q", resp.Choices[0].Message.Content, want)
				}
			})
		}
		wg.Wait()
		return c.Stats()
	}
	first := run()
	total, _ := fs.totals()
	if first.Sent != n || total != n {
		t.Errorf("first run %+v, server saw %d: want %d sent (draws are distinct requests)", first, total, n)
	}
	second := run()
	if second.CacheHits != n || second.Sent != 0 {
		t.Errorf("second run %+v: want %d cache hits and nothing sent", second, n)
	}
	if after, _ := fs.totals(); after != total {
		t.Errorf("server saw %d requests after the rerun, %d before", after, total)
	}
}

// TestResentCounted: a request marked sent by a run that died before its
// answer was stored is sent again, and counted as resent.
func TestResentCounted(t *testing.T) {
	fs := newFaultServer(t)
	path := filepath.Join(t.TempDir(), "cache.db")
	cache, err := OpenCache(path)
	if err != nil {
		t.Fatal(err)
	}
	c := testClient(t, fs, func(cfg *Config) { cfg.Cache = cache })
	req := chatReq("interrupted")
	body := sentBody(t, req)
	key := RequestKey("POST", c.endpoint+"/chat/completions", body, 0)
	if _, err := cache.markSent(key, c.endpoint+"/chat/completions", body); err != nil { // the dead run's mark
		t.Fatal(err)
	}
	cache.Close()

	cache, err = OpenCache(path)
	if err != nil {
		t.Fatal(err)
	}
	defer cache.Close()
	c = testClient(t, fs, func(cfg *Config) { cfg.Cache = cache })
	if _, err := c.Chat(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Chat(context.Background(), chatReq("fresh")); err != nil {
		t.Fatal(err)
	}
	if st := c.Stats(); st.Resent != 1 || st.Sent != 2 {
		t.Errorf("stats %+v, want 1 resent of 2 sent", st)
	}
}

// TestIdenticalCallsShareOneRequest: concurrent identical calls send one
// request between them.
func TestIdenticalCallsShareOneRequest(t *testing.T) {
	fs := newFaultServer(t)
	cache, err := OpenCache(filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer cache.Close()
	c := testClient(t, fs, func(cfg *Config) { cfg.Cache = cache })
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			if _, err := c.Chat(context.Background(), chatReq("script:slow,ok same")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	st := c.Stats()
	if n := fs.count(sentBody(t, chatReq("script:slow,ok same"))); n != 2 || st.Sent != 2 {
		t.Errorf("server saw %d arrivals, client sent %d; want 2 (one timeout, one answer)", n, st.Sent)
	}
	if st.Shared+st.CacheHits != 15 {
		t.Errorf("stats %+v: want 15 calls answered by the one request", st)
	}
}

// countingTransport counts requests between the start of RoundTrip and
// the close of the response body: the span a concurrency slot covers.
type countingTransport struct {
	next          http.RoundTripper
	mu            sync.Mutex
	inFlight, max int
}

func (ct *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ct.mu.Lock()
	ct.inFlight++
	ct.max = max(ct.max, ct.inFlight)
	ct.mu.Unlock()
	resp, err := ct.next.RoundTrip(r)
	if err != nil {
		ct.done()
		return nil, err
	}
	resp.Body = &closeHook{ReadCloser: resp.Body, hook: ct.done}
	return resp, nil
}

func (ct *countingTransport) done() {
	ct.mu.Lock()
	ct.inFlight--
	ct.mu.Unlock()
}

type closeHook struct {
	io.ReadCloser
	hook func()
	once sync.Once
}

func (c *closeHook) Close() error {
	err := c.ReadCloser.Close()
	c.once.Do(c.hook)
	return err
}

// TestConcurrencyBound: no more requests are in flight than allowed.
func TestConcurrencyBound(t *testing.T) {
	fs := newFaultServer(t)
	ct := &countingTransport{next: http.DefaultTransport.(*http.Transport).Clone()}
	c := testClient(t, fs, func(cfg *Config) { cfg.Concurrency, cfg.HTTPClient = 3, &http.Client{Transport: ct} })
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() {
			if _, err := c.Chat(context.Background(), chatReq(fmt.Sprintf("q%d", i))); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if total, _ := fs.totals(); total != 30 || ct.max > 3 {
		t.Errorf("server saw %d requests, the client had %d in flight at once; want 30, at most 3", total, ct.max)
	}
}

// TestCancel: cancelling the context stops a call waiting to retry.
func TestCancel(t *testing.T) {
	fs := newFaultServer(t)
	c := testClient(t, fs, func(cfg *Config) { cfg.BackoffBase, cfg.BackoffMax = time.Hour, time.Hour })
	c.jitter = func(n int64) int64 { return n - 1 } // wait the full hour
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for c.Stats().Retries == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err := c.Chat(ctx, chatReq("script:500,ok"))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// A deadline too short for the wait fails at once, naming the reason.
	ctx, cancel2 := context.WithTimeout(context.Background(), time.Minute)
	defer cancel2()
	if _, err := c.Chat(ctx, chatReq("script:500,ok other")); err == nil || !strings.Contains(err.Error(), "no time left") {
		t.Fatalf("err = %v, want no time left", err)
	}
}

// TestCompletionEcho decodes a legacy completion with echoed prompt
// log-probabilities, the first of which is null.
func TestCompletionEcho(t *testing.T) {
	fs := newFaultServer(t)
	c := testClient(t, fs, nil)
	zero := 0
	resp, err := c.Complete(context.Background(), &CompletionRequest{Model: "m", Prompt: "a b", MaxTokens: &zero, Logprobs: &zero, Echo: true})
	if err != nil {
		t.Fatal(err)
	}
	lp := resp.Choices[0].Logprobs
	if lp == nil || len(lp.Tokens) != 2 || lp.TokenLogprobs[0] != nil || *lp.TokenLogprobs[1] != -0.5 {
		t.Fatalf("logprobs %+v", lp)
	}
	// max_tokens 0 and logprobs 0 must be on the wire, not dropped.
	if body := string(sentBody(t, &CompletionRequest{Model: "m", Prompt: "a b", MaxTokens: &zero, Logprobs: &zero, Echo: true})); !strings.Contains(body, `"max_tokens":0`) || !strings.Contains(body, `"logprobs":0`) {
		t.Errorf("body %s lacks max_tokens or logprobs 0", body)
	}
}

// TestKeyNeverWritten: the API key reaches the server's Authorization
// header and nothing else: not errors, not logs, not the cache files, even
// when the server quotes it back.
func TestKeyNeverWritten(t *testing.T) {
	const secret = "sk-test-0123456789abcdefSECRET"
	fs := newFaultServer(t)
	dir := t.TempDir()
	cache, err := OpenCache(filepath.Join(dir, "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	h := &recordHandler{}
	c := testClient(t, fs, func(cfg *Config) {
		cfg.APIKey, cfg.Cache, cfg.Logger, cfg.MaxRetries = secret, cache, slog.New(h), 1
	})
	var errs []string
	for _, script := range []string{"ok", "401echo", "500echo", "429ms,ok", "reset,ok"} {
		if _, err := c.Chat(context.Background(), chatReq("script:"+script)); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) != 2 {
		t.Errorf("errors %q, want two", errs)
	}
	for _, e := range errs {
		if strings.Contains(e, secret) || !strings.Contains(e, "[redacted]") {
			t.Errorf("error %q leaks the key or is not redacted", e)
		}
	}
	if strings.Contains(h.text.String(), secret) {
		t.Errorf("log leaks the key:\n%s", h.text.String())
	}
	for _, a := range fs.auth {
		if a != "Bearer "+secret {
			t.Errorf("Authorization %q, want the bearer key", a)
		}
	}
	if err := cache.Close(); err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, dir, secret)
}

// assertNoSecret fails if any file under dir contains secret.
func assertNoSecret(t *testing.T, dir, secret string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s contains the API key", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatal("no files written")
	}
}

func TestNewRejectsBadURL(t *testing.T) {
	for _, u := range []string{"", "localhost:8080", "ftp://x/v1", "http://"} {
		if _, err := New(Config{BaseURL: u}); err == nil {
			t.Errorf("New(%q) accepted", u)
		}
	}
}

func TestAPIKeyFromEnv(t *testing.T) {
	t.Setenv("HALLU_TEST_KEY", "sk-x")
	t.Setenv("HALLU_TEST_EMPTY", "")
	if k, err := APIKeyFromEnv("HALLU_TEST_KEY"); err != nil || k != "sk-x" {
		t.Errorf("got %q, %v", k, err)
	}
	for _, name := range []string{"HALLU_TEST_EMPTY", "HALLU_TEST_UNSET_VARIABLE"} {
		if _, err := APIKeyFromEnv(name); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("APIKeyFromEnv(%s) err = %v, want one naming the variable", name, err)
		}
	}
}
