package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestStatusLine(t *testing.T) {
	for _, keep := range []bool{false, true} {
		var b bytes.Buffer
		n := 0
		stop := statusLine(&b, time.Millisecond, keep, func() string { n++; return "step" })
		time.Sleep(20 * time.Millisecond)
		stop()
		out := b.String()
		if !strings.HasPrefix(out, "\rstep\033[K") {
			t.Errorf("keep=%v: %q does not start with a redrawn line", keep, out)
		}
		want := "\r\033[K"
		if keep {
			want = "\rstep\033[K\n"
		}
		if !strings.HasSuffix(out, want) {
			t.Errorf("keep=%v: %q does not end with %q", keep, out, want)
		}
	}
}

// A library's progress callback, called from its workers, feeds the status
// line through a counter: the last line drawn is the last count.
func TestCounterFeedsStatusLine(t *testing.T) {
	var b bytes.Buffer
	var c counter
	stop := statusLine(&b, time.Millisecond, true, func() string { return c.line("scored %d/%d sets") })
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range 4 {
		wg.Go(func() {
			for range 25 {
				mu.Lock() // as instances.Score calls Progress, under its lock
				done++
				c.update(done, 100)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	stop()
	if out := b.String(); !strings.HasSuffix(out, "\rscored 100/100 sets\033[K\n") {
		t.Errorf("output ends %q", out[max(0, len(out)-40):])
	}
}
