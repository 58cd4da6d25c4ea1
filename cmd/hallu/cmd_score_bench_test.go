package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// writeSyntheticRun writes n samples in hallu's run format: two models on
// the same n/2 questions, all four outcomes, confidences in [0,1] (the same
// shape bench/score_gen.py writes).
func writeSyntheticRun(tb testing.TB, n int) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), "run.jsonl")
	f, err := os.Create(p)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	rng := rand.New(rand.NewPCG(1, 2))
	for q := 0; q < n/2; q++ {
		for _, m := range []struct {
			name string
			abst float64
		}{{"guesser", 0.01}, {"careful", 0.45}} {
			conf := rng.Float64()
			outcome, resp := "wrong", "Lyon"
			switch u := rng.Float64(); {
			case u < 0.004:
				outcome, resp = "invalid", ""
			case u < 0.004+m.abst:
				outcome, resp = "abstained", "I don't know"
			case rng.Float64() < conf:
				outcome, resp = "correct", "Paris"
			}
			fmt.Fprintf(w, `{"id":"q%d","model":%q,"response":%q,"golds":["Paris"],"outcome":%q,"confidence":%.4f}`+"\n", q, m.name, resp, outcome, conf)
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
	return p
}

// BenchmarkScore1M scores a 10⁶-sample run file end to end, as `hallu
// score` does (issue 5's target: under 2 s on the project's 2-core machine).
func BenchmarkScore1M(b *testing.B) {
	p := writeSyntheticRun(b, 1_000_000)
	o := defaultScoreOptions()
	o.Bootstrap = 1000
	for b.Loop() {
		if err := runScore(context.Background(), o, []string{p}, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
