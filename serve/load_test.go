package serve_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/hallu-dev/hallu/internal/servetest"
	"github.com/hallu-dev/hallu/ngram"
	"github.com/hallu-dev/hallu/ngram/corpus"
	"github.com/hallu-dev/hallu/serve"
)

// loadCeiling is the most heap the process (server and load clients) may
// grow by under the load of TestLoadMemoryCeiling. Each of the loadParallel
// requests in work holds at most its reply (loadReply, in a buffer that may
// double to 2 × loadReply), one choice being built and, for an echo, its
// prompt's scored tokens (loadPrompt tokens × 21 alternatives, about 60
// bytes each); waiting and refused requests hold only their connection. The
// garbage collector lets the heap grow to twice the live heap before it
// collects (GOGC=100), hence the factor 2.
const (
	loadParallel = 4
	loadQueue    = 8
	loadReply    = 256 << 10
	loadPrompt   = 512
	loadCeiling  = 2 * (loadParallel*(2*loadReply+loadPrompt*21*60+(1<<20)) + 8<<20)
)

// TestLoadMemoryCeiling: 100 concurrent requests, each taking one limit to
// its maximum, against a server that works on 4 at a time and queues 8.
// The heap stays under loadCeiling, every request gets an HTTP answer
// (200, 400 reply_too_large, or 429 with Retry-After for those over
// capacity), and a small scoring request keeps being answered. The p99 of
// its latency is logged (-v), not asserted: bench/serve_load.sh measures it
// on the real binary.
func TestLoadMemoryCeiling(t *testing.T) {
	tr := ngram.NewTrainer()
	if err := tr.AddText(corpus.MobyDick()); err != nil {
		t.Fatal(err)
	}
	m, err := tr.Train(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	s := &serve.Server{Model: m, ModelID: "moby-3", MaxBodyBytes: 64 << 10, MaxTokens: 128, MaxPromptTokens: loadPrompt,
		MaxChoices: 32, MaxRequestTokens: 512, MaxReplyBytes: loadReply, Parallel: loadParallel, MaxQueue: loadQueue,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, ms.HeapAlloc
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Go(func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res := servetest.Load{
		BaseURL:    hs.URL + "/v1",
		Concurrent: 100,
		Heavy:      servetest.WorstCases("moby-3", servetest.LimitsOf(s)),
		Probe: servetest.Request{Name: "score", Path: "/completions",
			Body: `{"model":"moby-3","prompt":"She lost it and was completely out of her mind.","echo":true,"max_tokens":0,"logprobs":0}`},
	}.Run(ctx)
	close(stop)
	sampler.Wait()

	grown := int64(peak) - int64(base)
	t.Logf("100 worst-case requests in %v: statuses %v, codes %v; heap %.1f MiB at start, grew by at most %.1f MiB (ceiling %.1f MiB)",
		res.Duration.Round(time.Millisecond), res.Status, res.Codes, float64(base)/(1<<20), float64(grown)/(1<<20), float64(loadCeiling)/(1<<20))
	t.Logf("scoring probe: %d answered 200, %d times 429/503; time to an answer p50 %v p99 %v; to a 200 p50 %v p99 %v",
		len(res.Success), res.ProbeRetries, servetest.Percentile(res.Answer, 50), servetest.Percentile(res.Answer, 99),
		servetest.Percentile(res.Success, 50), servetest.Percentile(res.Success, 99))
	if res.Dropped > 0 {
		t.Errorf("%d requests without an HTTP answer; first: %v", res.Dropped, res.FirstDrop)
	}
	for status, n := range res.Status {
		if status != 200 && status != 400 && status != 429 {
			t.Errorf("%d requests answered %d", n, status)
		}
	}
	if res.Status[400] != res.Codes["reply_too_large"] {
		t.Errorf("400s other than reply_too_large: codes %v", res.Codes)
	}
	if res.Status[429] == 0 || res.Status[429] != res.Codes["server_busy"] {
		t.Errorf("100 requests for %d slots and %d places in the queue: %d answered 429 server_busy", loadParallel, loadQueue, res.Codes["server_busy"])
	}
	if len(res.Success) == 0 || res.ProbeFailed > 0 {
		t.Errorf("scoring probe: %d answered, %d failed", len(res.Success), res.ProbeFailed)
	}
	if grown > loadCeiling {
		t.Errorf("heap grew by %d MiB under load, over the ceiling of %d MiB", grown>>20, loadCeiling>>20)
	}
}
