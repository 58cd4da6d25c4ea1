package harness

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/llm"
	"github.com/hallu-dev/hallu/score"
	"github.com/hallu-dev/hallu/score/grade"
)

// quizServer answers chat requests on 127.0.0.1: "capital of N" gets
// "City N" when N is even, "I don't know" when N%3 == 0 (and odd), and a
// wrong city otherwise; "broken" questions get a 400. A judge request
// (its system message is LetterJudgePrompt) gets the reply its response
// text names after "verdict ". It counts arrivals per body.
type quizServer struct {
	*httptest.Server
	delay time.Duration

	mu       sync.Mutex
	arrivals map[[32]byte]int
}

func newQuizServer(t *testing.T, delay time.Duration) *quizServer {
	qs := &quizServer{delay: delay, arrivals: map[[32]byte]int{}}
	qs.Server = httptest.NewServer(http.HandlerFunc(qs.serve))
	t.Cleanup(qs.Close)
	return qs
}

func (qs *quizServer) duplicates() (bodies, dups int) {
	qs.mu.Lock()
	defer qs.mu.Unlock()
	for _, n := range qs.arrivals {
		bodies++
		dups += n - 1
	}
	return bodies, dups
}

func (qs *quizServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	qs.mu.Lock()
	qs.arrivals[sha256.Sum256(body)]++
	qs.mu.Unlock()
	var req llm.ChatRequest
	json.Unmarshal(body, &req)
	select {
	case <-time.After(qs.delay):
	case <-r.Context().Done():
		return
	}
	user := req.Messages[len(req.Messages)-1].Content
	var reply string
	switch {
	case req.Messages[0].Content == LetterJudgePrompt:
		_, reply, _ = strings.Cut(user, "Response: ")
		reply = strings.TrimPrefix(reply, "verdict ")
	case strings.HasPrefix(user, "broken"):
		http.Error(w, `{"error":{"message":"bad question"}}`, http.StatusBadRequest)
		return
	default:
		var n int
		fmt.Sscanf(user, "capital of %d", &n)
		switch {
		case n%2 == 0:
			reply = fmt.Sprintf("City %d", n)
		case n%3 == 0:
			reply = "I don't know"
		default:
			reply = "Atlantis"
		}
		if strings.Contains(req.Messages[0].Content, "Confidence:") {
			reply = "Answer: " + reply + "\nConfidence: 0.7"
		}
	}
	fmt.Fprintf(w, `{"choices":[{"index":0,"message":{"role":"assistant","content":%q},"finish_reason":"stop"}]}`, reply)
}

func quiz(n int) []Question {
	var qs []Question
	for i := range n {
		qs = append(qs, Question{ID: fmt.Sprint(i), Text: fmt.Sprintf("capital of %d", i), Golds: []string{fmt.Sprintf("City %d", i)}})
	}
	return qs
}

func newRun(t *testing.T, base, cachePath string) (*llm.Client, *llm.Cache) {
	t.Helper()
	cache, err := llm.OpenCache(cachePath)
	if err != nil {
		t.Fatal(err)
	}
	c, err := llm.New(llm.Config{BaseURL: base + "/v1", Cache: cache, Concurrency: 4, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c, cache
}

// readRun returns the run file's samples by (id, target).
func readRun(t *testing.T, path string) map[string]*score.Sample {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]*score.Sample{}
	_, err = evallog.ReadRun(f, path, func(s *score.Sample) error {
		k := fmt.Sprintf("%s@%v", s.ID, *s.Target)
		if out[k] != nil {
			return fmt.Errorf("%s twice", k)
		}
		c := *s
		out[k] = &c
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var matcher = &grade.Matcher{Abstention: grade.DefaultDetector()}

func TestRunGradesAndResumes(t *testing.T) {
	srv := newQuizServer(t, 0)
	dir := t.TempDir()
	path := filepath.Join(dir, "run.jsonl")
	questions := append(quiz(12), Question{ID: "x", Text: "broken question", Golds: []string{"y"}})
	targets := []float64{0, 0.75}
	for round := range 2 {
		c, cache := newRun(t, srv.URL, filepath.Join(dir, "cache.db"))
		rf, err := OpenRunFile(path, false)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(context.Background(), Config{Client: c, Model: "m", Questions: questions, Targets: targets, Grader: matcher, Workers: 3}, rf)
		rf.Close()
		cache.Close()
		if err != nil {
			t.Fatal(err)
		}
		want := Result{Pairs: 26, Written: 26, Invalid: 2}
		if round == 1 { // the rejected question is asked again
			want = Result{Pairs: 26, Resumed: 24, Written: 2, Invalid: 2}
		}
		if res != want {
			t.Errorf("round %d: %+v, want %+v", round, res, want)
		}
	}
	got := readRun(t, path)
	for i := range 12 {
		want := score.Wrong
		switch {
		case i%2 == 0:
			want = score.Correct
		case i%3 == 0:
			want = score.Abstained
		}
		for _, tg := range targets {
			s := got[fmt.Sprintf("%d@%v", i, tg)]
			if s == nil || s.Outcome != want || s.Model != "m" || s.Question != questions[i].Text {
				t.Errorf("question %d at %v: %+v, want %v", i, tg, s, want)
			}
		}
	}
	if s := got["x@0"]; s.Outcome != score.Invalid || !strings.Contains(s.Reason, "API error") || !strings.Contains(s.Reason, "400") {
		t.Errorf("broken question: %+v", s)
	}
	// Round 2 found every answered pair in the run file and sent only
	// the two requests the server had rejected.
	if bodies, dups := srv.duplicates(); bodies != 26 || dups != 2 {
		t.Errorf("server saw %d bodies with %d duplicates, want 26 and 2", bodies, dups)
	}
}

// TestRunInterrupted stops a run part way and resumes it: every pair ends
// up in the file exactly once, and the only requests the server sees twice
// are among those the first run had in flight, which the client counts.
func TestRunInterrupted(t *testing.T) {
	srv := newQuizServer(t, 5*time.Millisecond)
	dir := t.TempDir()
	path := filepath.Join(dir, "run.jsonl")
	questions, targets := quiz(60), []float64{0, 0.5, 0.9}

	c, cache := newRun(t, srv.URL, filepath.Join(dir, "cache.db"))
	rf, err := OpenRunFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	progress := new(Progress)
	go func() {
		for progress.Done.Load() < 40 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	res1, err := Run(ctx, Config{Client: c, Model: "m", Questions: questions, Targets: targets, Grader: matcher, Workers: 6, Progress: progress}, rf)
	rf.Close()
	cache.Close()
	if err != context.Canceled || res1.Written < 40 || res1.Written >= 180 {
		t.Fatalf("first run: %+v, %v", res1, err)
	}

	c, cache = newRun(t, srv.URL, filepath.Join(dir, "cache.db"))
	defer cache.Close()
	rf, err = OpenRunFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	res2, err := Run(context.Background(), Config{Client: c, Model: "m", Questions: questions, Targets: targets, Grader: matcher, Workers: 6}, rf)
	rf.Close()
	if err != nil {
		t.Fatal(err)
	}
	if res2.Resumed != res1.Written || res2.Written != 180-res1.Written {
		t.Errorf("second run %+v after first %+v", res2, res1)
	}
	if n := len(readRun(t, path)); n != 180 {
		t.Errorf("%d records, want 180", n)
	}
	_, dups := srv.duplicates()
	// Resent counts requests marked sent without a stored answer; some
	// were cancelled before reaching the server, so it bounds the
	// duplicates from above. A duplicate beyond it would be a completed
	// request sent twice.
	if st := c.Stats(); int64(dups) > st.Resent || st.Resent > 6 {
		t.Errorf("server saw %d duplicates; the client counted %d re-sent (at most 6 were in flight)", dups, st.Resent)
	}
}

func TestRunStructuredAndJudge(t *testing.T) {
	srv := newQuizServer(t, 0)
	dir := t.TempDir()
	c, cache := newRun(t, srv.URL, filepath.Join(dir, "cache.db"))
	defer cache.Close()
	rf, err := OpenRunFile(filepath.Join(dir, "run.jsonl"), false)
	if err != nil {
		t.Fatal(err)
	}
	qs := []Question{{ID: "0", Text: "capital of 0", Golds: []string{"City 0"}}, {ID: "1", Text: "capital of 1", Golds: []string{"City 1"}}}
	if _, err := Run(context.Background(), Config{Client: c, Model: "m", Questions: qs, Targets: []float64{0.5}, Structured: true, Grader: matcher}, rf); err != nil {
		t.Fatal(err)
	}
	rf.Close()
	got := readRun(t, filepath.Join(dir, "run.jsonl"))
	if s := got["0@0.5"]; s.Outcome != score.Correct || s.Response != "City 0" || s.Confidence == nil || *s.Confidence != 0.7 {
		t.Errorf("structured: %+v", s)
	}

	// The judge's grade is taken only in its strict grammar.
	j := &LetterJudge{Client: c, Model: "judge"}
	for response, want := range map[string]score.Outcome{
		"verdict A": score.Correct, "verdict b": score.Wrong, "verdict C.": score.Abstained,
		"verdict A because": score.Invalid, "verdict CORRECT": score.Invalid, "verdict I think A": score.Invalid,
	} {
		s := &score.Sample{ID: "q", Question: "q?", Golds: []string{"a"}, Response: response}
		o, why, err := j.GradeSample(context.Background(), s)
		if err != nil || o != want {
			t.Errorf("judge on %q: %v (%s), %v; want %v", response, o, why, err, want)
		}
	}
}

// TestRunFailuresAreNotRecorded: requests that get no answer (401, an
// unknown model, a server that is down) leave no record, stop the run
// after MaxFailures in a row with the first cause, and are asked by the
// next run; the cache keeps none of them.
func TestRunFailuresAreNotRecorded(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close()
	for _, tc := range []struct {
		name, base, want string
	}{
		{"401", errorEndpoint(t, http.StatusUnauthorized, "invalid key").URL, "401 Unauthorized"},
		{"unknown model", errorEndpoint(t, http.StatusNotFound, "The model `m` does not exist.").URL, "does not exist"},
		{"down", downURL, "connection refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "run.jsonl")
			questions := quiz(10)
			c, cache := newRun(t, tc.base, filepath.Join(dir, "cache.db"))
			rf, err := OpenRunFile(path, false)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Run(context.Background(), Config{Client: c, Model: "m", Questions: questions, Targets: []float64{0},
				Grader: matcher, Workers: 1, MaxFailures: 2}, rf)
			rf.Close()
			var fe *FailureError
			if !errors.As(err, &fe) || !fe.Stopped || fe.Failed != 2 || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want the run stopped after 2 failures naming %q", err, tc.want)
			}
			if res.Written != 0 || res.Failed != 2 {
				t.Errorf("%+v: want nothing written and 2 failed", res)
			}
			cache.Close()
			if b, _ := os.ReadFile(path); len(b) > 0 {
				t.Errorf("run file holds %q", b)
			}
			// The endpoint is fixed: the next run asks every question.
			srv := newQuizServer(t, 0)
			c, cache = newRun(t, srv.URL, filepath.Join(dir, "cache.db"))
			defer cache.Close()
			rf, err = OpenRunFile(path, false)
			if err != nil {
				t.Fatal(err)
			}
			defer rf.Close()
			res, err = Run(context.Background(), Config{Client: c, Model: "m", Questions: questions, Targets: []float64{0}, Grader: matcher}, rf)
			if err != nil || res != (Result{Pairs: 10, Written: 10}) {
				t.Errorf("after the fix: %+v, %v", res, err)
			}
		})
	}
}

// errorEndpoint answers every request with status and an OpenAI-shaped
// error.
func errorEndpoint(t *testing.T, status int, message string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"error":{"message":%q,"type":"invalid_request_error"}}`, message)
	}))
	t.Cleanup(srv.Close)
	return srv
}
