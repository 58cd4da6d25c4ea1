package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
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
		opts := serveOptions{ModelID: "m", Addr: "127.0.0.1:0", MaxBodyBytes: 1 << 20, MaxTokens: 64, MaxPrompt: 100}
		done <- runServe(ctx, opts, slog.New(slog.NewTextHandler(io.Discard, nil)), func(a string) { addrs <- a })
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
