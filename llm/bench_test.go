package llm

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
)

// benchReply is a typical short chat answer with log-probabilities.
const benchReply = `{"id":"chatcmpl-1","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Paris is the capital of France."},"finish_reason":"stop","logprobs":{"content":[{"token":"Paris","logprob":-0.01},{"token":" is","logprob":-0.2},{"token":" the","logprob":-0.05}]}}],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}`

func benchRequest(i int) *ChatRequest {
	zero := 0.0
	return &ChatRequest{Model: "m", MaxTokens: 32, Temperature: &zero, Logprobs: true, Messages: []Message{
		{Role: "system", Content: "Answer only if you are more than 75% confident; a mistake costs 3 points, a correct answer earns 1, and \"I don't know\" earns 0."},
		{Role: "user", Content: fmt.Sprintf("Question %d: what is the capital of France?", i)},
	}}
}

// BenchmarkClientOverhead measures the client's own work per call —
// canonical JSON, key, request, reply decoding, bookkeeping — over an
// in-memory transport, without a cache.
func BenchmarkClientOverhead(b *testing.B) {
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		io.Copy(io.Discard, r.Body)
		return reply(200, nil, benchReply), nil
	})
	c, err := New(Config{BaseURL: "http://bench.invalid/v1", HTTPClient: &http.Client{Transport: rt}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := c.Chat(context.Background(), benchRequest(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, benchReply)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkLoopback compares, one request at a time over loopback, this
// client with a bare net/http POST of the same bytes: the difference is
// what the client adds per request.
func BenchmarkLoopback(b *testing.B) {
	srv := benchServer(b)
	b.Run("raw", func(b *testing.B) {
		body, _ := canonicalJSON(benchRequest(0))
		hc := &http.Client{}
		for b.Loop() {
			resp, err := hc.Post(srv.URL+"/v1/chat/completions", "application/json", bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
	b.Run("client", func(b *testing.B) {
		c, err := New(Config{BaseURL: srv.URL + "/v1"})
		if err != nil {
			b.Fatal(err)
		}
		i := 0
		for b.Loop() {
			if _, err := c.Chat(context.Background(), benchRequest(i)); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkCache measures the cache: a hit, and a miss that records the
// request as sent and stores the answer (two fsynced commits when calls
// come one at a time, shared between calls when they come in parallel).
func BenchmarkCache(b *testing.B) {
	srv := benchServer(b)
	open := func(b *testing.B) *Client {
		cache, err := OpenCache(filepath.Join(b.TempDir(), "cache.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { cache.Close() })
		c, err := New(Config{BaseURL: srv.URL + "/v1", Cache: cache, Concurrency: 16})
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	b.Run("hit", func(b *testing.B) {
		c := open(b)
		if _, err := c.Chat(context.Background(), benchRequest(0)); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := c.Chat(context.Background(), benchRequest(0)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("miss-serial", func(b *testing.B) {
		c := open(b)
		i := 0
		for b.Loop() {
			if _, err := c.Chat(context.Background(), benchRequest(i)); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("miss-parallel16", func(b *testing.B) {
		c := open(b)
		var n atomic.Int64
		b.SetParallelism(8) // 16 goroutines on 2 cores
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := c.Chat(context.Background(), benchRequest(int(n.Add(1)))); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
