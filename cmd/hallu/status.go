package main

import (
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// statusLine redraws line() in place on w every interval until the returned
// stop is called. At stop it clears the line, or, with keep, draws it a last
// time and ends it with a newline. It is the one progress display of the
// commands; callers decide whether w is a terminal.
func statusLine(w io.Writer, every time.Duration, keep bool, line func() string) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				if keep {
					fmt.Fprint(w, "\r"+line()+"\033[K\n")
				} else {
					fmt.Fprint(w, "\r\033[K")
				}
				return
			case <-t.C:
				fmt.Fprint(w, "\r"+line()+"\033[K")
			}
		}
	}()
	return func() { close(done); <-finished }
}

// counter holds the last (done, total) that a library's progress callback
// reported, for a status line to draw.
type counter struct{ done, total atomic.Int64 }

// update is the progress callback.
func (c *counter) update(done, total int) {
	c.total.Store(int64(total))
	c.done.Store(int64(done))
}

// line formats the count with format, which takes done and total.
func (c *counter) line(format string) string {
	return fmt.Sprintf(format, c.done.Load(), c.total.Load())
}
