package demo_test

import (
	"context"
	"fmt"

	"github.com/hallu-dev/hallu/demo"
)

func ExampleRun() {
	res, err := demo.Run(context.Background(), 0)
	if err != nil {
		panic(err)
	}
	s := res.Audit.Stats
	fmt.Printf("singleton rate %.4f, Theorem 2 floor %.4f\n", s.SingletonRate, *s.Floor99)
	fmt.Printf("the leaderboard flips at t = %.4f\n", res.Flip)
	fmt.Printf("a trigram errs on %.2f of Corollary 2's prompts\n", res.Cor2[0].Err)
	// Output:
	// singleton rate 0.9060, Theorem 2 floor 0.3399
	// the leaderboard flips at t = 0.1818
	// a trigram errs on 0.50 of Corollary 2's prompts
}
