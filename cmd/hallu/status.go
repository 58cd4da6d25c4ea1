package main

import (
	"fmt"
	"io"
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
