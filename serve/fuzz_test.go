package serve

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// FuzzRequest: whatever the body, the API answers 200 with a completion or
// an error status with an OpenAI error object, never 500, never a reply over
// the size limit, and never panics.
func FuzzRequest(f *testing.F) {
	for _, body := range []string{
		`{"model":"moby-3","prompt":"Call me","max_tokens":3,"logprobs":2,"echo":true,"seed":1}`,
		`{"model":"moby-3","prompt":[[4,5],[6]],"n":2,"max_tokens":2,"stop":"a"}`,
		`{"model":"moby-3","messages":[{"role":"user","content":"hi"}],"logprobs":true,"top_logprobs":1,"max_tokens":2}`,
		`{"model":"moby-3","prompt":"x","temperature":-1}`,
		`{"model":"moby-3","prompt":["a","b"],"n":4611686018427387904,"max_tokens":0}`,
		`{"model":"moby-3","prompt":[[1],[2]],"n":9223372036854775807,"max_tokens":9223372036854775807,"echo":true,"logprobs":20}`,
		`{"model":"moby-3","prompt":["","","",""],"n":2,"max_tokens":8,"logprobs":20,"echo":true}`,
		`{"model":"moby-3","messages":[{"role":"user","content":"x"}],"n":128,"max_tokens":8,"logprobs":true,"top_logprobs":20}`,
		`{"model":`, `[]`, `null`, ``,
	} {
		f.Add("/v1/completions", body)
		f.Add("/v1/chat/completions", body)
	}
	s, _ := newTestServer(f, func(s *Server) { s.MaxTokens, s.MaxReplyBytes = 8, 16<<10 })
	h := s.Handler()
	f.Fuzz(func(t *testing.T, path, body string) {
		if path != "/v1/completions" && path != "/v1/chat/completions" {
			path = "/v1/completions"
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, apiRequest(path, body))
		var out map[string]json.RawMessage
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatalf("status %d, body not JSON: %q", w.Code, w.Body)
		}
		_, isErr := out["error"]
		_, hasChoices := out["choices"]
		if w.Code == 200 && !hasChoices || w.Code != 200 && (!isErr || w.Code == 500) {
			t.Fatalf("status %d with body %s", w.Code, w.Body)
		}
		if w.Body.Len() > s.MaxReplyBytes {
			t.Fatalf("reply of %d bytes, over the limit of %d", w.Body.Len(), s.MaxReplyBytes)
		}
	})
}

// TestCompletionInvariants: for random prompts, the echoed and generated
// tokens concatenate to the returned text, offsets never decrease, every
// log-probability is at most 0, and usage counts the tokens.
func TestCompletionInvariants(t *testing.T) {
	s, _ := newTestServer(t)
	h := s.Handler()
	words := []string{"the", "whale", "Ahab", "sea", ",", ".", "?", "!", "\n\n", "“so”", "don't", "Xylophonic", "  ", "—"}
	rapid.Check(t, func(t *rapid.T) {
		parts := rapid.SliceOfN(rapid.SampledFrom(words), 1, 12).Draw(t, "prompt")
		prompt := strings.Join(parts, " ")
		body, _ := json.Marshal(map[string]any{"model": testModelID, "prompt": prompt, "echo": true,
			"logprobs": rapid.IntRange(0, 3).Draw(t, "k"), "max_tokens": rapid.IntRange(0, 6).Draw(t, "max"),
			"seed": rapid.Int64().Draw(t, "seed"), "temperature": rapid.Float64Range(0, 2).Draw(t, "T")})
		w := httptest.NewRecorder()
		h.ServeHTTP(w, apiRequest("/v1/completions", string(body)))
		var resp completionBody
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil || w.Code != 200 {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		c := resp.Choices[0]
		if !strings.HasPrefix(c.Text, prompt) {
			t.Fatalf("echoed text %q does not start with the prompt %q", c.Text, prompt)
		}
		var generated strings.Builder
		end := 0 // end of the last token with text
		for i, tok := range c.Logprobs.Tokens {
			off := c.Logprobs.TextOffset[i]
			if c.Logprobs.TokenLogprobs[i] > 0 {
				t.Fatalf("token %d %q: ln p %v", i, tok, c.Logprobs.TokenLogprobs[i])
			}
			if tok == eosText {
				if off != end {
					t.Fatalf("boundary %d at offset %d, not at the end %d of the token before it", i, off, end)
				}
				continue
			}
			if off < end || off+len(tok) > len(c.Text) || c.Text[off:off+len(tok)] != tok {
				t.Fatalf("token %d %q at offset %d (previous token ends at %d) does not match the text %q", i, tok, off, end, c.Text)
			}
			if off >= len(prompt) {
				generated.WriteString(tok)
			} else if i > 0 && off != end {
				t.Fatalf("prompt token %d %q at %d leaves a gap after %d", i, tok, off, end)
			}
			end = off + len(tok)
		}
		if generated.String() != c.Text[len(prompt):] {
			t.Fatalf("generated tokens %q, generated text %q", generated.String(), c.Text[len(prompt):])
		}
		if resp.Usage.PromptTokens+resp.Usage.CompletionTokens != len(c.Logprobs.Tokens) {
			t.Fatalf("usage %+v for %d tokens", resp.Usage, len(c.Logprobs.Tokens))
		}
	})
}
