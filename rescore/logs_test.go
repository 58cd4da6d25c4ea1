package rescore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/score"
)

// row returns the result of model m at target t.
func row(t *testing.T, res *Result, m string, target float64) score.TargetResult {
	t.Helper()
	for _, r := range res.Results {
		if r.Model == m && r.T == target {
			return r
		}
	}
	t.Fatalf("no row for %s at t = %v", m, target)
	return score.TargetResult{}
}

// TestLogsSimpleQAPublished scores OpenAI's published SimpleQA counts and
// checks every score against (correct − wrong·t/(1−t))/100 computed by
// hand, and the rank flip between binary grading and t = 0.5.
func TestLogsSimpleQAPublished(t *testing.T) {
	res, err := Logs(context.Background(), []string{"testdata/simpleqa_published.jsonl"},
		Options{Config: score.Config{Targets: []float64{0, 0.5, 0.75, 0.9}, Bootstrap: 200, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[float64]float64{
		"gpt-5-thinking-mini": {0: 0.22, 0.5: -0.04, 0.75: -0.56, 0.9: -2.12},
		"o4-mini":             {0: 0.24, 0.5: -0.51, 0.75: -2.01, 0.9: -6.51},
	}
	for m, byT := range want {
		for target, w := range byT {
			r := row(t, res, m, target)
			if math.Abs(r.Score-w) > 1e-12 || r.N != 100 {
				t.Errorf("%s at t = %v: score %v over %d, want %v over 100", m, target, r.Score, r.N, w)
			}
		}
	}
	if row(t, res, "o4-mini", 0).Rank != 1 || row(t, res, "gpt-5-thinking-mini", 0.5).Rank != 1 {
		t.Error("binary grading should rank o4-mini first, t = 0.5 gpt-5-thinking-mini")
	}
	if len(res.Inputs) != 1 || res.Inputs[0].Samples != 200 || res.Inputs[0].Format != evallog.Run {
		t.Errorf("inputs %+v", res.Inputs)
	}
	b, err := os.ReadFile("testdata/simpleqa_published.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if len(res.Provenance) != 1 || res.Provenance[0].SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("provenance %+v, want the log's sha256 %x", res.Provenance, sum)
	}
}

// TestLogsGrading: ungraded samples are graded by matching, a wrong "I
// don't know" is counted abstained unless NoAbstainDetect, Regrade
// ignores the log's grades, and a phrase file replaces the built-in
// patterns and is an input.
func TestLogsGrading(t *testing.T) {
	const log = "testdata/graded_and_not.jsonl"
	for _, tc := range []struct {
		name                      string
		opt                       Options
		matched, reclassified     int
		correct, wrong, abstained int
		inputs                    int
	}{
		// 1 Paris ✓, 2 Lyon ✗ by matching; 3 IDK wrong → abstained; 4 ✓, 5 ✗, 6 ✓ kept.
		{"default", Options{}, 2, 1, 3, 2, 1, 1},
		{"no abstention detection", Options{NoAbstainDetect: true}, 2, 0, 3, 3, 0, 1},
		// Matching all: Paris, Lyon, IDK (abstained), Paris, Marseille, Nice.
		{"regrade", Options{Regrade: true}, 6, 0, 2, 3, 1, 1},
		// The phrase file knows no "I don't know": 3 stays wrong.
		{"phrase file", Options{AbstainPhrases: "testdata/phrases.txt"}, 2, 0, 3, 3, 0, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opt.Config = score.Config{Targets: []float64{0}}
			res, err := Logs(context.Background(), []string{log}, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			in := res.Inputs[0]
			if in.Matched != tc.matched || in.Reclassified != tc.reclassified {
				t.Errorf("matched %d, reclassified %d; want %d, %d", in.Matched, in.Reclassified, tc.matched, tc.reclassified)
			}
			r := row(t, res, "graded_and_not", 0)
			if r.Correct != tc.correct || r.Wrong != tc.wrong || r.Abstained != tc.abstained {
				t.Errorf("correct %d, wrong %d, abstained %d; want %d, %d, %d", r.Correct, r.Wrong, r.Abstained, tc.correct, tc.wrong, tc.abstained)
			}
			if len(res.Provenance) != tc.inputs {
				t.Errorf("%d inputs, want %d", len(res.Provenance), tc.inputs)
			}
		})
	}
}

// TestLogsUnusable: the scores come back with a typed error when a model's
// every sample is invalid or ids repeat, and without scores when there is
// no sample; a refused Config is a *ConfigError.
func TestLogsUnusable(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.jsonl")
	if err := os.WriteFile(empty, []byte("\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		log     string
		opt     Options
		scores  bool
		problem string
	}{
		{"all invalid", "testdata/all_invalid.jsonl", Options{}, true, `every one of the 2 samples of model "b" is invalid, so its scores are 0 by construction; reasons: "API error: 401" (2)`},
		{"repeats", "testdata/repeats.jsonl", Options{}, true, `model "a": 1 records repeat the id of an earlier record`},
		{"no samples", empty, Options{Format: evallog.Run}, false, "no samples in " + empty},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Logs(context.Background(), []string{tc.log}, tc.opt)
			var u *UnusableError
			if !errors.As(err, &u) || len(u.Problems) != 1 || !strings.Contains(u.Problems[0], tc.problem) {
				t.Fatalf("err %v, want one *UnusableError saying %q", err, tc.problem)
			}
			if (res != nil) != tc.scores {
				t.Errorf("result %v, want scores: %v", res, tc.scores)
			}
			if u.Repeats != (tc.name == "repeats") {
				t.Errorf("Repeats = %v", u.Repeats)
			}
		})
	}
	if _, err := Logs(context.Background(), []string{"testdata/repeats.jsonl"}, Options{AllowRepeats: true}); err != nil {
		t.Errorf("AllowRepeats: %v", err)
	}
	_, err := Logs(context.Background(), []string{"testdata/repeats.jsonl"}, Options{AllowRepeats: true, Config: score.Config{Bins: -1}})
	if !errors.As(err, new(*ConfigError)) {
		t.Errorf("bins -1: %v, want a *ConfigError", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Logs(ctx, []string{"testdata/graded_and_not.jsonl"}, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestLogsLMEvalResults: an lm-eval samples file takes its model and
// settings from the results file lm-eval wrote beside it, which is an
// input too.
func TestLogsLMEvalResults(t *testing.T) {
	const samples = "../evallog/testdata/lmeval_samples_gsm8k_2025-09-09T13-31-53.431753.jsonl"
	res, err := Logs(context.Background(), []string{samples}, Options{Config: score.Config{Targets: []float64{0}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Results[0].Model != "gemma3:12b-u1" {
		t.Errorf("model %q, want the results file's", res.Results[0].Model)
	}
	if p := res.Inputs[0].Provenance["lm_eval_results"]; !strings.HasSuffix(p, "lmeval_results_2025-09-09T13-31-53.431753.json") {
		t.Errorf("provenance %v", res.Inputs[0].Provenance)
	}
	if len(res.Provenance) != 2 {
		t.Errorf("inputs %+v, want the results file and the samples", res.Provenance)
	}
}

// TestLogsSimpleQAJoin: predictions joined with the test set; three
// carry SimpleQA's grades, three are graded by matching.
func TestLogsSimpleQAJoin(t *testing.T) {
	res, err := Logs(context.Background(), []string{"../evallog/testdata/simpleqa_preds.jsonl"},
		Options{SimpleQATest: "../evallog/testdata/simpleqa_test_head.csv", Config: score.Config{Targets: []float64{0}}})
	if err != nil {
		t.Fatal(err)
	}
	if in := res.Inputs[0]; in.Format != evallog.SimpleQA || in.Matched != 3 {
		t.Errorf("format %s, %d graded by matching; want simpleqa, 3", in.Format, in.Matched)
	}
	if r := row(t, res, "matcher", 0); r.Correct != 2 || r.Wrong != 1 {
		t.Errorf("matcher: %+v", r)
	}
	if len(res.Provenance) != 2 {
		t.Errorf("inputs %+v, want the test set and the predictions", res.Provenance)
	}
}

// TestSeed2: Logs evaluates with the second seed derived from Seed: its
// comparisons equal score.Evaluate's under Seed2(Seed) and differ from
// another second seed's.
func TestSeed2(t *testing.T) {
	const log = "testdata/simpleqa_published.jsonl"
	cfg := score.Config{Targets: []float64{0.5}, Bootstrap: 300, Seed: 7}
	res, err := Logs(context.Background(), []string{log}, Options{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	evaluate := func(seed2 uint64) []score.Comparison {
		var d score.Dataset
		f, err := os.Open(log)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := evallog.ReadRun(f, log, func(s *score.Sample) error { return d.Add(s) }); err != nil {
			t.Fatal(err)
		}
		c := cfg
		c.Seed2 = seed2
		rep, err := score.Evaluate(&d, c)
		if err != nil {
			t.Fatal(err)
		}
		return rep.Comparisons
	}
	if len(res.Comparisons) == 0 || !slices.Equal(res.Comparisons, evaluate(7^0x9e3779b97f4a7c15)) {
		t.Errorf("comparisons %+v differ from score.Evaluate's under seed2 = seed ^ 0x9e3779b97f4a7c15", res.Comparisons)
	}
	if slices.Equal(res.Comparisons, evaluate(7)) {
		t.Error("comparisons do not depend on the second seed; the test cannot tell seeds apart")
	}
}

// TestReaderKeepAndPending: a sample keep declines is neither graded nor
// used; Pending yields the samples the grader will see.
func TestReaderKeepAndPending(t *testing.T) {
	const log = "testdata/graded_and_not.jsonl"
	r, err := NewReader(Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	rep, in, err := r.Read(context.Background(), log, func(s *score.Sample) (bool, error) { return s.ID != "2", nil },
		func(s *score.Sample) error { ids = append(ids, s.ID+"="+s.Outcome.String()); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"1=correct", "3=abstained", "4=correct", "5=wrong", "6=correct"}; !slices.Equal(ids, want) || rep.Matched != 1 || len(in) != 1 {
		t.Errorf("samples %v (matched %d, %d inputs), want %v, 1 matched, 1 input", ids, rep.Matched, len(in), want)
	}
	stop := errors.New("stop")
	_, _, err = r.Read(context.Background(), log, nil, func(*score.Sample) error { return stop })
	if !errors.Is(err, stop) {
		t.Errorf("use's error: %v", err)
	}
	for _, regrade := range []bool{false, true} {
		r, err := NewReader(Options{Regrade: regrade})
		if err != nil {
			t.Fatal(err)
		}
		ids = nil
		err = r.Pending(context.Background(), []string{"-", log}, func(s score.Sample) error { ids = append(ids, s.ID); return nil })
		want := []string{"1", "2"}
		if regrade {
			want = []string{"1", "2", "3", "4", "5", "6"}
		}
		if err != nil || !slices.Equal(ids, want) {
			t.Errorf("regrade %v: pending %v (%v), want %v", regrade, ids, err, want)
		}
	}
}

func TestNewReaderErrors(t *testing.T) {
	for _, opt := range []Options{{AbstainPhrases: "testdata/nope.txt"}, {SimpleQATest: "testdata/nope.csv"}} {
		if _, err := NewReader(opt); err == nil || !strings.Contains(err.Error(), "nope") {
			t.Errorf("%+v: %v, want an error naming the file", opt, err)
		}
	}
	if _, err := Logs(context.Background(), []string{"testdata/nope.jsonl"}, Options{}); err == nil || !strings.Contains(err.Error(), "nope.jsonl") {
		t.Errorf("missing log: %v", err)
	}
}

func TestModelFromPath(t *testing.T) {
	for path, want := range map[string]string{"-": "stdin", "a/b/gpt.jsonl.zst": "gpt", "run.csv.gz": "run", "x.eval": "x", "plain": "plain"} {
		if got := ModelFromPath(path); got != want {
			t.Errorf("ModelFromPath(%q) = %q, want %q", path, got, want)
		}
	}
}

// memOpen serves logs from memory, by name.
func memOpen(logs map[string]string) func(string) (io.ReadCloser, error) {
	return func(path string) (io.ReadCloser, error) {
		s, ok := logs[path]
		if !ok {
			return nil, os.ErrNotExist
		}
		return io.NopCloser(strings.NewReader(s)), nil
	}
}

// exactScore is (correct − wrong·t/(1−t))/n in exact arithmetic.
func exactScore(correct, wrong, n int, t float64) float64 {
	tr := new(big.Rat).SetFloat64(t)
	pen := new(big.Rat).Quo(tr, new(big.Rat).Sub(big.NewRat(1, 1), tr))
	s := new(big.Rat).Sub(big.NewRat(int64(correct), 1), new(big.Rat).Mul(pen, big.NewRat(int64(wrong), 1)))
	f, _ := s.Quo(s, big.NewRat(int64(n), 1)).Float64()
	return f
}

// TestBigRat keeps exactScore honest on a value worked by hand:
// (22 − 26·3)/100 at t = 0.75.
func TestBigRat(t *testing.T) {
	if got := exactScore(22, 26, 100, 0.75); got != -0.56 {
		t.Errorf("exactScore = %v, want -0.56", got)
	}
}
