package input

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

func TestOpenDetectsCompressionByMagic(t *testing.T) {
	want := []byte("a\tb\tc\nd\te\tf\n")
	var gz, zs bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Write(want)
	gw.Close()
	zw, _ := zstd.NewWriter(&zs)
	zw.Write(want)
	zw.Close()

	dir := t.TempDir()
	for _, tc := range []struct {
		name, compression string
		raw               []byte
	}{
		{"plain.txt", "", want},
		{"misnamed.txt", "gzip", gz.Bytes()}, // the extension is ignored
		{"data.zst", "zstd", zs.Bytes()},
		{"empty", "", nil},
	} {
		path := filepath.Join(dir, tc.name)
		if err := os.WriteFile(path, tc.raw, 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := Open(path)
		if err != nil {
			t.Fatalf("Open(%s): %v", tc.name, err)
		}
		got, err := io.ReadAll(f)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		f.Close()
		if tc.raw != nil && !bytes.Equal(got, want) {
			t.Errorf("%s: read %q, want %q", tc.name, got, want)
		}
		if f.Compression != tc.compression {
			t.Errorf("%s: compression %q, want %q", tc.name, f.Compression, tc.compression)
		}
		sum := sha256.Sum256(tc.raw)
		if got, want := f.Input().SHA256, hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%s: sha256 %s, want %s (of the raw bytes)", tc.name, got, want)
		}
	}
}

func TestTruncatedGzipIsAnError(t *testing.T) {
	var gz bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Write(bytes.Repeat([]byte("fact\tvalue\n"), 1000))
	gw.Close()
	path := filepath.Join(t.TempDir(), "cut.gz")
	os.WriteFile(path, gz.Bytes()[:gz.Len()/2], 0o644)
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = io.ReadAll(f)
	if err == nil || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("ReadAll of truncated gzip: err = %v, want io.ErrUnexpectedEOF", err)
	}
}

func TestOpenUnhashedReadsTheSameBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.tsv")
	want := []byte("a\tb\n")
	if err := os.WriteFile(path, want, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := OpenUnhashed(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := io.ReadAll(f)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("read %q, %v; want %q", got, err, want)
	}
	if in := f.Input(); in.Path != path || in.SHA256 != "" {
		t.Errorf("Input() = %+v, want the path and no hash", in)
	}
}

type closeCounter struct {
	io.Reader
	closed int
}

func (c *closeCounter) Close() error { c.closed++; return nil }

func TestWrapDecompressesHashesAndCloses(t *testing.T) {
	want := []byte("a\tb\n")
	var gz bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Write(want)
	gw.Close()
	raw := &closeCounter{Reader: bytes.NewReader(gz.Bytes())}
	f, err := Wrap("gs://bucket/facts", raw, true)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(f)
	if err != nil || !bytes.Equal(got, want) || f.Compression != "gzip" {
		t.Fatalf("read %q (%v), compression %q; want %q, gzip", got, err, f.Compression, want)
	}
	sum := sha256.Sum256(gz.Bytes())
	if in := f.Input(); in.Path != "gs://bucket/facts" || in.SHA256 != hex.EncodeToString(sum[:]) || in.Bytes != int64(gz.Len()) {
		t.Errorf("Input() = %+v, want the raw bytes' sha256 and size", in)
	}
	if err := f.Close(); err != nil || raw.closed != 1 {
		t.Errorf("Close: %v, underlying reader closed %d times, want once", err, raw.closed)
	}
}
