package audit

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
)

// benchCorpus is a TSV corpus shaped like bench/auditgen's: n lines over
// Zipf(1.1)-distributed prompts, 5% abstentions.
func benchCorpus(n int, prompts uint64) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	z := rand.NewZipf(rng, 1.1, 1, prompts-1)
	var b bytes.Buffer
	for range n {
		k := z.Uint64()
		ans := fmt.Sprintf("%04d-%02d-%02d", 1800+k%220, 1+k%12, 1+k%28)
		if rng.Float64() < 0.05 {
			ans = "IDK"
		}
		fmt.Fprintf(&b, "Q%d\tbirth_date\t%s\n", k*2654435761%prompts+1, ans)
	}
	return b.Bytes()
}

// cpuTime returns the CPU time (user and system) the process has used, in
// ns, which contention from other processes on the machine does not inflate
// the way it inflates wall time.
func cpuTime() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkRunTSV measures the whole counting pass on a corpus in memory,
// per record, for one and for all workers.
func BenchmarkRunTSV(b *testing.B) {
	data := benchCorpus(2_000_000, 1_000_000)
	for _, workers := range []int{1, 0} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			cfg := Config{Prompt: []string{"1", "2"}, Answer: "3", IDK: []string{"IDK"}, Workers: workers}
			b.SetBytes(int64(len(data)))
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := Run(context.Background(), cfg, []Source{bytesSource("bench", data)}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/2e6, "ns/record")
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/2e6, "cpu-ns/record")
		})
	}
}
