package servetest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hallu-dev/hallu/serve"
)

// Limits are the limits of the server under load, as hallu serve's flags
// give them.
type Limits struct {
	MaxBodyBytes, MaxTokens, MaxPromptTokens, MaxChoices, MaxRequestTokens, MaxReplyBytes int
}

// LimitsOf returns the limits s enforces, defaults filled in.
func LimitsOf(s *serve.Server) Limits {
	or := func(v, def int) int {
		if v > 0 {
			return v
		}
		return def
	}
	return Limits{
		MaxBodyBytes: or(int(s.MaxBodyBytes), serve.DefaultMaxBodyBytes), MaxTokens: or(s.MaxTokens, serve.DefaultMaxTokens),
		MaxPromptTokens: or(s.MaxPromptTokens, serve.DefaultMaxPromptTokens), MaxChoices: or(s.MaxChoices, serve.DefaultMaxChoices),
		MaxRequestTokens: or(s.MaxRequestTokens, serve.DefaultMaxRequestTokens), MaxReplyBytes: or(s.MaxReplyBytes, serve.DefaultMaxReplyBytes),
	}
}

// A Request is one request of a load: its path under the base URL and body.
type Request struct {
	Name, Path, Body string
}

// WorstCases returns requests that each take one of the limits to its
// maximum, with 20 top log-probabilities per token wherever they are
// allowed: the costliest requests a client may send.
func WorstCases(model string, l Limits) []Request {
	enc := func(v map[string]any) string {
		v["model"] = model
		b, _ := json.Marshal(v)
		return string(b)
	}
	maxTok := min(l.MaxTokens, l.MaxRequestTokens)
	n := min(l.MaxChoices, l.MaxRequestTokens/maxTok)
	prompts := make([]string, l.MaxChoices)
	for i := range prompts {
		prompts[i] = "Call me"
	}
	// A prompt of MaxPromptTokens words, if the body allows it: "whale " is
	// one token in 6 bytes.
	words := min(l.MaxPromptTokens, l.MaxRequestTokens, (l.MaxBodyBytes-200)/6)
	// One word as long as the body and the reply (which holds it twice)
	// allow: the most bytes an echo returns.
	long := max(1, min(l.MaxBodyBytes-200, l.MaxReplyBytes/2-4096))
	return []Request{
		{"generate", "/completions", enc(map[string]any{"prompt": "Call me Ishmael.", "n": n, "max_tokens": maxTok, "logprobs": 20})},
		{"chat", "/chat/completions", enc(map[string]any{"messages": []map[string]string{{"role": "user", "content": "Who is Ahab?"}},
			"n": n, "max_tokens": maxTok, "logprobs": true, "top_logprobs": 20})},
		{"many prompts", "/completions", enc(map[string]any{"prompt": prompts, "max_tokens": min(l.MaxTokens, l.MaxRequestTokens/l.MaxChoices), "logprobs": 20})},
		{"echo scoring", "/completions", enc(map[string]any{"prompt": strings.Repeat("whale ", words), "echo": true, "max_tokens": 0, "logprobs": 20})},
		{"long echo", "/completions", enc(map[string]any{"prompt": strings.Repeat("x", long), "echo": true, "max_tokens": 0, "logprobs": 0})},
	}
}

// A Load sends Concurrent requests at once, cycling through Heavy, while a
// probe sends Probe requests one after another, each retried after the
// Retry-After of a 429 or 503 until it is answered 200, until the heavy
// requests are all answered. Every request is bounded by ctx.
type Load struct {
	BaseURL    string // ending in /v1
	Concurrent int
	Heavy      []Request
	Probe      Request
	Client     *http.Client // nil: a client with a connection per request in flight
}

// A LoadResult is what a Load observed.
type LoadResult struct {
	Status       map[int]int    // heavy requests by HTTP status
	Codes        map[string]int // heavy requests' error codes
	Dropped      int            // heavy requests without an HTTP answer (connection errors)
	FirstDrop    error
	Answer       []time.Duration // probe: time to any HTTP answer, sorted
	Success      []time.Duration // probe: time to a 200, waits after 429/503 included, sorted
	ProbeRetries int             // probe answers 429 or 503
	ProbeFailed  int             // probe answers with another status, or none
	Duration     time.Duration
}

// Percentile returns the p-th percentile (0–100) of sorted durations, by
// the nearest-rank method; 0 for none.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p/100*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}

// Run runs the load and returns what it saw.
func (l Load) Run(ctx context.Context) LoadResult {
	client := l.Client
	if client == nil {
		client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: l.Concurrent + 1}}
	}
	res := LoadResult{Status: map[int]int{}, Codes: map[string]int{}}
	start := time.Now()
	var mu sync.Mutex
	var wg sync.WaitGroup
	heavyDone := make(chan struct{})
	for i := range l.Concurrent {
		req := l.Heavy[i%len(l.Heavy)]
		wg.Go(func() {
			status, code, _, err := send(ctx, client, l.BaseURL, req)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				res.Dropped++
				if res.FirstDrop == nil {
					res.FirstDrop = fmt.Errorf("%s: %w", req.Name, err)
				}
				return
			}
			res.Status[status]++
			if code != "" {
				res.Codes[code]++
			}
		})
	}
	var probe sync.WaitGroup
	probe.Go(func() {
		for {
			select {
			case <-heavyDone:
				return
			case <-ctx.Done():
				return
			default:
			}
			first := time.Now()
		attempts:
			for {
				t := time.Now()
				status, _, wait, err := send(ctx, client, l.BaseURL, l.Probe)
				switch {
				case err != nil:
					res.ProbeFailed++
					break attempts
				case status == 429 || status == 503:
					res.Answer = append(res.Answer, time.Since(t))
					res.ProbeRetries++
					select {
					case <-time.After(wait):
					case <-ctx.Done():
					}
				case status == 200:
					res.Answer = append(res.Answer, time.Since(t))
					res.Success = append(res.Success, time.Since(first))
					break attempts
				default:
					res.ProbeFailed++
					break attempts
				}
			}
		}
	})
	wg.Wait()
	close(heavyDone)
	probe.Wait()
	res.Duration = time.Since(start)
	slices.Sort(res.Answer)
	slices.Sort(res.Success)
	return res
}

// send posts one request and returns its status, its error code (if any)
// and the wait its Retry-After asks for.
func send(ctx context.Context, client *http.Client, base string, r Request) (int, string, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+r.Path, strings.NewReader(r.Body))
	if err != nil {
		return 0, "", 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", 0, err
	}
	defer resp.Body.Close()
	var code string
	if resp.StatusCode != 200 {
		var e struct {
			Error struct {
				Code *string `json:"code"`
			} `json:"error"`
		}
		if json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&e) == nil && e.Error.Code != nil {
			code = *e.Error.Code
		}
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, "", 0, fmt.Errorf("reading the answer: %w", err)
	}
	wait := time.Second
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
		wait = time.Duration(s) * time.Second
	}
	return resp.StatusCode, code, wait, nil
}
