//go:build unix

package main

import (
	"os"
	"syscall"
	"testing"
	"time"
)

// TestSecondSignal: the channel secondSignal returns is closed by the
// second SIGINT, not the first (which main's signal.NotifyContext turns into
// the end of the command's context).
func TestSecondSignal(t *testing.T) {
	force := secondSignal()
	interrupt := func() {
		if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
	}
	interrupt()
	select {
	case <-force:
		t.Fatal("closed by the first signal")
	case <-time.After(200 * time.Millisecond):
	}
	interrupt()
	select {
	case <-force:
	case <-time.After(30 * time.Second):
		t.Fatal("not closed by the second signal")
	}
}
