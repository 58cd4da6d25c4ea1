package rescore_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/hallu-dev/hallu/rescore"
	"github.com/hallu-dev/hallu/score"
)

// Scoring a log as `hallu score --targets 0,0.75` would, without the CLI.
func ExampleLogs() {
	res, err := rescore.Logs(context.Background(), []string{"testdata/simpleqa_published.jsonl"},
		rescore.Options{Config: score.Config{Targets: []float64{0, 0.75}, Seed: 1}})
	var unusable *rescore.UnusableError
	if errors.As(err, &unusable) {
		log.Fatalf("the scores cannot mean what they say: %v", unusable.Problems)
	}
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range res.Results {
		fmt.Printf("%-20s t=%-4g score %+.2f rank %d\n", r.Model, r.T, r.Score, r.Rank)
	}
	fmt.Println(res.Inputs[0].Samples, "samples read")
	// Output:
	// gpt-5-thinking-mini  t=0    score +0.22 rank 2
	// gpt-5-thinking-mini  t=0.75 score -0.56 rank 1
	// o4-mini              t=0    score +0.24 rank 1
	// o4-mini              t=0.75 score -2.01 rank 2
	// 200 samples read
}
