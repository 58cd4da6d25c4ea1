package iiv_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/hallu-dev/hallu/iiv"
)

// The paper's Corollary 2: a trigram model cannot tell "She lost it and was
// completely out of" from "He lost it and was completely out of", so it
// gives "her mind" and "his mind" the same probability after both.
func ExampleAnalyze() {
	instance := `{"context":"She lost it and was completely out of","response":"her mind","label":"valid","p":1,"phat":0.5}
{"context":"She lost it and was completely out of","response":"his mind","label":"error","phat":0.5}
{"context":"He lost it and was completely out of","response":"his mind","label":"valid","p":1,"phat":0.5}
{"context":"He lost it and was completely out of","response":"her mind","label":"error","phat":0.5}
`
	res, err := iiv.Analyze[iiv.Rat](context.Background(), strings.NewReader(instance), 0)
	if err != nil {
		panic(err)
	}
	fmt.Println("err:", res.Err)
	fmt.Println("best err_iiv over thresholds:", res.Opt)
	fmt.Println("Theorem 3 bound 2(1-1/C)·opt:", res.MCBound)
	// Output:
	// err: 1/2
	// best err_iiv over thresholds: 1/2
	// Theorem 3 bound 2(1-1/C)·opt: 1/2
}

// An Accumulator takes rows one at a time, for instances built in code.
func ExampleAccumulator() {
	var acc iiv.Accumulator[iiv.Float]
	rows := []iiv.Row[iiv.Float]{
		{Context: "2+2=", Response: "4", Label: iiv.Valid, P: 1, HasP: true, Phat: 0.9},
		{Context: "2+2=", Response: "5", Label: iiv.Error, Phat: 0.05},
		{Context: "2+2=", Response: "22", Label: iiv.Error, Phat: 0.05},
	}
	for _, r := range rows {
		if err := acc.Add(r); err != nil {
			panic(err)
		}
	}
	res, err := acc.Result()
	if err != nil {
		panic(err)
	}
	fmt.Printf("err %.2f, err_iiv %.2f at threshold %.2f, δ %.2f, bound %.2f\n",
		float64(res.Err), float64(res.Paper.ErrIIV), float64(res.Paper.Z), float64(res.Paper.Delta), float64(res.Bound))
	// Output: err 0.10, err_iiv 0.00 at threshold 0.50, δ 0.10, bound -0.60
}
