package iiv

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
)

// benchInstance builds an instance of about n rows: contexts of one valid
// response, one IDK and eight errors, with random model probabilities.
func benchInstance(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	for c := 0; c < n/10; c++ {
		w := make([]float64, 11)
		total := 0.0
		for i := range w {
			w[i] = rng.ExpFloat64()
			total += w[i]
		}
		for i := 0; i < 10; i++ {
			label, p := "error", ""
			switch i {
			case 0:
				label, p = "valid", `"p":1,`
			case 1:
				label, p = "idk", `"p":0,`
			}
			fmt.Fprintf(&b, `{"context":"q%d","response":"r%d","label":"%s",%s"phat":%.8g}`+"\n", c, i, label, p, w[i]/total)
		}
	}
	return b.Bytes()
}

func BenchmarkRead(b *testing.B) {
	data := benchInstance(1_000_000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		rd := NewReader[Float](bytes.NewReader(data))
		for {
			if _, err := rd.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N)*1e6/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkAnalyze(b *testing.B) {
	data := benchInstance(1_000_000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Analyze[Float](context.Background(), bytes.NewReader(data), 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*1e6/b.Elapsed().Seconds(), "rows/s")
}
