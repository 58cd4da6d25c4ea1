package evallog

import (
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/score"
	"github.com/hallu-dev/hallu/score/grade"
)

// sharedData is ../shared/data seen from this package's directory.
const sharedData = "../../shared/data"

func needShared(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(sharedData, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real logs not present (%v): tests on ../shared/data skipped", err)
	}
	return p
}

// readAll reads a file through internal/input (so .gz works) with opt.
func readAll(t *testing.T, path string, opt Options) ([]score.Sample, Stats, error) {
	t.Helper()
	f, err := input.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return readAll2(t, f, opt)
}

// readAll2 reads r with opt, copying each sample.
func readAll2(t *testing.T, r io.Reader, opt Options) ([]score.Sample, Stats, error) {
	t.Helper()
	path := "input"
	if f, ok := r.(*input.File); ok {
		path = f.Name
	}
	var out []score.Sample
	st, err := Read(r, path, opt, func(s *score.Sample) error {
		c := *s
		c.Golds = append([]string(nil), s.Golds...)
		if s.Confidence != nil {
			v := *s.Confidence
			c.Confidence = &v
		}
		out = append(out, c)
		return nil
	})
	return out, st, err
}

func tally(ss []score.Sample) score.Counts {
	var c score.Counts
	for _, s := range ss {
		if s.Outcome != score.Ungraded {
			c.Add(s.Outcome)
		}
	}
	return c
}

func TestRealLogsAllRead(t *testing.T) {
	dir := needShared(t, "evallogs")
	for _, sub := range []string{"lm-eval", "inspect", "openai-evals"} {
		files, _ := filepath.Glob(filepath.Join(dir, sub, "*"))
		for _, f := range files {
			base := filepath.Base(f)
			if strings.Contains(base, "results") || strings.HasSuffix(base, "__o.json") ||
				strings.Contains(base, "write_out") || strings.Contains(base, "truthfulqa_gen_neo125") {
				continue // results/provenance files and the v0.3 write_out dump are not sample logs
			}
			t.Run(sub+"/"+base, func(t *testing.T) {
				ss, st, err := readAll(t, f, Options{Format: Auto})
				if err != nil {
					t.Fatalf("%v", err)
				}
				t.Logf("%s: %d samples %v skipped %d notes %q", st.Format, len(ss), tally(ss), st.Skipped, st.Notes)
			})
		}
	}
}

// TestRealLogCounts checks the readers against numbers the logs themselves
// (or their SOURCE.md) state: an independent oracle for each format.
func TestRealLogCounts(t *testing.T) {
	dir := needShared(t, "evallogs")
	for _, tc := range []struct {
		file           string
		correct, wrong int
	}{
		{"inspect/v0.3.133_popularity-100_gpt-4o-mini__2025-09-23T08-09-58-04-00_popularity_DN2wbX2ZvACsBpjwptzBRo.eval", 63, 37},
		{"inspect/v0.3.133_security-guide-16_gpt-4o-mini__2025-09-23T08-09-58-04-00_security-guide_LuxZJVwvymC3S3SyoJczxB.eval", 11, 5},
		{"inspect/v0.3.58_popularity_gpt-4o-mini__2025-02-11T15-18-04-05-00_popularity_mj7khqpMM4GBCfVQozKgzB.eval", 8, 2},
		{"inspect/v0.3.42_popularity_epochs2__log_streaming.eval", 3, 1}, // accuracy 0.75 over 2 samples × 2 epochs
		{"inspect/v0.3.95_popularity_cancelled__2025-05-12T20-28-13-04-00_popularity.json", 2, 1},
		{"openai-evals/match_country-area_gpt-3.5-turbo__countries-turbo.jsonl", 30, 70},                                  // final_report accuracy 0.3
		{"openai-evals/match_country-area_gpt-4__countries-4.jsonl", 34, 66},                                              // 0.34
		{"openai-evals/fuzzymatch_logic-statements_gpt-4__logic-4.jsonl", 14, 151},                                        // 0.0848… = 14/165
		{"lm-eval/gemma-3-4b-it_mmlu-stem__samples_mmlu_abstract_algebra_2025-09-25T09-53-24.656847.jsonl", 31, 69},       // results acc 0.31
		{"lm-eval/qwen2.5-3b-instruct_mmlu-stem__samples_mmlu_abstract_algebra_2025-09-25T09-38-02.724479.jsonl", 46, 54}, // results acc 0.46
	} {
		ss, _, err := readAll(t, filepath.Join(dir, tc.file), Options{Format: Auto})
		if err != nil {
			t.Fatal(err)
		}
		if c := tally(ss); c.Correct != tc.correct || c.Wrong != tc.wrong || c.N() != len(ss) {
			t.Errorf("%s: %+v, want %d correct, %d wrong", tc.file, c, tc.correct, tc.wrong)
		}
	}
	// lm-eval: our multiple-choice grading against the results file's acc.
	for _, pair := range [][2]string{
		{"gemma-3-4b-it_mmlu-stem__samples_mmlu_abstract_algebra_2025-09-25T09-53-24.656847.jsonl", "gemma-3-4b-it_mmlu-stem__results_2025-09-25T09-53-24.656847.json"},
		{"qwen2.5-3b-instruct_mmlu-stem__samples_mmlu_abstract_algebra_2025-09-25T09-38-02.724479.jsonl", "qwen2.5-3b-instruct_mmlu-stem__results_2025-09-25T09-38-02.724479.json"},
	} {
		for _, norm := range []bool{false, true} {
			ss, _, err := readAll(t, filepath.Join(dir, "lm-eval", pair[0]), Options{Format: LMEval, LengthNormalized: norm})
			if err != nil {
				t.Fatal(err)
			}
			f, _ := os.Open(filepath.Join(dir, "lm-eval", pair[1]))
			res, err := ReadLMEvalResults(f, pair[1])
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			key := "acc,none"
			if norm {
				key = "acc_norm,none"
			}
			want, ok := res.Metrics["mmlu_abstract_algebra"][key]
			c := tally(ss)
			if ok && math.Abs(float64(c.Correct)/float64(c.N())-want) > 1e-9 {
				t.Errorf("%s (norm %v): accuracy %d/%d, results file says %s = %v", pair[0], norm, c.Correct, c.N(), key, want)
			}
		}
	}
}

func TestRealLitCabTruthfulQASimpleQA(t *testing.T) {
	dir := needShared(t, "litcab_qa_outputs_dev")
	for _, tc := range []struct {
		file    string
		correct int
	}{{"nq_gpt2-xl.jsonl.gz", 47}, {"nq_llama-7b-hf.jsonl.gz", 238}, {"triviaqa_gpt2-xl.jsonl.gz", 68}, {"triviaqa_llama-7b-hf.jsonl.gz", 309}} {
		ss, st, err := readAll(t, filepath.Join(dir, tc.file), Options{Format: Auto})
		if err != nil || st.Format != LitCab {
			t.Fatal(err, st.Format)
		}
		if c := tally(ss); c.Correct != tc.correct || c.N() != 1000 { // SOURCE.md's accuracies
			t.Errorf("%s: %+v, want %d/1000 correct", tc.file, c, tc.correct)
		}
	}
	tq := filepath.Join(needShared(t, "truthfulqa_judged_answers"), "finetune_truth.jsonl.gz")
	ss, _, err := readAll(t, tq, Options{Format: Auto})
	if err != nil {
		t.Fatal(err)
	}
	// SOURCE.md: 22,434 rows, 9,484 yes / 12,950 no; the abstentions come
	// out of both.
	if c := tally(ss); c.N() != 22434 || c.Correct+c.Wrong+c.Abstained != 22434 || c.Abstained < 1337 || c.Correct > 9484 || c.Wrong > 12950 {
		t.Errorf("TruthfulQA: %+v", c)
	}
	for _, tc := range []struct {
		file, firstID, firstAnswer string
		n                          int
	}{
		{"simpleqa/simple_qa_test_set.csv", "0", "Michio Sugeno", 4326},
		{"simpleqa_verified/simpleqa_verified.csv", "5", "120,000 euros", 1000},
	} {
		f, err := os.Open(filepath.Join(sharedData, tc.file))
		if err != nil {
			t.Skipf("%v", err)
		}
		ts, err := ReadSimpleQATest(f, tc.file)
		f.Close()
		if err != nil || len(ts.Items) != tc.n || ts.Items[0].ID != tc.firstID || ts.Items[0].Answer != tc.firstAnswer || ts.Items[0].Topic == "" {
			t.Errorf("%s: %v, %d items, first %+v", tc.file, err, len(ts.Items), ts.Items[0])
		}
	}
}

// TestRealLinguisticConfidence reads the hedged-answer benchmark as a
// generic CSV with a percentage confidence column and grades it by
// matching: its answers were written around the true answer at set
// confidence levels, so nearly all are correct once hedges are read as
// hedges (about 5% are refusals or paraphrases the matcher misses).
func TestRealLinguisticConfidence(t *testing.T) {
	p := filepath.Join(needShared(t, "linguistic_confidence"), "linguistic_confidence_benchmark.csv")
	m, err := ParseColumnMap("id=orig_idx_in_40000_dataset,gold=ground_truth_answer,response=uncertainty_expression,model=source_llm,confidence=annotation_mean/100")
	if err != nil {
		t.Fatal(err)
	}
	ss, _, err := readAll(t, p, Options{Format: Auto, Map: m})
	if err != nil {
		t.Fatal(err)
	}
	mt := &grade.Matcher{Abstention: grade.DefaultDetector()}
	var c score.Counts
	for _, s := range ss {
		if s.Confidence == nil || *s.Confidence > 1 {
			t.Fatalf("confidence not scaled: %+v", s)
		}
		o, _ := mt.Grade(s.Response, s.Golds)
		c.Add(o)
	}
	if c.N() != 1622 || c.Invalid != 0 || float64(c.Correct) < 0.9*float64(c.N()) {
		t.Errorf("linguistic confidence: %+v", c)
	}
	t.Logf("%+v", c)
}
