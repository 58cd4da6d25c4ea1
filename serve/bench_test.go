package serve

import (
	"net/http/httptest"
	"testing"
)

// benchRequest measures one request handled in process (no network).
func benchRequest(b *testing.B, path, body string) {
	s, _ := newTestServer(b)
	h := s.Handler()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, apiRequest(path, body))
		if w.Code != 200 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
}

// BenchmarkScoreRequest: ln p̂(r|c) of a 12-token sentence by echo.
func BenchmarkScoreRequest(b *testing.B) {
	benchRequest(b, "/v1/completions", `{"model":"moby-3","prompt":"She lost it and was completely out of her mind.","echo":true,"max_tokens":0,"logprobs":0}`)
}

// BenchmarkGenerateRequest: up to 16 sampled tokens with logprobs 1.
func BenchmarkGenerateRequest(b *testing.B) {
	benchRequest(b, "/v1/completions", `{"model":"moby-3","prompt":"Call me Ishmael.","max_tokens":16,"temperature":1,"logprobs":1,"seed":1}`)
}

// BenchmarkChatRequest: up to 16 tokens with 5 top logprobs each.
func BenchmarkChatRequest(b *testing.B) {
	benchRequest(b, "/v1/chat/completions", `{"model":"moby-3","messages":[{"role":"user","content":"Who is Captain Ahab?"}],"max_tokens":16,"logprobs":true,"top_logprobs":5,"seed":1}`)
}
