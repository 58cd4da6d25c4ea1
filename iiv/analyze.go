package iiv

import (
	"context"
	"errors"
	"io"
)

// Analyze reads a JSONL instance from r (see Reader) and computes its Result
// at the paper's threshold and at each of thresholds. tolerance ≤ 0 means
// DefaultTolerance. It checks ctx between batches of rows.
//
// One goroutine parses while the caller's accumulates, so that on two cores
// reading overlaps the arithmetic.
func Analyze[T Scalar[T]](ctx context.Context, r io.Reader, tolerance float64, thresholds ...T) (Result[T], error) {
	return AnalyzeReader(ctx, NewReader[T](r), tolerance, thresholds...)
}

// AnalyzeReader is Analyze reading from rd, for callers that set its
// MaxLine.
func AnalyzeReader[T Scalar[T]](ctx context.Context, rd *Reader[T], tolerance float64, thresholds ...T) (Result[T], error) {
	full := make(chan *batch[T], 2)
	free := make(chan *batch[T], 3)
	for range cap(free) {
		free <- new(batch[T])
	}
	stop := make(chan struct{})
	defer close(stop)
	go parse(rd, full, free, stop)

	acc := Accumulator[T]{Tolerance: tolerance}
	for b := range full {
		if err := ctx.Err(); err != nil {
			return Result[T]{}, err
		}
		for i := range b.rows {
			start := 0
			if i > 0 {
				start = b.ends[i-1]
			}
			text := b.text[start:b.ends[i]]
			if err := add(&acc, text[:b.split[i]], text[b.split[i]:], b.rows[i]); err != nil {
				return Result[T]{}, err
			}
		}
		if b.err != nil {
			return Result[T]{}, b.err
		}
		free <- b
	}
	return acc.Result(thresholds...)
}

// batchRows is how many rows a batch carries.
const batchRows = 4096

// batch is a run of parsed rows on its way from the parser to the
// accumulator: row i's context and response are text[ends[i-1]:ends[i]],
// split after split[i] bytes. err, if set, ended the input after these rows.
type batch[T Scalar[T]] struct {
	rows  []Row[T] // without their strings
	text  []byte
	ends  []int
	split []int
	err   error
}

// parse reads rows into batches taken from free and sends them on full,
// until the input ends, an error ends it, or stop is closed; then it closes
// full.
func parse[T Scalar[T]](rd *Reader[T], full chan<- *batch[T], free <-chan *batch[T], stop <-chan struct{}) {
	defer close(full)
	for {
		var b *batch[T]
		select {
		case b = <-free:
		case <-stop:
			return
		}
		b.rows, b.text, b.ends, b.split, b.err = b.rows[:0], b.text[:0], b.ends[:0], b.split[:0], nil
		for len(b.rows) < batchRows && b.err == nil {
			row, err := rd.next()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					b.err = err
				}
				break
			}
			b.split = append(b.split, len(row.context))
			b.text = append(append(b.text, row.context...), row.response...)
			b.ends = append(b.ends, len(b.text))
			b.rows = append(b.rows, row.Row)
		}
		done := b.err != nil || len(b.rows) < batchRows
		select {
		case full <- b:
		case <-stop:
			return
		}
		if done {
			return
		}
	}
}
