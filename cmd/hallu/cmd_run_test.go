package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hallu-dev/hallu/harness"
	"github.com/hallu-dev/hallu/llm"
	"github.com/hallu-dev/hallu/ngram"
	"github.com/hallu-dev/hallu/serve"
)

// secretKey is the API key the tests hand to hallu; no file may hold it.
const secretKey = "sk-hallu-test-SECRET-0123456789"

// quizText trains the tests' model: short facts, so that the n-gram model
// answers some questions right.
const quizText = `The capital of France is Paris. The capital of Italy is Rome.
The capital of Spain is Madrid. The author of Moby-Dick is Herman Melville.
The whale is white. The captain of the Pequod is Ahab.`

// countingServer is hallu serve's handler behind a counter of arrivals
// per request body, with an optional delay per request.
type countingServer struct {
	*httptest.Server
	delay    time.Duration
	mu       sync.Mutex
	arrivals map[[32]byte]int
}

func newServeFixture(t *testing.T, delay time.Duration) *countingServer {
	t.Helper()
	tr := ngram.NewTrainer()
	if err := tr.AddText(strings.NewReader(quizText)); err != nil {
		t.Fatal(err)
	}
	m, err := tr.Train(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	h := (&serve.Server{Model: m, ModelID: "tiny", Logger: slog.New(slog.DiscardHandler)}).Handler()
	cs := &countingServer{delay: delay, arrivals: map[[32]byte]int{}}
	cs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		cs.mu.Lock()
		if !strings.HasSuffix(r.UserAgent(), llm.ProbeUserAgent) { // each run probes the endpoint anew
			cs.arrivals[sha256.Sum256(body)]++
		}
		cs.mu.Unlock()
		time.Sleep(cs.delay)
		r.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(cs.Close)
	return cs
}

func (cs *countingServer) duplicates() (requests, dups int) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for _, n := range cs.arrivals {
		requests += n
		dups += n - 1
	}
	return requests, dups
}

// writeQuiz writes n questions as JSONL.
func writeQuiz(t *testing.T, dir string, n int) string {
	t.Helper()
	subjects := []string{"France", "Italy", "Spain", "Germany", "Moby-Dick", "the Pequod"}
	answers := []string{"Paris", "Rome", "Madrid", "Berlin", "Herman Melville", "Ahab"}
	var b strings.Builder
	for i := range n {
		j := i % len(subjects)
		fmt.Fprintf(&b, `{"id":"q%d","question":"What is the capital of %s? (%d)","answer":[%q]}`+"\n", i, subjects[j], i, answers[j])
	}
	path := filepath.Join(dir, "quiz.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runJSON runs hallu with args and decodes its JSON envelope's result.
func runJSON(t *testing.T, args []string, result any) {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), args, &out, &errb); code != exitOK {
		t.Fatalf("hallu %s: exit %d\n%s", strings.Join(args, " "), code, errb.String())
	}
	var env struct{ Result json.RawMessage }
	if err := json.Unmarshal(out.Bytes(), &env); err != nil {
		t.Fatalf("hallu %s: %v\n%s", args[0], err, out.String())
	}
	if err := json.Unmarshal(env.Result, result); err != nil {
		t.Fatal(err)
	}
}

// countRecords returns the run file's records by "id@target", failing on
// a pair recorded twice.
func countRecords(t *testing.T, path string) map[string]bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r struct {
			ID     string
			Target float64
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s: %v in %q", path, err, sc.Text())
		}
		k := fmt.Sprintf("%s@%v", r.ID, r.Target)
		if seen[k] {
			t.Errorf("%s recorded twice", k)
		}
		seen[k] = true
	}
	return seen
}

// assertNoKey fails if any file under dir, or in the user cache directory
// (where default response caches go), holds the API key.
func assertNoKey(t *testing.T, dir string) {
	t.Helper()
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{dir, cache} {
		err := filepath.WalkDir(d, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if bytes.Contains(b, []byte(secretKey)) {
				t.Errorf("%s holds the API key", path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestRunEndToEnd: hallu run against hallu serve (a trained n-gram model
// on loopback), hallu score on the run file, and hallu delta on the same
// server; the API key reaches no file.
func TestRunEndToEnd(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", secretKey)
	srv := newServeFixture(t, 0)
	dir := t.TempDir()
	quiz := writeQuiz(t, dir, 12)
	runFile := filepath.Join(dir, "run.jsonl")
	args := []string{"run", "--base-url", srv.URL + "/v1", "--model", "tiny", "--dataset", quiz,
		"--targets", "0,0.75", "--max-tokens", "8", "-o", runFile, "--json"}
	var sum runSummary
	runJSON(t, args, &sum)
	if sum.Run.Pairs != 24 || sum.Run.Written != 24 || sum.Run.Invalid != 0 || sum.Requests.Sent != 24 {
		t.Errorf("run: %+v, requests %+v", sum.Run, sum.Requests)
	}
	if n := len(countRecords(t, runFile)); n != 24 {
		t.Errorf("%d records", n)
	}
	// Run again: everything is resumed, nothing sent.
	runJSON(t, args, &sum)
	if sum.Run.Resumed != 24 || sum.Run.Written != 0 || sum.Requests.Sent != 0 {
		t.Errorf("rerun: %+v, requests %+v", sum.Run, sum.Requests)
	}

	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"score", runFile}, &out, &errb); code != exitOK {
		t.Fatalf("hallu score: exit %d: %s", code, errb.String())
	}
	if s := out.String(); !strings.Contains(s, "Scores under confidence targets") || !strings.Contains(s, "0.75 (run)") {
		t.Errorf("hallu score printed:\n%s", s)
	}

	var d deltaResult
	runJSON(t, []string{"delta", "--base-url", srv.URL + "/v1", "--model", "tiny", "--dataset", quiz,
		"--threshold", "1/20", "--samples", "5", "--max-tokens", "6", "--bootstrap", "200",
		"--cache", filepath.Join(dir, "delta.db"), "--json"}, &d)
	if d.Questions != 12 || len(d.Failed) != 0 || d.ModelMass.Of+d.Empty != 60 || d.DataMass.Of != 12 {
		t.Errorf("delta: %+v", d)
	}
	assertNoKey(t, dir)
}

// TestHelperHallu is not a test: it is hallu's main, for tests that run
// hallu as a separate process (and kill it).
func TestHelperHallu(t *testing.T) {
	if os.Getenv("HALLU_TEST_HELPER") != "1" {
		t.Skip("runs hallu as a subprocess of other tests")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(run(context.Background(), args, os.Stdout, os.Stderr))
}

// halluProcess returns a command running hallu with args in a child process.
func halluProcess(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestHelperHallu$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), "HALLU_TEST_HELPER=1", "OPENAI_API_KEY="+secretKey)
	return cmd
}

// TestRunSurvivesSIGKILL kills hallu run with SIGKILL part way, runs it
// again, and checks that every question was answered exactly once and that
// the server saw no request twice except those in flight at the kill,
// which the restarted client counts as re-sent.
func TestRunSurvivesSIGKILL(t *testing.T) {
	srv := newServeFixture(t, 20*time.Millisecond)
	dir := t.TempDir()
	quiz := writeQuiz(t, dir, 40)
	runFile := filepath.Join(dir, "run.jsonl")
	args := []string{"run", "--base-url", srv.URL + "/v1", "--model", "tiny", "--dataset", quiz,
		"--targets", "0,0.5,0.9", "--max-tokens", "8", "--concurrency", "4", "-o", runFile, "--json"}

	first := halluProcess(args...)
	first.Stdout, first.Stderr = io.Discard, io.Discard
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		b, _ := os.ReadFile(runFile)
		if bytes.Count(b, []byte("\n")) >= 30 {
			break
		}
		if time.Now().After(deadline) {
			first.Process.Kill()
			t.Fatal("the run wrote fewer than 30 records in a minute")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := first.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	first.Wait()
	before := len(countRecords(t, runFile))
	if before >= 120 {
		t.Skip("the run finished before it could be killed")
	}

	second := halluProcess(args...)
	var out, errb bytes.Buffer
	second.Stdout, second.Stderr = &out, &errb
	if err := second.Run(); err != nil {
		t.Fatalf("restarted run: %v\n%s", err, errb.String())
	}
	var env struct{ Result runSummary }
	if err := json.Unmarshal(out.Bytes(), &env); err != nil {
		t.Fatal(err)
	}
	sum := env.Result
	if got := len(countRecords(t, runFile)); got != 120 || sum.Run.Resumed != before || sum.Run.Written != 120-before {
		t.Errorf("%d records, run %+v after %d before the kill", got, sum.Run, before)
	}
	requests, dups := srv.duplicates()
	t.Logf("killed after %d records; server saw %d requests, %d duplicates; restarted run: %+v", before, requests, dups, sum.Requests)
	if int64(dups) > sum.Requests.Resent || sum.Requests.Resent > 4 {
		t.Errorf("server saw %d duplicate requests; the restarted client re-sent %d (at most 4 were in flight)", dups, sum.Requests.Resent)
	}
	assertNoKey(t, dir)
}

func TestRunAndDeltaBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(`{"question":"a","answer":"b"}`+"\n"+`{"question":"c"}`+"\n"), 0o644)
	good := writeQuiz(t, dir, 2)
	base := []string{"--base-url", "http://127.0.0.1:1/v1", "--model", "m"}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"run without model", []string{"run", "--base-url", "http://127.0.0.1:1/v1", "--dataset", good}, exitUsage, "--model is required"},
		{"run target 1", append([]string{"run", "--dataset", good, "--targets", "0,1"}, base...), exitUsage, "not in [0,1)"},
		{"run target not a number", append([]string{"run", "--dataset", good, "--targets", "x"}, base...), exitUsage, `"x" is not a number`},
		{"run bad dataset", append([]string{"run", "--dataset", bad}, base...), exitError, "bad.jsonl:2: no answer"},
		{"run missing dataset", append([]string{"run", "--dataset", filepath.Join(dir, "none.jsonl")}, base...), exitError, "none.jsonl"},
		{"run unset key variable", append([]string{"run", "--dataset", good, "--api-key-env", "HALLU_TEST_NO_SUCH_VAR", "-o", filepath.Join(dir, "r.jsonl")}, base...), exitUsage, "HALLU_TEST_NO_SUCH_VAR is not set"},
		{"run bad base URL", []string{"run", "--base-url", "localhost:8080", "--model", "m", "--dataset", good, "-o", filepath.Join(dir, "r.jsonl")}, exitUsage, "not an http(s) URL"},
		{"delta threshold 2", append([]string{"delta", "--dataset", good, "--threshold", "2"}, base...), exitUsage, "τ must be in (0,1)"},
		{"delta threshold 1/0", append([]string{"delta", "--dataset", good, "--threshold", "1/0"}, base...), exitUsage, "want a probability or 1/N"},
		{"delta without threshold", append([]string{"delta", "--dataset", good}, base...), exitUsage, "--threshold is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tc.args, &out, &errb)
			if code != tc.code || !strings.Contains(errb.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errb.String(), tc.code, tc.want)
			}
		})
	}
}

func TestProgressLine(t *testing.T) {
	var p harness.Progress
	p.Total.Store(100)
	p.Done.Store(25)
	p.Invalid.Store(2)
	got := progressLine(&p, llm.Stats{Retries: 3, Failed: 1, CacheHits: 4}, 10*time.Second)
	if want := "25/100  2.5/s  ETA 30s  retries 3  failed requests 1  invalid 2  cached 4"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
