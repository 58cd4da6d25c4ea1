package llm

import (
	"context"
	"io"
	"math/big"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"pgregory.net/rapid"
)

func TestRetryAfterParse(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		header map[string]string
		want   time.Duration
		ok     bool
	}{
		{nil, 0, false},
		{map[string]string{"Retry-After": "3"}, 3 * time.Second, true},
		{map[string]string{"Retry-After": " 0 "}, 0, true},
		{map[string]string{"Retry-After": "1.5"}, 1500 * time.Millisecond, true},
		{map[string]string{"Retry-After": "-1"}, 0, false},
		{map[string]string{"Retry-After": "soon"}, 0, false},
		{map[string]string{"Retry-After": "Sun, 01 Mar 2026 12:00:07 GMT"}, 7 * time.Second, true},     // IMF-fixdate
		{map[string]string{"Retry-After": "Sunday, 01-Mar-26 12:01:00 GMT"}, time.Minute, true},        // RFC 850
		{map[string]string{"Retry-After": "Sun Mar  1 12:00:02 2026"}, 2 * time.Second, true},          // asctime
		{map[string]string{"Retry-After": "Sun, 01 Mar 2026 11:00:00 GMT"}, 0, true},                   // past: no wait
		{map[string]string{"Retry-After-Ms": "250", "Retry-After": "9"}, 250 * time.Millisecond, true}, // ms wins
		{map[string]string{"Retry-After-Ms": "x", "Retry-After": "9"}, 9 * time.Second, true},
		{map[string]string{"Retry-After": "1e300"}, 1<<63 - 1, true}, // saturates
	}
	for _, tc := range cases {
		h := http.Header{}
		for k, v := range tc.header {
			h.Set(k, v)
		}
		got, ok := retryAfter(h, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("retryAfter(%v) = %v, %v; want %v, %v", tc.header, got, ok, tc.want, tc.ok)
		}
	}
}

func TestShouldRetry(t *testing.T) {
	for code, want := range map[int]bool{400: false, 401: false, 403: false, 404: false, 408: true, 409: true,
		422: false, 429: true, 500: true, 502: true, 503: true, 504: true, 599: true} {
		if got := shouldRetry(code, http.Header{}); got != want {
			t.Errorf("shouldRetry(%d) = %v, want %v", code, got, want)
		}
	}
	if shouldRetry(503, http.Header{"X-Should-Retry": {"false"}}) || !shouldRetry(400, http.Header{"X-Should-Retry": {"true"}}) {
		t.Error("x-should-retry not honoured")
	}
}

// TestBackoffCeilingProperty checks min(max, base·2^k) against big
// integers, which cannot overflow.
func TestBackoffCeilingProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		base := time.Duration(rapid.Int64Range(1, int64(time.Hour)).Draw(t, "base"))
		ceiling := time.Duration(rapid.Int64Range(int64(base), 1<<62).Draw(t, "max"))
		k := rapid.IntRange(0, 200).Draw(t, "k")
		want := new(big.Int).Lsh(big.NewInt(int64(base)), uint(k))
		if want.Cmp(big.NewInt(int64(ceiling))) > 0 {
			want.SetInt64(int64(ceiling))
		}
		if got := backoffCeiling(base, ceiling, k); int64(got) != want.Int64() {
			t.Fatalf("backoffCeiling(%v, %v, %d) = %v, want %v", base, ceiling, k, got, want)
		}
	})
}

// roundTripFunc is an in-memory transport, so that tests can run inside a
// synctest bubble, whose fake clock advances only when every goroutine
// is blocked.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func reply(status int, header http.Header, body string) *http.Response {
	if header == nil {
		header = http.Header{}
	}
	return &http.Response{StatusCode: status, Header: header, Body: io.NopCloser(strings.NewReader(body))}
}

const okChat = `{"choices":[{"index":0,"message":{"role":"assistant","content":"yes"}}]}`

// scripted returns a transport answering the n-th request with steps[n]
// (the last repeating), and a counter of requests.
func scripted(steps ...func(*http.Request) (*http.Response, error)) (http.RoundTripper, *atomic.Int64) {
	var n atomic.Int64
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		i := n.Add(1)
		return steps[min(int(i), len(steps))-1](r)
	}), &n
}

func status(code int, header http.Header) func(*http.Request) (*http.Response, error) {
	return func(*http.Request) (*http.Response, error) { return reply(code, header, `{}`), nil }
}

func ok(*http.Request) (*http.Response, error) { return reply(200, nil, okChat), nil }

// hang blocks until the attempt's context ends, as a server that never
// answers does.
func hang(r *http.Request) (*http.Response, error) {
	<-r.Context().Done()
	return nil, r.Context().Err()
}

// fakeClockCase runs one call inside a synctest bubble and returns the
// fake time it took.
func fakeClockCase(t *testing.T, cfg Config, jitter func(int64) int64, calls int, rt http.RoundTripper) (time.Duration, error) {
	t.Helper()
	var elapsed time.Duration
	var err error
	synctest.Test(t, func(t *testing.T) {
		cfg.BaseURL = "http://fake.invalid/v1"
		cfg.HTTPClient = &http.Client{Transport: rt}
		c, e := New(cfg)
		if e != nil {
			t.Fatal(e)
		}
		if jitter != nil {
			c.jitter = jitter
		}
		start := time.Now()
		for i := range calls {
			req := chatReq("q")
			req.Draw = i
			if _, err = c.Chat(context.Background(), req); err != nil {
				break
			}
		}
		elapsed = time.Since(start)
	})
	return elapsed, err
}

// TestBackoffTiming measures, on synctest's fake clock, the waits between
// attempts: full-jitter exponential backoff at its extremes, Retry-After in
// both forms, the per-attempt timeout and the rate limit.
func TestBackoffTiming(t *testing.T) {
	longest := func(n int64) int64 { return n - 1 }
	shortest := func(int64) int64 { return 0 }
	backoff := Config{BackoffBase: time.Second, BackoffMax: 3 * time.Second}
	e500 := status(500, nil)
	cases := []struct {
		name   string
		cfg    Config
		jitter func(int64) int64
		calls  int
		rt     func() (http.RoundTripper, *atomic.Int64)
		want   time.Duration
		sent   int64
	}{
		// Ceilings 1 s, 2 s, min(4 s, 3 s) = 3 s.
		{"backoff at ceiling", backoff, longest, 1, func() (http.RoundTripper, *atomic.Int64) { return scripted(e500, e500, e500, ok) }, 6 * time.Second, 4},
		{"backoff at zero", backoff, shortest, 1, func() (http.RoundTripper, *atomic.Int64) { return scripted(e500, e500, e500, ok) }, 0, 4},
		{"retry-after seconds", backoff, longest, 1, func() (http.RoundTripper, *atomic.Int64) {
			return scripted(status(429, http.Header{"Retry-After": {"7"}}), ok)
		}, 7 * time.Second, 2},
		{"retry-after date", backoff, longest, 1, func() (http.RoundTripper, *atomic.Int64) {
			return scripted(func(*http.Request) (*http.Response, error) {
				// synctest's clock starts on a whole second, so the date is exact.
				return reply(503, http.Header{"Retry-After": {time.Now().Add(42 * time.Second).UTC().Format(http.TimeFormat)}}, ""), nil
			}, ok)
		}, 42 * time.Second, 2},
		{"attempt timeout", Config{Timeout: 10 * time.Second}, shortest, 1, func() (http.RoundTripper, *atomic.Int64) { return scripted(hang, hang, ok) }, 20 * time.Second, 3},
		{"rate limit", Config{RequestsPerSecond: 2}, nil, 5, func() (http.RoundTripper, *atomic.Int64) { return scripted(ok) }, 2 * time.Second, 5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rt, n := tc.rt()
			got, err := fakeClockCase(t, tc.cfg, tc.jitter, tc.calls, rt)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want || n.Load() != tc.sent {
				t.Errorf("took %v with %d requests, want %v with %d", got, n.Load(), tc.want, tc.sent)
			}
		})
	}
}
