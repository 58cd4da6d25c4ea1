package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestServeShutdown starts hallu serve on a free loopback port, answers a
// request, and shuts down cleanly when its context ends (what SIGINT and
// SIGTERM do through main's signal.NotifyContext).
func TestServeShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrs := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		opts := testServeOptions()
		done <- runServe(ctx, opts, slog.New(slog.NewTextHandler(io.Discard, nil)), func(a string) { addrs <- a }, nil)
	}()
	var addr string
	select {
	case addr = <-addrs:
	case err := <-done:
		t.Fatalf("serve ended before listening: %v", err)
	}
	resp, err := http.Post("http://"+addr+"/v1/completions", "application/json",
		strings.NewReader(`{"model":"m","prompt":"Call me","max_tokens":5,"seed":1}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"text_completion"`) {
		t.Fatalf("completion: %d %s", resp.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("shutdown returned %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("serve did not shut down")
	}
	if _, err := http.Get("http://" + addr + "/health"); err == nil {
		t.Error("the server still answers after shutdown")
	}
}

func testServeOptions() serveOptions {
	return serveOptions{ModelID: "m", Addr: "127.0.0.1:0", MaxBodyBytes: 1 << 20, MaxTokens: 64, MaxPrompt: 100,
		MaxChoices: 128, MaxRequest: 4096, MaxReplyBytes: 1 << 20, Parallel: 2, Queue: 2, ShutdownTimeout: time.Second}
}

// startServe runs runServe in the background and returns its address and
// the channel of its result.
func startServe(t *testing.T, ctx context.Context, opts serveOptions, log io.Writer, force <-chan struct{}) (string, <-chan error) {
	t.Helper()
	addrs := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, opts, slog.New(slog.NewTextHandler(log, nil)), func(a string) { addrs <- a }, force)
	}()
	select {
	case addr := <-addrs:
		return addr, done
	case err := <-done:
		t.Fatalf("serve ended before listening: %v", err)
	}
	return "", nil
}

// stuckRequest opens a connection, completes one request on it, then sends
// the headers of a second and half its body: a client that stops sending,
// which holds its connection open until a deadline or a forced close.
func stuckRequest(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	fmt.Fprintf(c, "GET /health HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	fmt.Fprintf(c, "POST /v1/completions HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"model\":", addr)
	time.Sleep(200 * time.Millisecond) // for the server to read it
	return c
}

// Issue 14: a stuck request held shutdown for 30 s and then hallu serve
// exited 1. Now the work in flight is stopped at once (its client gets
// 503), a stuck connection is closed after --shutdown-timeout, and serve
// returns no error (exit 0).
func TestServeShutdownStopsWork(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := testServeOptions()
	opts.MaxPrompt, opts.MaxRequest, opts.MaxReplyBytes, opts.ShutdownTimeout = 1<<20, 1<<20, 1<<30, 3*time.Second
	var log lockedBuffer
	addr, done := startServe(t, ctx, opts, &log, nil)
	heavy := make(chan *http.Response, 1)
	go func() {
		// 100,000 echoed tokens scored with 20 alternatives: tens of seconds.
		resp, err := http.Post("http://"+addr+"/v1/completions", "application/json",
			strings.NewReader(`{"model":"m","prompt":"`+strings.Repeat("whale ", 100000)+`","echo":true,"max_tokens":0,"logprobs":20}`))
		if err != nil {
			t.Error(err)
		}
		heavy <- resp
	}()
	stuckRequest(t, addr) // also gives the heavy request time to start
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("shutdown returned %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not shut down within 30 s")
	}
	if resp := <-heavy; resp == nil || resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("request in work during shutdown: %+v, want 503 with Retry-After", resp)
	}
	if out := log.String(); strings.Contains(out, "level=ERROR") || !strings.Contains(out, "closed the connections still open") {
		t.Errorf("log:\n%s", out)
	}
}

// Issue 14: a second Ctrl-C was ignored. Now it ends the shutdown at once,
// as an interruption (exit 130), though connections are still open and the
// shutdown timeout is far off.
func TestServeSecondSignal(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := testServeOptions()
	opts.ShutdownTimeout = 10 * time.Minute
	force := make(chan struct{})
	addr, done := startServe(t, ctx, opts, io.Discard, force)
	stuckRequest(t, addr)
	cancel()
	close(force)
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("after a second signal: %v, want an interruption", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30 s of the second signal")
	}
}

// lockedBuffer is a log destination the test may read while handlers that
// outlive the server still write.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
