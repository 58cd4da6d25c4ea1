// Command auditgen writes a seeded synthetic fact corpus for benchmarking
// hallu audit: TSV lines "subject<TAB>relation<TAB>answer" whose prompts
// (subject, relation) are drawn from a Zipf distribution, each prompt with
// one fixed answer (an arbitrary fact, Definition 1 of the paper) and a
// fraction of abstentions written as IDK. The same flags and seed give the
// same bytes, whatever the number of CPUs.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
)

const blockLines = 1 << 20 // lines per independently seeded block

var relations = []string{"birth_date", "death_date", "wedding_date", "founding_date"}

func main() {
	records := flag.Int64("records", 100_000_000, "lines to write")
	prompts := flag.Uint64("prompts", 10_000_000, "distinct prompts to draw from")
	s := flag.Float64("zipf", 1.1, "Zipf exponent (> 1)")
	idk := flag.Float64("idk", 0.05, "fraction of abstentions")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("o", "-", "output file")
	flag.Parse()
	if *s <= 1 || *prompts < 1 || *records < 0 || *idk < 0 || *idk > 1 {
		fmt.Fprintln(os.Stderr, "auditgen: need -zipf > 1, -prompts ≥ 1, -records ≥ 0, 0 ≤ -idk ≤ 1")
		os.Exit(2)
	}
	w := os.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "auditgen:", err)
			os.Exit(1)
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	// Blocks are generated in parallel and written in order.
	nblocks := (*records + blockLines - 1) / blockLines
	const ahead = 8
	results := make([]chan []byte, nblocks)
	for i := range results {
		results[i] = make(chan []byte, 1)
	}
	sem := make(chan struct{}, ahead)
	go func() {
		for b := int64(0); b < nblocks; b++ {
			sem <- struct{}{}
			go func() {
				n := min(blockLines, *records-b*blockLines)
				results[b] <- block(*seed, uint64(b), n, *prompts, *s, *idk)
			}()
		}
	}()
	for b := range results {
		if _, err := bw.Write(<-results[b]); err != nil {
			fmt.Fprintln(os.Stderr, "auditgen:", err)
			os.Exit(1)
		}
		<-sem
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "auditgen:", err)
		os.Exit(1)
	}
}

// block returns n lines drawn with the generator seeded by (seed, b).
func block(seed, b uint64, n int64, prompts uint64, s, idk float64) []byte {
	rng := rand.New(rand.NewPCG(seed, b))
	z := rand.NewZipf(rng, s, 1, prompts-1)
	buf := make([]byte, 0, n*34)
	for range n {
		k := scramble(z.Uint64(), prompts)
		buf = append(buf, 'Q')
		buf = strconv.AppendUint(buf, k/uint64(len(relations))+1, 10)
		buf = append(buf, '\t')
		buf = append(buf, relations[k%uint64(len(relations))]...)
		buf = append(buf, '\t')
		if rng.Float64() < idk {
			buf = append(buf, "IDK"...)
		} else {
			buf = appendDate(buf, k)
		}
		buf = append(buf, '\n')
	}
	return buf
}

// scramble maps a Zipf rank to a prompt id by a fixed bijection of
// [0, prompts), so that frequent prompts are spread over subjects.
func scramble(k, prompts uint64) uint64 {
	const a = 2654435761 // odd, so k ↦ a·k mod 2^64 is a bijection; cycle-walk into range
	for {
		k = (k*a + 12345) & (ceilPow2(prompts) - 1)
		if k < prompts {
			return k
		}
	}
}

func ceilPow2(x uint64) uint64 {
	p := uint64(1)
	for p < x {
		p <<= 1
	}
	return p
}

// appendDate appends the fixed answer of prompt k: a date YYYY-MM-DD.
func appendDate(buf []byte, k uint64) []byte {
	h := k*0x9e3779b97f4a7c15 ^ k>>17
	y, m, d := 1800+h%220, 1+(h>>8)%12, 1+(h>>16)%28
	buf = strconv.AppendUint(buf, y, 10)
	buf = append(buf, '-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
	return buf
}
