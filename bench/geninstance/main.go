// Command geninstance writes a seeded random instance for hallu bound:
// contexts of one valid response (p = 1), one IDK and -errors errors, with
// model probabilities drawn from a Dirichlet(1,…,1) over the responses and
// a share left unlisted. Used by bench/bound.sh.
package main

import (
	"bufio"
	"flag"
	"log"
	"math/rand/v2"
	"os"
	"strconv"
)

func main() {
	rows := flag.Int("rows", 10_000_000, "approximate number of rows")
	errs := flag.Int("errors", 8, "error responses per context")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	rng := rand.New(rand.NewPCG(*seed, 0))
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	perCtx := *errs + 2
	weights := make([]float64, perCtx+1)
	var b []byte
	for c := 0; c < *rows/perCtx; c++ {
		total := 0.0
		for i := range weights {
			weights[i] = rng.ExpFloat64()
			total += weights[i]
		}
		ctx := "q" + strconv.Itoa(c)
		for i := 0; i < perCtx; i++ {
			b = append(b[:0], `{"context":"`...)
			b = append(b, ctx...)
			b = append(b, `","response":"r`...)
			b = strconv.AppendInt(b, int64(i), 10)
			switch i {
			case 0:
				b = append(b, `","label":"valid","p":1,"phat":`...)
			case 1:
				b = append(b, `","label":"idk","p":0,"phat":`...)
			default:
				b = append(b, `","label":"error","phat":`...)
			}
			b = strconv.AppendFloat(b, weights[i]/total, 'g', 8, 64)
			b = append(b, "}\n"...)
			w.Write(b)
		}
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
}
