package iiv

import (
	"context"
	"errors"
	"io"
)

// Analyze reads a JSONL instance from r (see Reader) and computes its Result
// at the paper's threshold and at each of thresholds. tolerance ≤ 0 means
// DefaultTolerance. It checks ctx between rows.
func Analyze[T Scalar[T]](ctx context.Context, r io.Reader, tolerance float64, thresholds ...T) (Result[T], error) {
	rd := NewReader[T](r)
	acc := Accumulator[T]{Tolerance: tolerance}
	for n := 0; ; n++ {
		if n%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return Result[T]{}, err
			}
		}
		row, err := rd.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Result[T]{}, err
		}
		if err := add(&acc, row.context, row.response, row.numbers); err != nil {
			return Result[T]{}, err
		}
	}
	return acc.Result(thresholds...)
}
