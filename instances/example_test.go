package instances_test

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/instances"
	"github.com/hallu-dev/hallu/ngram"
)

// One lm-eval multiple-choice sample becomes one context of an instance:
// the gold choice is valid, the others errors, and p̂ is the softmax of the
// choices' log-likelihoods.
func ExampleReadLMEval() {
	log := `{"doc_id": 0, "doc": {"question": "2+2?"}, "target": 1,` +
		` "arguments": [["2+2?", " 3"], ["2+2?", " 4"]], "resps": [[[-2.0, false]], [[-0.5, true]]]}`
	rows, _, err := instances.ReadLMEval[iiv.Float](strings.NewReader(log), "samples_arith_2025-01-01T00-00-00.jsonl", instances.LMEvalOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		fmt.Printf("%s | %q %s p̂=%.4f\n", r.Context, r.Response, r.Label, float64(r.Phat))
	}
	// Output:
	// arith doc 0: 2+2? | "3" error p̂=0.1824
	// arith doc 0: 2+2? | "4" valid p̂=0.8176
}

// A candidate set scored by an n-gram model: p̂ is the model's probability
// of each candidate after the context, normalised over the set.
func ExampleScore() {
	tr := ngram.NewTrainer()
	tr.AddText(strings.NewReader("The capital of France is Paris. The capital of Italy is Rome."))
	m, _ := tr.Train(context.Background(), 3)
	sets := []instances.CandidateSet{{Context: "The capital of France is", Valid: []string{" Paris."}, Errors: []string{" Rome."}}}
	rows, err := instances.Score[iiv.Float](context.Background(), sets, instances.NgramScorer{Model: m}, instances.ScoreOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	paris, rome := m.Score(sets[0].Context, " Paris."), m.Score(sets[0].Context, " Rome.")
	want := math.Exp(paris.LogProb) / (math.Exp(paris.LogProb) + math.Exp(rome.LogProb))
	fmt.Printf("p̂(Paris) = %.4f (= %.4f), p̂(Rome) = %.4f\n", float64(rows[0].Phat), want, float64(rows[1].Phat))
	// Output:
	// p̂(Paris) = 0.8150 (= 0.8150), p̂(Rome) = 0.1850
}

// Build reads an lm-eval samples log by the log-likelihoods it recorded:
// one context per question, and the notes that every report must carry.
func ExampleBuild() {
	src := instances.Source{Format: instances.FormatLMEval, Path: "../evallog/testdata/lmeval_mc_negotiationtom.jsonl"}
	b, err := instances.Build[iiv.Float](context.Background(), src, instances.BuildOptions{Norm: evallog.NormLength})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d rows from %d samples, sha256 %.12s…\n", len(b.Rows), b.LMEval.Samples, b.Inputs[0].SHA256)
	fmt.Println(b.Notes[1])
	// Output:
	// 12 rows from 3 samples, sha256 1e1a55d74eb3…
	// BuildOptions.Norm length: each log-likelihood is divided by its choice's length in characters before the softmax, as lm-eval's acc_norm ranks choices.
}
