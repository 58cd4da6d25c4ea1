package wiretest

import (
	"encoding/json"
	"strings"
	"testing"
)

// Every profile loads without unknown fields, documents every capability
// the probe reports, names its sources, and its streamed chunk is one
// server-sent event holding a chat.completion.chunk with a delta.
func TestProfiles(t *testing.T) {
	for _, name := range Servers {
		p, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if p.Server != name || p.Version == "" || len(p.Sources) == 0 || len(p.Expect) != 8 || p.ExpectTopLogprobs <= 0 {
			t.Errorf("%s: incomplete profile: server %q, %d sources, %d expectations", name, p.Server, len(p.Sources), len(p.Expect))
		}
		if _, ok := p.Errors["not_found"]; !ok {
			t.Errorf("%s: no not_found error", name)
		}
		data, ok := strings.CutPrefix(p.Stream, "data: ")
		if !ok || !strings.HasSuffix(data, "\n\n") {
			t.Errorf("%s: stream chunk %q is not one server-sent event", name, p.Stream)
			continue
		}
		var chunk struct {
			Object  string `json:"object"`
			Choices []struct {
				Delta *struct {
					Content string `json:"content"`
				} `json:"delta"`
			} `json:"choices"`
		}
		if err := json.Unmarshal([]byte(data), &chunk); err != nil || chunk.Object != "chat.completion.chunk" || len(chunk.Choices) != 1 || chunk.Choices[0].Delta == nil {
			t.Errorf("%s: stream chunk %q: %v", name, data, err)
		}
	}
}

// FirstToken is a distribution, listed most probable first.
func TestFirstToken(t *testing.T) {
	var sum float64
	for i, tok := range FirstToken {
		sum += tok.P
		if i > 0 && tok.P > FirstToken[i-1].P {
			t.Errorf("%q (%v) after %q (%v)", tok.Text, tok.P, FirstToken[i-1].Text, FirstToken[i-1].P)
		}
	}
	if sum < 1-1e-12 || sum > 1+1e-12 {
		t.Errorf("sums to %v", sum)
	}
}
