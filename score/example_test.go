package score_test

import (
	"fmt"

	"github.com/hallu-dev/hallu/score"
)

func ExamplePenalty() {
	for _, t := range []float64{0, 0.5, 0.75, 0.9} {
		fmt.Printf("t=%.2f penalty=%g\n", t, score.Penalty(t))
	}
	// Output:
	// t=0.00 penalty=0
	// t=0.50 penalty=1
	// t=0.75 penalty=3
	// t=0.90 penalty=9.000000000000002
}

// The published SimpleQA comparison (OpenAI's blog post of 5 September 2025): binary grading ranks
// the guesser first; a confidence target of 0.5 reverses the order.
func ExampleEvaluate() {
	var d score.Dataset
	add := func(model string, o score.Outcome, n, from int) {
		for i := range n {
			d.Add(&score.Sample{ID: fmt.Sprint(from + i), Model: model, Outcome: o})
		}
	}
	add("gpt-5-thinking-mini", score.Abstained, 52, 0)
	add("gpt-5-thinking-mini", score.Correct, 22, 52)
	add("gpt-5-thinking-mini", score.Wrong, 26, 74)
	add("o4-mini", score.Abstained, 1, 0)
	add("o4-mini", score.Correct, 24, 1)
	add("o4-mini", score.Wrong, 75, 25)
	rep, err := score.Evaluate(&d, score.Config{Targets: []float64{0, 0.5}, Bootstrap: -1})
	if err != nil {
		panic(err)
	}
	for _, r := range rep.Results {
		fmt.Printf("%-20s t=%.1f score=%+.2f rank=%d\n", r.Model, r.T, r.Score, r.Rank)
	}
	// Output:
	// gpt-5-thinking-mini  t=0.0 score=+0.22 rank=2
	// gpt-5-thinking-mini  t=0.5 score=-0.04 rank=1
	// o4-mini              t=0.0 score=+0.24 rank=1
	// o4-mini              t=0.5 score=-0.51 rank=2
}

func ExampleCalibrate() {
	c := score.Calibrate([]score.Prediction{{0.9, true}, {0.9, false}, {0.2, false}, {0.6, true}}, 2)
	fmt.Printf("ECE=%.2f MCE=%.2f Brier=%.3f\n", c.ECE, c.MCE, c.Brier)
	// Output: ECE=0.15 MCE=0.20 Brier=0.255
}
