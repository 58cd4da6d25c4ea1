package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/harness"
	"github.com/hallu-dev/hallu/score"
)

const nq301 = "../../score/grade/testdata/nq301_judged.jsonl"

// TestScoreAgreeNQ301 checks the agreement report on the NQ301 fixture
// against counts taken from the file independently of hallu's readers.
func TestScoreAgreeNQ301(t *testing.T) {
	b, err := os.ReadFile(nq301)
	if err != nil {
		t.Fatal(err)
	}
	yes := strings.Count(string(b), `"human": "Yes"`)
	o := defaultScoreOptions()
	o.Format, o.Map, o.JSON = "jsonl", "id=id,question=question,gold=golds,response=response", true
	o.Agree = agreeOptions{Reference: "human", RefMap: "Yes=correct,No=wrong", Show: 5}
	var out strings.Builder
	if err := runScore(context.Background(), o, []string{nq301}, &out); err != nil {
		t.Fatal(err)
	}
	var env struct {
		Result agreeResult
	}
	if err := json.Unmarshal([]byte(out.String()), &env); err != nil {
		t.Fatal(err)
	}
	g := env.Result.Groups[0]
	refCorrect := 0
	for _, n := range g.Matrix["correct"] {
		refCorrect += n
	}
	if g.N != 1490 || refCorrect != yes || len(g.Disagreements) != 5 || g.Agreement == nil || *g.Agreement != float64(g.Agreed)/1490 {
		t.Errorf("N %d, reference correct %d (file: %d), %d disagreements shown, agreement %v", g.N, refCorrect, yes, len(g.Disagreements), g.Agreement)
	}
	if env.Result.Grader != "matching" {
		t.Errorf("grader %q", env.Result.Grader)
	}
	html := filepath.Join(t.TempDir(), "a.html")
	o.JSON, o.HTML = false, html
	out.Reset()
	if err := runScore(context.Background(), o, []string{nq301}, &out); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(html)
	if err != nil || !strings.Contains(string(page), "Cohen") || !strings.Contains(out.String(), "abstention recall") {
		t.Errorf("HTML page (%v) or text lacks the agreement figures:\n%s", err, out.String())
	}
	o.Agree.RefMap = "Yes=correct"
	if err := runScore(context.Background(), o, []string{nq301}, &out); err == nil || !strings.Contains(err.Error(), `"No" (674)`) {
		t.Errorf("unmapped values: %v", err)
	}
}

// TestScoreAgreeMatch checks that --match lenient grades more of NQ301's
// answers correct than strict, never fewer, and records the rule set.
func TestScoreAgreeMatch(t *testing.T) {
	correct := map[string]int{}
	for _, match := range []string{"strict", "lenient"} {
		o := defaultScoreOptions()
		o.Format, o.Map, o.JSON, o.Match = "jsonl", "id=id,question=question,gold=golds,response=response", true, match
		o.Agree = agreeOptions{Reference: "human", RefMap: "Yes=correct,No=wrong"}
		var out strings.Builder
		if err := runScore(context.Background(), o, []string{nq301}, &out); err != nil {
			t.Fatal(err)
		}
		var env struct {
			Parameters map[string]any
			Result     agreeResult
		}
		if err := json.Unmarshal([]byte(out.String()), &env); err != nil {
			t.Fatal(err)
		}
		if env.Parameters["match"] != match {
			t.Errorf("parameters: match = %v, want %s", env.Parameters["match"], match)
		}
		for _, row := range env.Result.Groups[0].Matrix {
			correct[match] += row["correct"]
		}
	}
	if correct["lenient"] <= correct["strict"] {
		t.Errorf("correct: lenient %d, strict %d", correct["lenient"], correct["strict"])
	}
}

func TestParseLetter(t *testing.T) {
	for in, want := range map[string]score.Outcome{"A": score.Correct, " b.\n": score.Wrong, "C": score.Abstained,
		"A or B": score.Invalid, "": score.Invalid, "The answer is A": score.Invalid, "D": score.Invalid} {
		if got, _ := harness.ParseLetter(in); got != want {
			t.Errorf("ParseLetter(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestScoreAgreeCSV checks that reference labels stay aligned with the
// samples across a CSV record spanning two lines.
func TestScoreAgreeCSV(t *testing.T) {
	p := filepath.Join(t.TempDir(), "log.csv")
	csv := "id,question,gold,response,label\n" +
		"q1,Capital?,Paris,It is Paris.,A\n" +
		"q2,\"Two\nlines?\",Paris,\"I don't know.\",C\n" +
		"q3,Capital?,Paris,Lyon.,B\n"
	if err := os.WriteFile(p, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	o := defaultScoreOptions()
	o.Format, o.Map, o.JSON = "csv", "id=id,question=question,gold=gold,response=response", true
	o.Agree = agreeOptions{Reference: "label", RefMap: "A=correct,B=wrong,C=abstained"}
	var out strings.Builder
	if err := runScore(context.Background(), o, []string{p}, &out); err != nil {
		t.Fatal(err)
	}
	var env struct{ Result agreeResult }
	if err := json.Unmarshal([]byte(out.String()), &env); err != nil {
		t.Fatal(err)
	}
	if g := env.Result.Groups[0]; g.N != 3 || g.Agreed != 3 {
		t.Errorf("%d of %d agreed, want 3 of 3: %+v", g.Agreed, g.N, g.Matrix)
	}
}
