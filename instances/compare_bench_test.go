package instances

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/hallu-dev/hallu/internal/input"
)

// mmluSize is the number of questions of the full MMLU test set (57
// subjects), the size of one model's letter-logit file.
const mmluSize = 14042

// syntheticMMLU writes a letter-logit CSV of mmluSize rows in the layout
// of the llm-calibration files (question, four options, gold letter,
// Logit_A..D, Predicted, Correct), with logits drawn from seed; the gold
// letters are the same for every seed.
func syntheticMMLU(seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 0))
	golds := rand.New(rand.NewPCG(0, 0))
	var b bytes.Buffer
	b.WriteString("0,1,2,3,4,5,Logit_A,Logit_B,Logit_C,Logit_D,Predicted,Correct\n")
	for i := range mmluSize {
		fmt.Fprintf(&b, "\"Synthetic question %d, with a comma, about subject %d?\",opt a,opt b,opt c,opt d,%c", i, i%57, 'A'+golds.IntN(4))
		for range 4 {
			fmt.Fprintf(&b, ",%.4f", 14+2*rng.Float64())
		}
		b.WriteString(",A,\n")
	}
	return b.Bytes()
}

// BenchmarkReadMMLULetterLogits reads one model's 14,042-question MMLU
// letter-logit CSV into questions (p̂ by softmax, gold, texts).
func BenchmarkReadMMLULetterLogits(b *testing.B) {
	data := syntheticMMLU(1)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		qs, _, err := ReadQuestions(bytes.NewReader(data), "mmlu.csv", letterLogits)
		if err != nil || len(qs) != mmluSize {
			b.Fatal(len(qs), err)
		}
	}
}

// BenchmarkCompareMMLU computes every figure of two 14,042-question models
// and their pair, without the bootstrap (2 resamples, the least allowed).
func BenchmarkCompareMMLU(b *testing.B) {
	var models []Model
	for i, name := range []string{"base", "instruct"} {
		qs, _, err := ReadQuestions(bytes.NewReader(syntheticMMLU(uint64(i+1))), name+".csv", letterLogits)
		if err != nil {
			b.Fatal(err)
		}
		models = append(models, Model{Name: name, Questions: qs})
	}
	for b.Loop() {
		if _, err := Compare(context.Background(), models, CompareOptions{Reps: 2}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadAllRealData reads every per-choice file of
// ../shared/data/evallogs/lm-eval-pairs and the two lm-eval MMLU logs:
// 19 files, 7,309 questions.
func BenchmarkReadAllRealData(b *testing.B) {
	type file struct {
		glob string
		src  QuestionSource
	}
	var paths []string
	var srcs []QuestionSource
	for _, f := range []file{
		{"lm-eval-pairs/other-formats/*.csv", letterLogits},
		{"lm-eval-pairs/vicuna-*_mmlu_*.jsonl*", QuestionSource{Format: FormatLMEval}},
		{"lm-eval/*_samples_mmlu_abstract_algebra_*.jsonl", QuestionSource{Format: FormatLMEval}},
		{"lm-eval-pairs/*_write_out_info.json.gz", QuestionSource{Format: FormatLMEvalV03}},
	} {
		m, _ := filepath.Glob(filepath.Join(evallogs, f.glob))
		for _, p := range m {
			paths, srcs = append(paths, p), append(srcs, f.src)
		}
	}
	if len(paths) == 0 {
		b.Skip("real logs not present: ../shared/data skipped")
	}
	for b.Loop() {
		n := 0
		for i, p := range paths {
			f, err := input.Open(p)
			if err != nil {
				b.Fatal(err)
			}
			qs, _, err := ReadQuestions(f, p, srcs[i])
			f.Close()
			if err != nil {
				b.Fatal(err)
			}
			n += len(qs)
		}
		b.ReportMetric(float64(n), "questions")
	}
}

// TestSyntheticMMLUIsRead keeps the benchmark's generator honest.
func TestSyntheticMMLUIsRead(t *testing.T) {
	qs, st, err := ReadQuestions(bytes.NewReader(syntheticMMLU(1)), "mmlu.csv", letterLogits)
	if err != nil || len(qs) != mmluSize || st.Skipped != 0 || qs[1].Text != "Synthetic question 1, with a comma, about subject 1?" {
		t.Fatalf("%d questions, %+v, %v", len(qs), st, err)
	}
}
