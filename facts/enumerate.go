package facts

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hallu-dev/hallu/iiv"
)

// MaxEnumerateRows bounds the rows the enumerating path will list, Σ_c
// (|R_c| + 1); beyond it the closed form is the only practical path.
const MaxEnumerateRows = 50_000_000

// enumerate computes learner l's quantities by listing every row (c, r) of
// the world with its label, p(r|c) and p̂(r|c), and streaming them through an
// iiv.Accumulator: context c, responses "0".."|R_c|−1" with a_c valid and
// the rest errors, and "IDK" (valid, p = 1 − α_c). Rows of zero p̂ are listed
// too. It checks ctx every 4096 prompts.
func enumerate[T iiv.Scalar[T]](ctx context.Context, w *World, s *Sample, sc scalars[T], l Learner, alphaHat T) (quantities[T], error) {
	var zero T
	one := zero.Frac(1, 1)
	var acc iiv.Accumulator[T]
	var abst iiv.Sum[T]
	for c := range w.Prompts() {
		if c%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return quantities[T]{}, err
			}
		}
		size, alpha, mu := w.Answers(c), sc.alpha(c), sc.mu(c)
		pr := predict(l, promptData[T]{alpha: alpha, alphaHat: alphaHat, size: size, answered: s.Answered(c), abstained: s.Abstained(c)})
		ac := s.answer(c, size)
		name := strconv.Itoa(c)
		for r := range size {
			row := iiv.Row[T]{Context: name, Response: strconv.Itoa(r), Label: iiv.Error, Mu: mu, HasMu: true, Phat: pr.other}
			if r == ac {
				row.Label, row.P, row.HasP, row.Phat = iiv.Valid, alpha, true, pr.answer
			}
			if err := acc.Add(row); err != nil {
				return quantities[T]{}, fmt.Errorf("prompt %d: %w", c, err)
			}
		}
		idk := iiv.Row[T]{Context: name, Response: "IDK", Label: iiv.IDK, Mu: mu, HasMu: true, P: one.Sub(alpha), HasP: true, Phat: pr.idk}
		if err := acc.Add(idk); err != nil {
			return quantities[T]{}, fmt.Errorf("prompt %d: %w", c, err)
		}
		abst.Add(mu.Mul(pr.idk))
	}
	res, err := acc.Result()
	if err != nil {
		return quantities[T]{}, err
	}
	return fromResult(res, abst.Value()), nil
}
