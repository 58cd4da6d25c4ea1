package llm_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/internal/wiretest"
	"github.com/hallu-dev/hallu/llm"
)

// TestProbeEachServer probes every fake server and compares each finding
// with the capabilities its profile documents.
func TestProbeEachServer(t *testing.T) {
	for _, name := range wiretest.Servers {
		t.Run(name, func(t *testing.T) {
			srv := wiretest.StartServer(t, name)
			p, base := srv.Profile, srv.URL
			c, err := llm.New(llm.Config{BaseURL: base, MaxRetries: -1})
			if err != nil {
				t.Fatal(err)
			}
			for _, cap := range llm.AllCapabilities {
				f, err := c.Probe(context.Background(), "m", cap)
				if err != nil {
					t.Fatal(err)
				}
				want, ok := p.Expect[string(cap)]
				if !ok {
					t.Fatalf("profile has no expectation for %q", cap)
				}
				if !f.Known || f.Supported != want {
					t.Errorf("%s: known %v supported %v, want supported %v (%s)", cap, f.Known, f.Supported, want, f.Detail)
				}
				if cap == llm.ChatTopLogprobs && f.TopLogprobs != p.ExpectTopLogprobs {
					t.Errorf("top_logprobs %d, want %d (%s)", f.TopLogprobs, p.ExpectTopLogprobs, f.Detail)
				}
				if cap == llm.Models && f.Server != p.Server && p.Server != "openai" {
					t.Errorf("server %q, want %q", f.Server, p.Server)
				}
			}
			if st := c.Stats(); st.Sent != 0 {
				t.Errorf("probe requests counted in Stats: %+v", st)
			}
		})
	}
}

// TestRequireNamesMissingCapability: a measurement that needs echo stops
// on a server without it, naming the capability and what to use instead.
func TestRequireNamesMissingCapability(t *testing.T) {
	base := wiretest.StartServer(t, "llamacpp").URL
	c, err := llm.New(llm.Config{BaseURL: base, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	echo := llm.Measurement{Name: "echo scores", Needs: []llm.Capability{llm.Completions, llm.Echo}}
	letters := llm.Measurement{Name: "letters", Needs: []llm.Capability{llm.Chat, llm.ChatTopLogprobs}}
	err = c.Require(context.Background(), "m", echo)
	var me *llm.MissingError
	if !errors.As(err, &me) || me.Finding.Capability != llm.Echo {
		t.Fatalf("got %v, want a MissingError for echo", err)
	}
	if err := c.Require(context.Background(), "m", letters); err != nil {
		t.Fatalf("letters on llama.cpp: %v", err)
	}
}

// TestChoiceProbsEachServer reads the letters A–D from each server's chat
// reply and checks them against the fake model's distribution, by hand:
// with 20 alternatives A is 0.5 + 0.04 (" A"), with TGI's 5 it is 0.5.
func TestChoiceProbsEachServer(t *testing.T) {
	for _, name := range wiretest.Servers {
		t.Run(name, func(t *testing.T) {
			srv := wiretest.StartServer(t, name)
			p, base := srv.Profile, srv.URL
			c, err := llm.New(llm.Config{BaseURL: base, MaxRetries: -1})
			if err != nil {
				t.Fatal(err)
			}
			k := p.ExpectTopLogprobs
			resp, err := c.Chat(context.Background(), &llm.ChatRequest{Model: "m", Messages: []llm.Message{{Role: "user", Content: "?"}},
				MaxTokens: 1, Logprobs: true, TopLogprobs: k})
			if err != nil {
				t.Fatal(err)
			}
			cp, err := llm.ReadChoiceProbs(resp.Choices[0].Logprobs, []string{"A", "B", "C", "D"}, k, false)
			if err != nil {
				t.Fatal(err)
			}
			want := []float64{0.54, 0.2, 0.1, 0.05}
			if k == 5 {
				want[0] = 0.5
			}
			var in float64
			for i, w := range want {
				if math.Abs(math.Exp(cp.Logprob[i])-w) > 1e-12 {
					t.Errorf("option %d: %v, want %v", i, math.Exp(cp.Logprob[i]), w)
				}
				in += w
			}
			if cp.Missing != 0 || math.Abs(cp.Outside-(1-in)) > 1e-12 {
				t.Errorf("missing %d outside %v, want 0 and %v", cp.Missing, cp.Outside, 1-in)
			}
		})
	}
}

// A server that quotes the API key back in an error: the finding's
// evidence does not repeat it.
func TestProbeRedactsKey(t *testing.T) {
	const key = "sk-secret-123"
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":{"message":"bad key ` + key + `"}}`))
	}))
	defer hs.Close()
	c, err := llm.New(llm.Config{BaseURL: hs.URL + "/v1", APIKey: key})
	if err != nil {
		t.Fatal(err)
	}
	f, err := c.Probe(context.Background(), "m", llm.Chat)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(f.Detail, key) || !f.Known || f.Supported {
		t.Errorf("finding %+v", f)
	}
}
