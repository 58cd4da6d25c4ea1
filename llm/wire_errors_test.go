package llm_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hallu-dev/hallu/internal/wiretest"
	"github.com/hallu-dev/hallu/llm"
)

// errorText is the message inside a server's error body, in whichever of
// the shapes servers use: {"error":{"message"}}, {"error":"…"} (TGI),
// {"object":"error","message"} (SGLang) or {"detail"} (FastAPI).
func errorText(t *testing.T, body json.RawMessage) string {
	t.Helper()
	var shape struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
		Detail  string          `json:"detail"`
	}
	if err := json.Unmarshal(body, &shape); err != nil {
		t.Fatal(err)
	}
	var nested struct{ Message string }
	var flat string
	switch {
	case json.Unmarshal(shape.Error, &nested) == nil && nested.Message != "":
		return nested.Message
	case json.Unmarshal(shape.Error, &flat) == nil:
		return flat
	case shape.Message != "":
		return shape.Message
	}
	return shape.Detail
}

// TestErrorBodiesEachServer replays every error reply of every profile:
// the client's error carries the status and the server's message, and is
// retried exactly when the status says so, after the wait the reply names
// (OpenAI's 429 sends retry-after-ms).
func TestErrorBodiesEachServer(t *testing.T) {
	for _, name := range wiretest.Servers {
		p, err := wiretest.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		for rule, e := range p.Errors {
			t.Run(name+"/"+rule, func(t *testing.T) {
				var hits atomic.Int64
				hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					hits.Add(1)
					for k, v := range e.Headers {
						w.Header().Set(k, v)
					}
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(e.Status)
					w.Write(e.Body)
				}))
				defer hs.Close()
				// A reply that names its wait must be retried after that wait,
				// not after the client's own backoff (an hour here).
				backoff := time.Duration(1)
				if e.Headers["retry-after-ms"] != "" || e.Headers["retry-after"] != "" {
					backoff = time.Hour
				}
				c, err := llm.New(llm.Config{BaseURL: hs.URL + "/v1", MaxRetries: 1, BackoffBase: backoff, BackoffMax: backoff})
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				_, err = c.Chat(ctx, &llm.ChatRequest{Model: "m", Messages: []llm.Message{{Role: "user", Content: "?"}}})
				var apiErr *llm.APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != e.Status {
					t.Fatalf("got %v, want an APIError with status %d", err, e.Status)
				}
				if want := errorText(t, e.Body); !strings.Contains(err.Error(), want) {
					t.Errorf("%q does not carry the server's message %q", err, want)
				}
				retried := e.Status == 429 || e.Status >= 500
				if got := hits.Load(); (got == 2) != retried {
					t.Errorf("%d attempts for status %d", got, e.Status)
				}
			})
		}
	}
}
