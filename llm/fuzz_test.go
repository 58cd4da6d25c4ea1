package llm

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// FuzzAPIError reads arbitrary error bodies: never a panic, and never the
// key in the message, however the server quotes it.
func FuzzAPIError(f *testing.F) {
	const secret = "sk-fuzz-SECRET-42"
	f.Add(400, []byte(`{"error":{"message":"bad","type":"invalid_request_error","code":"x"}}`))
	f.Add(401, []byte(`{"error":{"message":"Incorrect API key provided: sk-fuzz-SECRET-42","code":401}}`))
	f.Add(502, []byte("<html>bad gateway sk-fuzz-SECRET-42</html>"))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := newAPIError("POST", "http://h/v1/chat/completions", status, body, secret)
		if msg := e.Error(); strings.Contains(msg, secret) {
			t.Fatalf("message leaks the key: %q", msg)
		}
	})
}

// FuzzRetryAfter reads arbitrary Retry-After headers: a wait is never
// negative.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"3", "1.5", "-1", "Sun, 01 Mar 2026 12:00:07 GMT", "1e400", "NaN", ""} {
		f.Add(s, "")
	}
	f.Add("", "250")
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, after, afterMs string) {
		h := http.Header{"Retry-After": {after}, "Retry-After-Ms": {afterMs}}
		if d, ok := retryAfter(h, now); d < 0 || (!ok && d != 0) {
			t.Fatalf("retryAfter(%q, %q) = %v, %v", after, afterMs, d, ok)
		}
	})
}

// FuzzDecode reads arbitrary 2xx bodies as both answer types: never a
// panic, and an accepted answer has a choice and, for completions,
// log-probability arrays that agree.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(okChat))
	f.Add([]byte(`{"choices":[{"text":"x","logprobs":{"tokens":["a","b"],"token_logprobs":[null,-1.5]}}]}`))
	f.Add([]byte(`{"choices":[]}`))
	f.Add([]byte(`{"choices":[{"logprobs":{"tokens":["a"],"token_logprobs":[]}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var chat ChatResponse
		if decode(body, &chat) == nil && len(chat.Choices) == 0 {
			t.Fatal("chat answer without choices accepted")
		}
		var comp CompletionResponse
		if decode(body, &comp) == nil {
			for _, c := range comp.Choices {
				if lp := c.Logprobs; lp != nil && len(lp.Tokens) != len(lp.TokenLogprobs) {
					t.Fatal("mismatched log-probabilities accepted")
				}
			}
		}
	})
}
