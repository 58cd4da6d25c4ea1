package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/harness"
)

// The reproductions of issue 14 ("Crashes and silent wrong answers",
// "Secrets, exit codes, messages"), one row each: the command line, the
// exit code and fragments its output must and must not hold. Each row runs
// hallu's main in-process (run), as the binary would.

// errorServer is a loopback endpoint that answers every request with
// status and an OpenAI-shaped error body carrying message.
func errorServer(t *testing.T, status int, message string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"error":{"message":%q,"type":"invalid_request_error","code":null}}`, message)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// downURL is the URL of a loopback server that has stopped: connections
// to it are refused.
func downURL(t *testing.T) string {
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL
	srv.Close()
	return u
}

type exitRow struct {
	name   string
	args   []string
	code   int
	stderr []string // fragments stderr must hold
	stdout []string // fragments stdout must hold
	lacks  []string // fragments neither may hold
}

func (r exitRow) check(t *testing.T) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), r.args, &out, &errb)
	if code != r.code {
		t.Errorf("hallu %s: exit %d, want %d\nstderr: %s", strings.Join(r.args, " "), code, r.code, errb.String())
	}
	for _, f := range r.stderr {
		if !strings.Contains(errb.String(), f) {
			t.Errorf("stderr lacks %q:\n%s", f, errb.String())
		}
	}
	for _, f := range r.stdout {
		if !strings.Contains(out.String(), f) {
			t.Errorf("stdout lacks %q:\n%s", f, out.String())
		}
	}
	for _, f := range r.lacks {
		if strings.Contains(out.String()+errb.String(), f) {
			t.Errorf("output holds %q:\nstdout: %s\nstderr: %s", f, out.String(), errb.String())
		}
	}
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestExitCodesAndMessages(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", secretKey)
	dir := t.TempDir()
	quiz := writeQuiz(t, dir, 4)
	generic := write(t, dir, "generic.jsonl", `{"qid":"1","answer":"Paris","target":"Paris","label":"yes","metadata":{"provider":"acme"}}
{"qid":"2","answer":"Rome","target":"Roma","label":"maybe","metadata":{"provider":"acme"}}
{"qid":"3","answer":"x","target":"y","label":"maybe","metadata":{"provider":"other"}}
`)
	foreign := write(t, dir, "foreign.jsonl", `{"prompt_text":"2+2?","completion_text":"4","is_right":1}
{"prompt_text":"3+3?","completion_text":"7","is_right":0}
`)
	noGold := write(t, dir, "nogold.jsonl", `{"id":"1","question":"Capital of France?","response":"Paris"}
`)
	twoModels := `{"id":"1","model":"a","outcome":"correct"}
{"id":"2","model":"a","outcome":"wrong"}
{"id":"1","model":"b","outcome":"wrong"}
{"id":"2","model":"b","outcome":"wrong"}
`
	pair := write(t, dir, "pair.jsonl", twoModels)
	dup := write(t, dir, "dup.jsonl", twoModels+twoModels)
	allInvalid := write(t, dir, "invalid.jsonl", `{"id":"1","model":"a","outcome":"correct"}
{"id":"1","model":"b","outcome":"invalid","reason":"API error: 401"}
{"id":"2","model":"b","outcome":"invalid","reason":"API error: 401"}
`)
	corpus := write(t, dir, "corpus.tsv", "a\tb\n")
	results := "../../evallog/testdata/lmeval_results_2025-09-09T13-31-53.431753.json"
	const urlSecret, urlPassword = "sk-url-SECRET-42", "hunter2-PASSWORD"
	down, unauthorized := downURL(t), errorServer(t, http.StatusUnauthorized, "Incorrect API key provided: "+secretKey)
	noModel := errorServer(t, http.StatusNotFound, "The model `gpt-9` does not exist.")
	served := newServeFixture(t, 0)
	runArgs := func(base, out string, extra ...string) []string {
		return append([]string{"run", "--base-url", base + "/v1", "--model", "gpt-9", "--dataset", quiz,
			"--targets", "0,0.5", "--max-retries", "1", "--max-tokens", "4", "-o", filepath.Join(dir, out)}, extra...)
	}
	spaced := write(t, dir, "spaced.jsonl", `{"id":"1","question":"What is the capital of France?","answer":["Paris "]}
{"id":"2","question":"What is the capital of Italy?","answer":[" Rome"]}
`)

	for _, r := range []exitRow{
		// Exit codes: a bad command line is 2 whatever the command.
		{name: "score without arguments", args: []string{"score"}, code: exitUsage, stderr: []string{"requires at least 1 arg"}},
		{name: "unknown command", args: []string{"bogus"}, code: exitUsage, stderr: []string{`unknown command "bogus" for "hallu"`}},
		{name: "misspelt command", args: []string{"scre"}, code: exitUsage, stderr: []string{`did you mean "score"?`}},
		{name: "unknown subcommand", args: []string{"ngram", "bogus"}, code: exitUsage, stderr: []string{`unknown command "bogus" for "hallu ngram"`}},
		{name: "argument to version", args: []string{"version", "x"}, code: exitUsage},
		{name: "serve with an address that is not HOST:PORT", args: []string{"serve", "--addr", "nope"}, code: exitUsage, stderr: []string{"--addr \"nope\"", "want HOST:PORT"}},
		{name: "unknown flag", args: []string{"score", "--bogus", pair}, code: exitUsage, stderr: []string{"unknown flag: --bogus"}},
		{name: "audit --kind bogus", args: []string{"audit", "--kind", "bogus", corpus}, code: exitUsage, stderr: []string{`unknown input kind "bogus"`}},
		{name: "score --format parquet", args: []string{"score", "--format", "parquet", pair}, code: exitUsage, stderr: []string{`--format "parquet": want one of`}},

		// hallu run against an endpoint that cannot answer: exit 3 with
		// the first cause, and nothing recorded.
		{name: "run, endpoint down", args: runArgs(down, "down.jsonl"), code: exitUnusable,
			stderr: []string{"run stopped after 3 requests in a row failed", "connection refused", "0 of 8 questions × targets are recorded"}},
		{name: "run, 401", args: runArgs(unauthorized, "401.jsonl"), code: exitUnusable,
			stderr: []string{"401 Unauthorized", "Incorrect API key provided: [redacted]"}, lacks: []string{secretKey}},
		{name: "run, unknown model", args: runArgs(noModel, "404.jsonl"), code: exitUnusable,
			stderr: []string{"404 Not Found", "The model `gpt-9` does not exist."}},

		// Secrets in --base-url reach no output.
		{name: "run, credentials in the URL of a down endpoint",
			args: runArgs(strings.Replace(down, "http://", "http://user:"+urlPassword+"@", 1)+"/x?api-key="+urlSecret, "cred.jsonl"),
			code: exitUnusable, stderr: []string{"REDACTED"}, lacks: []string{urlSecret, urlPassword}},
		{name: "run --json, credentials in the URL",
			args: []string{"run", "--base-url", strings.Replace(served.URL, "http://", "http://user:"+urlPassword+"@", 1) + "/v1?api-key=" + urlSecret + "&api-version=2024-06-01",
				"--model", "tiny", "--dataset", quiz, "--targets", "0", "--max-tokens", "4", "-o", filepath.Join(dir, "served.jsonl"), "--json"},
			code: exitOK, stdout: []string{`"base_url": "http://REDACTED@`, "api-version=2024-06-01"}, lacks: []string{urlSecret, urlPassword, secretKey}},
		{name: "a key given to --api-key-env", args: append(runArgs(down, "key.jsonl"), "--api-key-env", "sk-proj-AbCdEf0123456789"),
			code: exitUsage, stderr: []string{"looks like a key itself"}, lacks: []string{"AbCdEf0123456789"}},

		// hallu score: a result that cannot mean what it says is exit 3,
		// naming the field and what the file has.
		{name: "score, misspelt --map column", args: []string{"score", "--map", "id=qid,response=answr,gold=target", generic},
			code: exitUnusable, stderr: []string{`field response (column "answr"): no value in any of the 3 records`, `"answer"`}},
		{name: "score, misspelt nested column", args: []string{"score", "--map", "id=qid,response=answer,gold=target,model=metadata.provdr", generic},
			code: exitUnusable, stderr: []string{`column "metadata.provdr"`, `"metadata.provider"`}},
		{name: "score, nested column", args: []string{"score", "--skip-bad", "--map", "id=qid,response=answer,gold=target,model=metadata.provider,grade=", generic},
			code: exitOK, stdout: []string{"acme", "other"}},
		{name: "score --map gold=target", args: []string{"score", "--map", "id=qid,response=answer,gold=target,grade=", generic},
			code: exitOK, stdout: []string{"0.3333"}, lacks: []string{"is not a number"}},
		{name: "score, run format with none of its fields", args: []string{"score", foreign},
			code: exitUnusable, stderr: []string{"read as hallu's run format", "nothing to score", `"completion_text"`}},
		{name: "score, no gold answers", args: []string{"score", noGold},
			code: exitUnusable, stderr: []string{`a gold answer (column "golds")`, "--map gold=COLUMN"}},
		{name: "score, unknown grades", args: []string{"score", "--map", "id=qid,response=answer,gold=target,grade=label", generic},
			code: exitUnusable, stderr: []string{`field grade (column "label"): 2 of 3 records have a grade hallu does not read`, `values seen: "maybe" (2)`}},
		{name: "score, unknown grades counted with --skip-bad", args: []string{"score", "--skip-bad", "--map", "id=qid,response=answer,gold=target,grade=label", generic},
			code: exitOK, stdout: []string{`2 records have a grade hallu does not read, counted invalid: "maybe" (2)`}},
		{name: "score, a column of hallucination labels read as correctness", args: []string{"score", "--skip-bad", "--map", "id=qid,response=answer,gold=target,grade=label", generic},
			code: exitOK, stdout: []string{`column "label" read as correctness`, "--grade-values yes=wrong,no=correct"}},
		{name: "score, a column of hallucination labels", args: []string{"score", "--map", "id=qid,response=answer,gold=target,grade=label", "--grade-values", "yes=wrong,no=correct,maybe=abstained", "--targets", "0", "--json", generic},
			code: exitOK, stdout: []string{`"correct": 0,`, `"wrong": 1,`, `"abstained": 2,`}},
		{name: "score, bad --grade-values", args: []string{"score", "--grade-values", "yes=hallucinated", generic},
			code: exitUsage, stderr: []string{`outcome "hallucinated" is not correct, wrong, abstained or invalid`}},
		{name: "score, SimpleQA grader letters", args: []string{"score", write(t, dir, "letters.jsonl", "{\"id\":\"1\",\"response\":\"x\",\"outcome\":\"A\"}\n{\"id\":\"2\",\"response\":\"y\",\"outcome\":\"C\"}\n")},
			code: exitUnusable, stderr: []string{`values seen: "A" (1)`, "--grade-values a=correct,b=wrong,c=abstained"}},
		{name: "score, repeated records", args: []string{"score", dup}, code: exitUnusable,
			stderr: []string{`model "a": 2 records repeat the id of an earlier record`, "--allow-repeats"}},
		{name: "score, repeats allowed", args: []string{"score", "--allow-repeats", dup}, code: exitOK},
		{name: "score, a model all invalid", args: []string{"score", allInvalid}, code: exitUnusable,
			stderr: []string{`every one of the 2 samples of model "b" is invalid`, `"API error: 401" (2)`}},
		{name: "score --bootstrap 0", args: []string{"score", "--bootstrap", "0", "--targets", "0", pair}, code: exitOK,
			stdout: []string{"--bootstrap 0: no replicates drawn"}, lacks: []string{"[+0.0000, +0.0000]"}},
		{name: "score, binary interval within [0, 1]", args: []string{"score", "--targets", "0", pair}, code: exitOK,
			stdout: []string{"[0.0000, 0.6576]"}, lacks: []string{"[-"}}, // Wilson's interval of 0 right out of 2

		// delta against hallu serve keeps gold answers with spaces around.
		{name: "delta, gold answers with spaces", args: []string{"delta", "--base-url", served.URL + "/v1", "--model", "tiny", "--dataset", spaced,
			"--threshold", "1/100", "--samples", "2", "--max-tokens", "4", "--no-cache"},
			code: exitOK, stdout: []string{"over 2 questions"}, lacks: []string{"questions left out", "echo"}},

		{name: "delta, endpoint down", args: []string{"delta", "--base-url", down + "/v1", "--model", "tiny", "--dataset", spaced,
			"--threshold", "1/100", "--max-retries", "1", "--no-cache"},
			code: exitUnusable, stderr: []string{"every question failed", "connection refused"}},

		// Messages say what is wrong and where.
		{name: "bound --from lmeval on a results file", args: []string{"bound", "--from", "lmeval", results}, code: exitError,
			stderr: []string{"an lm-eval results file", "samples_<task>_*.jsonl"}, lacks: []string{"jsontext"}},
		{name: "page into a missing directory", args: []string{"demo", "--out", filepath.Join(dir, "no-such-dir", "demo.html")}, code: exitError,
			stderr: []string{"write " + filepath.Join(dir, "no-such-dir", "demo.html") + ": no such file or directory"}, lacks: []string{".tmp"}},
	} {
		t.Run(r.name, r.check)
	}
	for _, f := range []string{"down.jsonl", "401.jsonl", "404.jsonl", "cred.jsonl"} {
		if b, err := os.ReadFile(filepath.Join(dir, f)); err != nil || len(b) > 0 {
			t.Errorf("%s: %d bytes (%v); a failed request must leave no record", f, len(b), err)
		}
	}
	assertNoKey(t, dir)
}

// TestRunResumesAfterFailures: a run against an endpoint that answers 401
// records nothing; once the endpoint answers, the same command asks every
// question. A record of a failed request that an earlier version wrote is
// asked again too.
func TestRunResumesAfterFailures(t *testing.T) {
	dir := t.TempDir()
	quiz := writeQuiz(t, dir, 3)
	runFile := filepath.Join(dir, "run.jsonl")
	if err := os.WriteFile(runFile, []byte(`{"id":"q0","question":"What is the capital of France? (0)","golds":["Paris"],"model":"tiny","target":0,"outcome":"invalid","reason":"API error: llm: giving up after 7 attempts: connection refused"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := func(base string) []string {
		return []string{"run", "--base-url", base + "/v1", "--model", "tiny", "--dataset", quiz, "--targets", "0,0.5",
			"--max-tokens", "4", "-o", runFile, "--no-cache", "--json"}
	}
	exitRow{args: args(errorServer(t, http.StatusUnauthorized, "no key")), code: exitUnusable,
		stderr: []string{"removed 0 bytes of an incomplete last record and 1 invalid or failed-request records", "401 Unauthorized"}}.check(t)
	if b, _ := os.ReadFile(runFile); len(b) > 0 {
		t.Fatalf("the failed run left records:\n%s", b)
	}
	var sum runSummary
	runJSON(t, args(newServeFixture(t, 0).URL), &sum)
	if sum.Run != (harness.Result{Pairs: 6, Written: 6}) {
		t.Errorf("after the fix: %+v, want every pair asked and none invalid", sum.Run)
	}
	if got := len(countRecords(t, runFile)); got != 6 {
		t.Errorf("%d records, want 6", got)
	}
}

// TestPanicExitCode: a panic is a bug, exit 70, not Go's exit 2 (which
// would read as a usage error).
func TestPanicExitCode(t *testing.T) {
	var errb bytes.Buffer
	code := func() (code int) {
		defer recoverPanic(&errb, &code)
		panic("boom")
	}()
	if code != exitInternal || !strings.Contains(errb.String(), "internal error") || !strings.Contains(errb.String(), "boom") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}
