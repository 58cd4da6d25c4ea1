package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Config configures a Client. Zero fields take the defaults named.
type Config struct {
	// BaseURL is the API root, e.g. "https://api.openai.com/v1" or
	// "http://127.0.0.1:8080/v1"; "/chat/completions" and "/completions"
	// are appended to its path.
	BaseURL string
	// APIKey is sent as "Authorization: Bearer <key>" when not empty, and
	// nowhere else.
	APIKey string

	// Concurrency bounds the requests in flight at once (default 8).
	Concurrency int
	// RequestsPerSecond is the token bucket's rate, 0 for no limit; Burst
	// its depth (default 1).
	RequestsPerSecond float64
	Burst             int

	// Timeout bounds each attempt, reading the body included (default 2 min).
	Timeout time.Duration
	// MaxRetries bounds the retries after the first attempt (default 6;
	// negative for none).
	MaxRetries int
	// BackoffBase and BackoffMax shape the backoff when the server names no
	// wait: the k-th retry (from 0) waits a uniform random time in
	// [0, min(BackoffMax, BackoffBase·2^k)] (defaults 500 ms and 30 s).
	BackoffBase, BackoffMax time.Duration
	// MaxRetryAfter is the longest wait a Retry-After header may ask for;
	// a longer one fails the call at once (default 5 min).
	MaxRetryAfter time.Duration

	// Cache, when set, stores every answer before it is returned and
	// answers repeated requests without sending them. The caller closes it
	// after the Client's last call.
	Cache *Cache
	// HTTPClient sends the requests (default: one keeping Concurrency idle
	// connections to the host).
	HTTPClient *http.Client
	// Logger receives a Debug record per retry (default: discard).
	Logger *slog.Logger
	// UserAgent is sent as User-Agent (default "hallu").
	UserAgent string
}

// Client calls an OpenAI-compatible endpoint. It is safe for concurrent
// use; see the package doc for what a call does.
type Client struct {
	cfg      Config
	base     *url.URL // BaseURL as parsed
	endpoint string   // BaseURL without user info or query, for keys, logs and errors
	http     *http.Client
	limiter  *rate.Limiter
	slots    chan struct{} // one per request allowed in flight
	log      *slog.Logger
	jitter   func(n int64) int64 // uniform in [0, n); replaced in tests

	mu      sync.Mutex
	flights map[Key]*flight
	probes  map[probeKey]Finding // what Probe found, per model and capability

	stats counters
}

// flight is a request being sent on behalf of every identical call.
type flight struct {
	done chan struct{}
	raw  []byte
	err  error
}

// maxBody bounds the size of a reply's body.
const maxBody = 64 << 20

// New returns a Client for cfg.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimSuffix(cfg.BaseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("llm: base URL %q is not an http(s) URL", redact(RedactURL(cfg.BaseURL), cfg.APIKey))
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 8
	}
	if cfg.Burst <= 0 {
		cfg.Burst = 1
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Minute
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = 6
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	if cfg.BackoffBase <= 0 {
		cfg.BackoffBase = 500 * time.Millisecond
	}
	if cfg.BackoffMax <= 0 {
		cfg.BackoffMax = 30 * time.Second
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = 5 * time.Minute
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "hallu"
	}
	c := &Client{
		cfg:      cfg,
		base:     u,
		endpoint: (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String(),
		http:     cfg.HTTPClient,
		limiter:  rate.NewLimiter(rate.Inf, cfg.Burst),
		slots:    make(chan struct{}, cfg.Concurrency),
		log:      cfg.Logger,
		jitter:   rand.Int64N,
		flights:  make(map[Key]*flight),
		probes:   make(map[probeKey]Finding),
	}
	if cfg.RequestsPerSecond > 0 {
		c.limiter.SetLimit(rate.Limit(cfg.RequestsPerSecond))
	}
	if c.http == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = cfg.Concurrency
		c.http = &http.Client{Transport: t}
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// Close releases the Client's idle connections. It does not close
// Config.Cache.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// Chat sends a chat completion request (or answers it from the cache).
func (c *Client) Chat(ctx context.Context, req *ChatRequest) (*ChatResponse, error) {
	resp := new(ChatResponse)
	meta, err := c.call(ctx, "/chat/completions", req, req.Draw, resp)
	if err != nil {
		return nil, err
	}
	resp.Meta = meta
	return resp, nil
}

// Complete sends a legacy completion request (or answers it from the cache).
func (c *Client) Complete(ctx context.Context, req *CompletionRequest) (*CompletionResponse, error) {
	resp := new(CompletionResponse)
	meta, err := c.call(ctx, "/completions", req, req.Draw, resp)
	if err != nil {
		return nil, err
	}
	resp.Meta = meta
	return resp, nil
}

// answer is a decoded reply that can tell whether it is usable.
type answer interface{ check() error }

// call answers req from the cache, from an identical call in flight, or by
// sending it; out receives the decoded answer.
func (c *Client) call(ctx context.Context, path string, req any, draw int, out answer) (Meta, error) {
	c.stats.calls.Add(1)
	meta, err := c.resolve(ctx, path, req, draw, out)
	if err != nil {
		c.stats.failed.Add(1)
	}
	return meta, err
}

func (c *Client) resolve(ctx context.Context, path string, req any, draw int, out answer) (Meta, error) {
	body, err := canonicalJSON(req)
	if err != nil {
		return Meta{}, fmt.Errorf("llm: %w", err)
	}
	endpoint := c.endpoint + path
	key := RequestKey(http.MethodPost, endpoint, body, draw)
	meta := Meta{Key: key}
	for {
		if c.cfg.Cache != nil {
			raw, ok, err := c.cfg.Cache.Get(ctx, key)
			if err != nil {
				return meta, fmt.Errorf("llm: %w", err)
			}
			if ok {
				if err := json.Unmarshal(raw, out); err != nil {
					return meta, fmt.Errorf("llm: cached answer to %s: %w", key, err)
				}
				c.stats.cacheHits.Add(1)
				meta.Cached = true
				return meta, nil
			}
		}
		f, leader := c.join(key)
		if leader {
			raw, attempts, err := c.fetch(ctx, path, key, body, out)
			meta.Attempts = attempts
			c.leave(key, f, raw, err)
			return meta, err
		}
		select {
		case <-f.done:
		case <-ctx.Done():
			return meta, ctx.Err()
		}
		if isContextErr(f.err) && ctx.Err() == nil {
			continue // the leader's caller gave up; this one has not
		}
		if f.err != nil {
			return meta, f.err
		}
		if err := json.Unmarshal(f.raw, out); err != nil {
			return meta, fmt.Errorf("llm: shared answer to %s: %w", key, err)
		}
		c.stats.shared.Add(1)
		meta.Shared = true
		return meta, nil
	}
}

// join returns the flight for key, and whether the caller must fly it.
func (c *Client) join(key Key) (f *flight, leader bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f, ok := c.flights[key]; ok {
		return f, false
	}
	f = &flight{done: make(chan struct{})}
	c.flights[key] = f
	return f, true
}

// leave ends the flight for key, releasing its followers.
func (c *Client) leave(key Key, f *flight, raw []byte, err error) {
	c.mu.Lock()
	delete(c.flights, key)
	c.mu.Unlock()
	f.raw, f.err = raw, err
	close(f.done)
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
