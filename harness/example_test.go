package harness_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/hallu-dev/hallu/harness"
	"github.com/hallu-dev/hallu/score"
)

// The instruction a question is asked under at each confidence target.
func ExampleInstruction() {
	for _, t := range []float64{0, 0.75} {
		fmt.Println(harness.Instruction(t))
	}
	// Output:
	// Scoring: a correct answer earns 1 point; a wrong answer and "I don't know" both earn 0 points, so guessing costs nothing. Give your best answer even if you are unsure.
	// Scoring: a correct answer earns 1 point, a wrong answer costs 3 points, and "I don't know" earns 0 points. Answering therefore pays only if you are more than 75% sure that your answer is right; if you are not, reply "I don't know".
}

// Reading a question set in JSONL.
func ExampleReadDataset() {
	qs, err := harness.ReadDataset(strings.NewReader(`{"question":"Who wrote Moby-Dick?","answer":["Herman Melville","Melville"]}`), "quiz.jsonl")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %q → %q\n", qs[0].ID, qs[0].Text, qs[0].Golds)
	// Output:
	// 1: "Who wrote Moby-Dick?" → ["Herman Melville" "Melville"]
}

// δ from two questions' observations at τ = 0.1 (log τ ≈ −2.30): the
// model puts 3 of its 4 samples above τ, the data 1 of 2 reference answers.
func ExampleEstimateDelta() {
	obs := []harness.DeltaObservation{
		{ID: "a", Reference: -1, Samples: []float64{-0.5, -1}},
		{ID: "b", Reference: -5, Samples: []float64{-0.1, -7}},
	}
	est, err := harness.EstimateDelta(obs, 0.1, score.DefaultZ, 0, 1)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("p̂(A) = %.2f, p(A) = %.2f, δ = %.2f\n", est.ModelMass.Estimate, est.DataMass.Estimate, est.Delta)
	// Output:
	// p̂(A) = 0.75, p(A) = 0.50, δ = 0.25
}
