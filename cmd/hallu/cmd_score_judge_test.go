package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hallu-dev/hallu/harness"
)

// scriptedJudge is a judge endpoint on loopback that replies to the
// letter judge's requests by the response it is shown: "Paris" A, "Lyon"
// B, "I have no idea" C, "garbage" an unparseable reply, "busy" a 429
// (with Retry-After) on its first request then A, "slow" later than the
// client's timeout; other requests get an unparseable reply.
func scriptedJudge(t *testing.T, reply func(response string) string) *httptest.Server {
	t.Helper()
	var busy atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Messages []struct{ Role, Content string }
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		resp := "" // not the letter judge's request (a capability probe): replied to as garbage
		if len(req.Messages) == 2 && req.Messages[0].Content == harness.LetterJudgePrompt {
			_, resp, _ = strings.Cut(req.Messages[1].Content, "Response: ")
		}
		switch resp {
		case "busy":
			if busy.CompareAndSwap(false, true) {
				w.Header().Set("Retry-After", "0")
				http.Error(w, "slow down", http.StatusTooManyRequests)
				return
			}
		case "slow":
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":"x","model":"judge","choices":[{"index":0,"message":{"role":"assistant","content":%q},"finish_reason":"stop"}]}`, reply(resp))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func scriptReply(resp string) string {
	switch resp {
	case "Paris", "busy":
		return "A"
	case "Lyon":
		return "B"
	case "I have no idea":
		return " C.\n"
	}
	return "Probably correct, I think."
}

func writeJudgeLog(t *testing.T, responses ...string) string {
	t.Helper()
	var b strings.Builder
	for i, r := range responses {
		fmt.Fprintf(&b, `{"id":"q%d","question":"Capital of France?","golds":["Paris"],"response":%q,"label":"%s"}`+"\n", i, r, map[bool]string{true: "A", false: "B"}[r == "Paris" || r == "busy"])
	}
	p := filepath.Join(t.TempDir(), "log.jsonl")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func judgeScoreOptions(t *testing.T, url string) scoreOptions {
	o := defaultScoreOptions()
	o.Format, o.Map = "jsonl", "id=id,question=question,gold=golds,response=response"
	o.Judge = judgeOptions{Model: "judge", BaseURL: url + "/v1", Cache: filepath.Join(t.TempDir(), "judge.db"),
		Client: clientOptions{concurrency: 3, timeout: 300 * time.Millisecond, maxRetries: 1}}
	return o
}

func TestScoreJudge(t *testing.T) {
	srv := scriptedJudge(t, scriptReply)
	log := writeJudgeLog(t, "Paris", "Lyon", "I have no idea", "garbage", "busy", "slow")
	o := judgeScoreOptions(t, srv.URL)
	o.JSON = true
	var out strings.Builder
	if err := runScore(context.Background(), o, []string{log}, &out); err != nil {
		t.Fatal(err)
	}
	var env struct {
		Parameters struct {
			Judge struct {
				Model        string
				PromptSHA256 string `json:"prompt_sha256"`
			}
		}
		Result struct {
			Results []struct {
				Target                             float64
				Correct, Wrong, Abstained, Invalid int
			}
		}
	}
	if err := json.Unmarshal([]byte(out.String()), &env); err != nil {
		t.Fatal(err)
	}
	if env.Parameters.Judge.PromptSHA256 != harness.PromptHash() || env.Parameters.Judge.Model != "judge" {
		t.Errorf("provenance: %+v", env.Parameters.Judge)
	}
	r := env.Result.Results[0]
	if r.Correct != 2 || r.Wrong != 1 || r.Abstained != 1 || r.Invalid != 2 {
		t.Errorf("buckets %+v, want 2 correct (one after a 429), 1 wrong, 1 abstained, 2 invalid (garbage, timeout)\n%s", r, out.String())
	}

	// Agreement with the log's own letters, graded by the judge; the
	// second run reads every reply from the cache.
	o.JSON = false
	o.Agree = agreeOptions{Reference: "label", RefMap: "A=correct,B=wrong", Show: 10}
	out.Reset()
	if err := runScore(context.Background(), o, []string{log}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"judge judge (prompt sha256 " + harness.PromptHash(), "not A, B or C", "3 of 6"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("agreement output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestRedactURL(t *testing.T) {
	if got := redactURL("https://user:secret@api.example.com/v1?key=secret"); strings.Contains(got, "secret") {
		t.Errorf("redactURL kept a credential: %s", got)
	}
}

func TestScoreJudgeBadInput(t *testing.T) {
	log := writeJudgeLog(t, "Paris", "Lyon", "garbage")
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close() // nothing listens there any more
	allGarbage := scriptedJudge(t, func(string) string { return "I cannot grade this." })
	for _, tc := range []struct {
		name, url, want string
		mod             func(*scoreOptions)
	}{
		{"endpoint down", down.URL, "all 3 requests failed", nil},
		{"every sample invalid", allGarbage.URL, "every one of the 3 samples came out invalid", nil},
		{"no base url", "", "--judge-model needs --judge-base-url", nil},
		{"unmapped reference", allGarbage.URL, `"A" (1)`, func(o *scoreOptions) {
			o.Judge.Model = ""
			o.Judge.BaseURL = ""
			o.Agree = agreeOptions{Reference: "label", RefMap: "B=wrong"}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := judgeScoreOptions(t, tc.url)
			if tc.url == "" {
				o.Judge.BaseURL = ""
			}
			if tc.mod != nil {
				tc.mod(&o)
			}
			err := runScore(context.Background(), o, []string{log}, &strings.Builder{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
