package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// TestLimitsChild is not a test: it is the hallu process whose peak memory
// TestBoundedMemory measures. It runs the command line in
// HALLU_LIMITS_ARGS (a JSON array) and exits with its code.
func TestLimitsChild(t *testing.T) {
	args := os.Getenv("HALLU_LIMITS_ARGS")
	if args == "" {
		t.Skip("run by TestBoundedMemory")
	}
	var argv []string
	if err := json.Unmarshal([]byte(args), &argv); err != nil {
		t.Fatal(err)
	}
	code := run(context.Background(), argv, io.Discard, os.Stderr)
	// The peak resident memory of this process image: VmHWM starts afresh
	// at exec, unlike getrusage's ru_maxrss, which Linux carries over from
	// the parent that forked the child (the whole test binary's peak).
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
				os.Stdout.WriteString(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")) + "\n")
			}
		}
	}
	os.Exit(code)
}

// repeat is an endless run of one byte.
type repeat byte

func (r repeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// writeInput writes path from parts; an int64 part is that many 'a' bytes.
func writeInput(t *testing.T, path, compression string, parts ...any) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	var w io.Writer = f
	var c io.Closer
	switch compression {
	case "gzip":
		zw := gzip.NewWriter(f)
		w, c = zw, zw
	case "zstd":
		zw, _ := zstd.NewWriter(f, zstd.WithEncoderLevel(zstd.SpeedFastest))
		w, c = zw, zw
	}
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			io.WriteString(w, p)
		case int64:
			io.CopyN(w, repeat('a'), p)
		}
	}
	if c != nil {
		c.Close()
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// evalBomb writes an Inspect .eval ZIP whose header.json inflates to n bytes.
func evalBomb(t *testing.T, path string, n int64) string {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("header.json")
	io.WriteString(w, `{"version":2,"status":"success","eval":{"task":"`)
	io.CopyN(w, repeat('a'), n)
	io.WriteString(w, `"}}`)
	zw.Close()
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestBoundedMemory is issue 14's table of reproductions: each input, the
// exit, a fragment of the message, and where memory matters, the ceiling
// on the peak resident memory of a hallu process reading it. Before the
// readers had limits, each bomb below took hundreds of MB to GBs (see
// docs/limits.md); the inputs here are small versions, read under small
// limits given by the flags, so that the test stays fast.
func TestBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes over inputs of hundreds of MB")
	}
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	row := `{"context":"c","response":"r","label":"valid","p":1,"phat":0.5}` + "\n" + `{"context":"c","response":"e","label":"error","phat":0.5}` + "\n"
	const mb = int64(1) << 20
	for _, tc := range []struct {
		name    string
		args    []string
		fail    bool     // a non-zero exit
		want    []string // fragments of stderr
		once    string   // a fragment that must appear exactly once
		ceiling int64    // MiB of peak RSS, 0 for none
	}{
		{name: "bound reads a UTF-8 BOM",
			args: []string{"bound", writeInput(t, p("bom.jsonl"), "", "\ufeff"+row)}},
		{name: "score reads a UTF-8 BOM",
			args: []string{"score", writeInput(t, p("bom-run.jsonl"), "", "\ufeff"+`{"id":"q1","outcome":"correct"}`+"\n")}},
		{name: "bound: one 300 MB line in a small .zst",
			args: []string{"bound", "--max-line", "8M", writeInput(t, p("line.jsonl.zst"), "zstd", `{"context":"`, 300*mb, `"}`+"\n")},
			fail: true, want: []string{"line.jsonl.zst: line 1: line longer than the limit of 8MiB (raise it with --max-line)"}, ceiling: 80},
		{name: "score: one 300 MB line in a small .gz",
			args: []string{"score", "--format", "jsonl", "--max-line", "8M", writeInput(t, p("line.jsonl.gz"), "gzip", `{"id":"`, 300*mb, `"}`+"\n")},
			fail: true, want: []string{"line.jsonl.gz: line 1: line longer than the limit of 8MiB (raise it with --max-line)"}, ceiling: 80},
		{name: "score: an .eval whose header.json inflates to 300 MB",
			args: []string{"score", "--max-doc", "8M", evalBomb(t, p("bomb.eval"), 300*mb)},
			fail: true, want: []string{"header.json", "ZIP member header.json (decompressed) longer than the limit of 8MiB (raise it with --max-doc)"}, ceiling: 80},
		{name: "score: 2 M duplicate rows in a small .zst",
			args: []string{"score", "--allow-repeats", "--max-samples", "100000", writeInput(t, p("dup.jsonl.zst"), "zstd", repeated(`{"id":"q1","outcome":"correct"}`+"\n", 2_000_000)...)},
			fail: true, want: []string{"dup.jsonl.zst:100001: more samples than the limit of 100000 (raise it with --max-samples)"}, ceiling: 80},
		{name: "score: a CSV quote never closed, then 300 MB",
			args: []string{"score", "--format", "csv", "--max-line", "8M", writeInput(t, p("quote-score.csv.zst"), "zstd", "id,grade,response\nq1,correct,\"r\n", 300*mb)},
			fail: true, want: []string{"quote-score.csv.zst: the record after line 1: line longer than the limit of 8MiB"}, ceiling: 80},
		{name: "score: binary garbage read as CSV",
			args: []string{"score", "--format", "csv", writeInput(t, p("garbage.csv"), "", "PK\x03\x04\x14\x00\x08\x00\"\x00\xff")},
			fail: true, want: []string{"garbage.csv: not text: a NUL byte at offset 5"}},
		{name: "score: a truncated .gz",
			args: []string{"score", writeInput(t, p("trunc.jsonl.gz"), "", half(gzipped(strings.Repeat(`{"id":"q1","outcome":"correct"}`+"\n", 5000))))},
			fail: true, want: []string{"truncated"}, once: "trunc.jsonl.gz"},
		{name: "audit: a truncated .gz",
			args: []string{"audit", "--prompt", "1", writeInput(t, p("trunc.tsv.gz"), "", half(gzipped(strings.Repeat("a\tb\n", 50000))))},
			fail: true, want: []string{"truncated"}, once: "trunc.tsv.gz"},
		{name: "audit --mem 8M, two workers: 300 MB records",
			args: []string{"audit", "--mem", "8M", "--workers", "2", "--prompt", "1", writeInput(t, p("long.tsv.zst"), "zstd", "k\t", 300*mb, "\n")},
			fail: true, want: []string{"long.tsv.zst:1: record longer than the limit of 512KiB (raise it with --mem)"}, ceiling: 60},
		{name: "audit --mem 8M: a CSV quote never closed, then 300 MB",
			args: []string{"audit", "--mem", "8M", "--workers", "1", "--prompt", "1", writeInput(t, p("quote.csv.zst"), "zstd", "a,b\nx,\"y\n", 300*mb)},
			fail: true, want: []string{"quote.csv.zst:2: record longer than the limit", "never closed"}, ceiling: 60},
		{name: "audit --mem 64M --max-record 8M, two workers: forty 6 MB records",
			args:    []string{"audit", "--mem", "160M", "--max-record", "8M", "--workers", "2", "--prompt", "1", writeInput(t, p("many.tsv.zst"), "zstd", repeated([]any{"k\t", 6 * mb, "\n"}, 40)...)},
			ceiling: 220},
	} {
		t.Run(tc.name, func(t *testing.T) {
			argv, _ := json.Marshal(tc.args)
			cmd := exec.Command(os.Args[0], "-test.run=^TestLimitsChild$")
			cmd.Env = append(os.Environ(), "HALLU_LIMITS_ARGS="+string(argv))
			var stdout, stderr bytes.Buffer
			cmd.Stderr, cmd.Stdout = &stderr, &stdout
			err := cmd.Run()
			if tc.fail != (err != nil) {
				t.Fatalf("exit: %v (want failure: %v); stderr: %s", err, tc.fail, stderr.String())
			}
			msg := stderr.String()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("stderr %q, want %q in it", msg, w)
				}
			}
			if tc.once != "" && strings.Count(msg, tc.once) != 1 {
				t.Errorf("stderr %q names %q %d times, want once", msg, tc.once, strings.Count(msg, tc.once))
			}
			kb, err := strconv.ParseInt(strings.TrimSpace(stdout.String()), 10, 64)
			if err != nil {
				if tc.ceiling > 0 {
					t.Logf("peak memory not measured (no /proc/self/status VmHWM): %q", stdout.String())
				}
				return
			}
			rss := kb >> 10
			t.Logf("peak RSS %d MiB", rss)
			if tc.ceiling > 0 && rss > tc.ceiling {
				t.Errorf("peak RSS %d MiB, over the ceiling of %d MiB", rss, tc.ceiling)
			}
		})
	}
}

// repeated is n copies of the parts part (a string, or a []any of parts).
func repeated(part any, n int) []any {
	var out []any
	for range n {
		if ps, ok := part.([]any); ok {
			out = append(out, ps...)
		} else {
			out = append(out, part)
		}
	}
	return out
}

func half(b []byte) string { return string(b[:len(b)/2]) }

func gzipped(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	io.WriteString(zw, s)
	zw.Close()
	return b.Bytes()
}
