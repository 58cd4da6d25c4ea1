package main

import (
	"bytes"
	"strings"
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
