package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/harness"
	"github.com/hallu-dev/hallu/score"
)

// answerServer is a model endpoint on loopback that answers question
// "… (k)" with responses[k], and any other chat request (a capability
// probe) with "ok".
func answerServer(t *testing.T, responses []string) *httptest.Server {
	t.Helper()
	k := regexp.MustCompile(`\((\d+)\)`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Messages []struct{ Role, Content string }
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Messages) == 0 {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		reply := "ok"
		if m := k.FindStringSubmatch(req.Messages[len(req.Messages)-1].Content); m != nil {
			var i int
			fmt.Sscan(m[1], &i)
			reply = responses[i]
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":"x","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":%q},"finish_reason":"stop"}]}`, reply)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestRunJudge: hallu run grades with the same letter judge as hallu
// score (scriptedJudge checks its prompt): A, B and C are taken, a reply
// outside the grammar is invalid, a 429 is retried, and a judge request
// that times out leaves its question unrecorded, to be asked again; a run
// whose every answer is invalid is exit 3. The JSON names the judge and
// the sha256 of its prompt.
func TestRunJudge(t *testing.T) {
	for _, tc := range []struct {
		name      string
		responses []string
		code      int
		stderr    string
	}{
		{"replies", []string{"Paris", "Lyon", "I have no idea", "garbage", "busy"}, exitOK, ""},
		{"timeout", []string{"Paris", "Lyon", "I have no idea", "garbage", "busy", "slow"}, exitUnusable, "1 requests failed"},
		{"every reply unusable", []string{"garbage", "garbage"}, exitUnusable, `every one of the 2 samples of model "m" is invalid`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			model, judge := answerServer(t, tc.responses), scriptedJudge(t, scriptReply)
			dir := t.TempDir()
			var quiz strings.Builder
			for i := range tc.responses {
				fmt.Fprintf(&quiz, `{"id":"q%d","question":"Capital of France? (%d)","answer":["Paris"]}`+"\n", i, i)
			}
			dataset, runFile := filepath.Join(dir, "quiz.jsonl"), filepath.Join(dir, "run.jsonl")
			if err := os.WriteFile(dataset, []byte(quiz.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			var out, errb bytes.Buffer
			code := run(context.Background(), []string{"run", "--base-url", model.URL + "/v1", "--model", "m", "--dataset", dataset,
				"--targets", "0", "-o", runFile, "--cache", filepath.Join(dir, "cache.db"), "--json",
				"--judge-model", "judge", "--judge-base-url", judge.URL + "/v1", "--timeout", "300ms", "--max-retries", "1"}, &out, &errb)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", code, tc.code, errb.String())
			}
			recs := runRecords(t, runFile)
			want := map[string]score.Outcome{"q0@0": score.Correct, "q1@0": score.Wrong, "q2@0": score.Abstained, "q3@0": score.Invalid, "q4@0": score.Correct}
			if len(tc.responses) == 2 {
				want = map[string]score.Outcome{"q0@0": score.Invalid, "q1@0": score.Invalid}
			}
			if len(recs) != len(want) {
				t.Errorf("%d records, want %d (a timed-out judge request records nothing)", len(recs), len(want))
			}
			for key, o := range want {
				if s := recs[key]; s == nil || s.Outcome != o {
					t.Errorf("%s: %+v, want %v", key, s, o)
				}
			}
			if s := recs["q3@0"]; len(want) > 2 && !strings.Contains(s.Reason, "not A, B or C") {
				t.Errorf("invalid reply's reason %q", s.Reason)
			}
			if !strings.Contains(errb.String(), tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, errb.String())
			}
			if tc.code != exitOK {
				return
			}
			var env struct {
				Parameters struct {
					Judge struct {
						Model        string
						PromptSHA256 string `json:"prompt_sha256"`
					}
				}
			}
			if err := json.Unmarshal(out.Bytes(), &env); err != nil {
				t.Fatal(err)
			}
			if env.Parameters.Judge.Model != "judge" || env.Parameters.Judge.PromptSHA256 != harness.PromptHash() {
				t.Errorf("judge provenance %+v", env.Parameters.Judge)
			}
		})
	}
}

// runRecords returns the run file's samples by "id@target".
func runRecords(t *testing.T, path string) map[string]*score.Sample {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs := map[string]*score.Sample{}
	_, err = evallog.ReadRun(f, path, func(s *score.Sample) error {
		c := *s
		recs[fmt.Sprintf("%s@%v", s.ID, *s.Target)] = &c
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}
