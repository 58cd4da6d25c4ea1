package iiv

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// largeInstance is an instance of contexts of one valid response and
// 2–9 errors, big enough to cross batches, chunks and the radix sort's
// cut-off, with p̂ on a coarse grid (many ties, some zeros).
func largeInstance(rows int) string {
	rng := rand.New(rand.NewPCG(7, 8))
	var b strings.Builder
	line := 0
	for c := 0; line < rows; c++ {
		n := 3 + rng.IntN(8)
		left := 1000
		for i := range n {
			q := rng.IntN(left/2 + 1)
			left -= q
			label, p := "error", ""
			if i == 0 {
				label, p = "valid", `"p":1,`
			}
			fmt.Fprintf(&b, `{"context":"c%d","response":"r%d","label":"%s",%s"phat":%d.%03d}`+"\n", c, i, label, p, q/1000, q%1000)
			line++
		}
	}
	return b.String()
}

// Float analysis of a large instance agrees with the exact one: the paths
// small random instances do not reach (batches, sorted chunks, the radix
// sort, the k-way merge) give the same sums.
func TestAnalyzeLargeFloatMatchesExact(t *testing.T) {
	in := largeInstance(30_000)
	f, err := Analyze[Float](context.Background(), strings.NewReader(in), 0, 0.25)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Analyze[Rat](context.Background(), strings.NewReader(in), 0, NewRat(1, 4))
	if err != nil {
		t.Fatal(err)
	}
	if f.Rows != r.Rows || f.Rows < 30_000 {
		t.Fatalf("rows %d (float), %d (exact)", f.Rows, r.Rows)
	}
	for _, q := range []struct {
		name string
		f    Float
		r    Rat
	}{
		{"err", f.Err, r.Err}, {"err_iiv", f.Paper.ErrIIV, r.Paper.ErrIIV}, {"delta", f.Paper.Delta, r.Paper.Delta},
		{"delta_rescale", f.DeltaRescale, r.DeltaRescale}, {"max delta_z", f.DeltaMaxZ, r.DeltaMaxZ},
		{"opt", f.Opt, r.Opt}, {"err_iiv at 1/4", f.Thresholds[0].ErrIIV, r.Thresholds[0].ErrIIV},
	} {
		if d := math.Abs(float64(q.f) - q.r.Float64()); d > 1e-12 {
			t.Errorf("%s: float %v, exact %v", q.name, q.f, q.r.Float64())
		}
	}
	if f.DeltaMaxZLow.Float64() != r.DeltaMaxZLow.Float64() || f.OptLow.Float64() != r.OptLow.Float64() {
		t.Errorf("argmax/argmin differ: float [%v, %v], exact [%v, %v]", f.DeltaMaxZLow, f.OptLow, r.DeltaMaxZLow, r.OptLow)
	}
}

// An error deep in a large input names its line, after the batches before it.
func TestAnalyzeErrorLineInLargeInput(t *testing.T) {
	in := largeInstance(20_000)
	lines := strings.SplitAfter(in, "\n")
	lines[12_345] = `{"context":"x","response":"v","label":"valid","p":1,"phat":2}` + "\n"
	_, err := Analyze[Float](context.Background(), strings.NewReader(strings.Join(lines, "")), 0)
	if err == nil || !strings.Contains(err.Error(), "line 12346: field phat") {
		t.Fatalf("err = %v, want line 12346: field phat", err)
	}
}

func TestAnalyzeCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Analyze[Float](ctx, strings.NewReader(largeInstance(10_000)), 0)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
