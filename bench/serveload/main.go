// Command serveload puts hallu serve under the load of issue 14: Concurrent
// requests at once, each taking one of the server's limits to its maximum
// (with 20 top log-probabilities wherever allowed), while a small scoring
// request is sent again and again. It reports the answers by status, the
// server's resident memory (from /proc/PID/status) and the scoring
// request's latency, and exits 1 if any request got no HTTP answer or an
// answer other than 200, 400 reply_too_large or 429 server_busy.
//
//	serveload -url http://127.0.0.1:18090/v1 -pid 1234
//
// The limit flags must match the server's (their defaults are hallu serve's).
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hallu-dev/hallu/internal/servetest"
	"github.com/hallu-dev/hallu/serve"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:18090/v1", "base URL of the server")
	model := flag.String("model", "hallu-ngram", "model id")
	pid := flag.Int("pid", 0, "process id of the server, to read its memory (0: not measured)")
	concurrent := flag.Int("concurrent", 100, "requests at once")
	timeout := flag.Duration("timeout", 10*time.Minute, "give up after this long")
	var l servetest.Limits
	flag.IntVar(&l.MaxBodyBytes, "max-body-bytes", serve.DefaultMaxBodyBytes, "the server's --max-body-bytes")
	flag.IntVar(&l.MaxTokens, "max-tokens", serve.DefaultMaxTokens, "the server's --max-tokens")
	flag.IntVar(&l.MaxPromptTokens, "max-prompt-tokens", serve.DefaultMaxPromptTokens, "the server's --max-prompt-tokens")
	flag.IntVar(&l.MaxChoices, "max-choices", serve.DefaultMaxChoices, "the server's --max-choices")
	flag.IntVar(&l.MaxRequestTokens, "max-request-tokens", serve.DefaultMaxRequestTokens, "the server's --max-request-tokens")
	flag.IntVar(&l.MaxReplyBytes, "max-reply-bytes", serve.DefaultMaxReplyBytes, "the server's --max-reply-bytes")
	flag.Parse()

	rssBefore := memory(*pid, "VmRSS")
	var peak int
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Go(func() {
		for {
			peak = max(peak, memory(*pid, "VmRSS"))
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	heavy := servetest.WorstCases(*model, l)
	res := servetest.Load{
		BaseURL:    *url,
		Concurrent: *concurrent,
		Heavy:      heavy,
		Probe: servetest.Request{Name: "score", Path: "/completions",
			Body: `{"model":"` + *model + `","prompt":"She lost it and was completely out of her mind.","echo":true,"max_tokens":0,"logprobs":0}`},
	}.Run(ctx)
	close(stop)
	sampler.Wait()

	var kinds []string
	for _, h := range heavy {
		kinds = append(kinds, h.Name)
	}
	fmt.Printf("%d requests at once (%s, in turn): answered in %v\n", *concurrent, strings.Join(kinds, ", "), res.Duration.Round(time.Millisecond))
	fmt.Printf("answers: %v; error codes: %v; no HTTP answer: %d\n", res.Status, res.Codes, res.Dropped)
	if *pid > 0 {
		fmt.Printf("server memory: RSS %d MiB before, at most %d MiB during the load (sampled every 10 ms); VmHWM %d MiB\n",
			rssBefore>>10, peak>>10, memory(*pid, "VmHWM")>>10)
	}
	fmt.Printf("scoring request under load: %d answered 200 (%d answers 429/503 waited out, %d failed)\n", len(res.Success), res.ProbeRetries, res.ProbeFailed)
	fmt.Printf("  time to an answer: p50 %v, p99 %v, max %v\n", ms(servetest.Percentile(res.Answer, 50)), ms(servetest.Percentile(res.Answer, 99)), ms(servetest.Percentile(res.Answer, 100)))
	fmt.Printf("  time to a 200:     p50 %v, p99 %v, max %v\n", ms(servetest.Percentile(res.Success, 50)), ms(servetest.Percentile(res.Success, 99)), ms(servetest.Percentile(res.Success, 100)))

	bad := res.Dropped
	for status, n := range res.Status {
		if status != 200 && status != 400 && status != 429 {
			bad += n
		}
	}
	if res.Status[400] != res.Codes["reply_too_large"] || res.Status[429] != res.Codes["server_busy"] || res.ProbeFailed > 0 {
		bad++
	}
	if bad > 0 {
		fmt.Println("FAIL: requests without an answer or with an unexpected one")
		if res.FirstDrop != nil {
			fmt.Println("first:", res.FirstDrop)
		}
		os.Exit(1)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// memory returns a field of /proc/PID/status in KiB (0 when unknown).
func memory(pid int, field string) int {
	if pid <= 0 {
		return 0
	}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return kb
		}
	}
	return 0
}
