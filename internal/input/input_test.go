package input

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
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

func compress(t testing.TB, kind string, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.WriteCloser
	switch kind {
	case "gzip":
		w = gzip.NewWriter(&buf)
	case "zstd":
		zw, err := zstd.NewWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		w = zw
	default:
		return b
	}
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func TestBOMIsDroppedOnce(t *testing.T) {
	text := []byte("a\tb\n")
	for _, kind := range []string{"", "gzip", "zstd"} {
		for _, tc := range []struct{ in, want []byte }{
			{append([]byte("\xef\xbb\xbf"), text...), text},
			{[]byte("\xef\xbb\xbf"), nil},
			{[]byte("\xef\xbb"), []byte("\xef\xbb")}, // not a whole BOM: kept
			{[]byte("\xef\xbb\xbf\xef\xbb\xbfx"), []byte("\xef\xbb\xbfx")},
			{text, text},
			{nil, nil},
		} {
			f, err := Wrap("in", bytes.NewReader(compress(t, kind, tc.in)), false)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(f)
			if err != nil || !bytes.Equal(got, tc.want) {
				t.Errorf("%s %q: read %q, %v; want %q", kind, tc.in, got, err, tc.want)
			}
		}
	}
}

func TestTruncatedStreamsSayTruncatedWithoutTheName(t *testing.T) {
	text := bytes.Repeat([]byte("fact\tvalue\n"), 10000)
	for _, kind := range []string{"gzip", "zstd"} {
		z := compress(t, kind, text)
		path := filepath.Join(t.TempDir(), "trunc.tsv."+kind)
		os.WriteFile(path, z[:len(z)*2/3], 0o644)
		f, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.ReadAll(f)
		f.Close()
		var te *TruncatedError
		if !errors.As(err, &te) || te.Compression != kind {
			t.Fatalf("%s: err = %v, want a TruncatedError", kind, err)
		}
		msg := err.Error()
		if !strings.Contains(msg, "truncated") || strings.Contains(msg, "trunc.tsv") {
			t.Errorf("%s: message %q: want it to say truncated, without the file name (the caller gives it)", kind, msg)
		}
	}
}

func TestCheckText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" for text
	}{
		{"a,b\nc,d\n", ""},
		{"héllo, wörld", ""},
		{"héllo\xc3", ""}, // a rune cut at the end of the block
		{"", ""},
		{"ab\x00cd", "NUL byte at offset 2"},
		{"PK\x03\x04\x14\x00", "NUL byte at offset 5"},
		{"a\xff\xfeb", ""},      // a few invalid bytes: the reader reports their line
		{"caf\xe9 au lait", ""}, // Latin-1, likewise
		{"x\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6y", "10 bytes of invalid UTF-8 in the first 12, the first at offset 1"},
	} {
		err := CheckText([]byte(tc.in))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v, want text", tc.in, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "not text")):
			t.Errorf("%q: %v, want not text: …%s", tc.in, err, tc.want)
		}
	}
}

func TestLimitErrorAndSize(t *testing.T) {
	for _, tc := range []struct {
		e    LimitError
		want string
	}{
		{LimitError{What: "line", Limit: 64 << 20, Option: "MaxLine"}, "line longer than the limit of 64MiB"},
		{LimitError{What: "ZIP member header.json (decompressed)", Limit: 1536, Option: "MaxDocument"}, "ZIP member header.json (decompressed) longer than the limit of 1.5KiB"},
		{LimitError{Limit: 10, Unit: "samples", Option: "MaxSamples"}, "more samples than the limit of 10"},
		{LimitError{What: "line", Limit: 100}, "line longer than the limit of 100B"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

// FuzzWrap checks that any bytes, plain or compressed, read back as given
// but for one leading BOM, or fail with an error, and never panic.
func FuzzWrap(f *testing.F) {
	f.Add([]byte("\xef\xbb\xbfa\tb\n"), uint8(0))
	f.Add([]byte("x"), uint8(1))
	f.Add([]byte{}, uint8(2))
	f.Fuzz(func(t *testing.T, b []byte, mode uint8) {
		kind := []string{"", "gzip", "zstd"}[mode%3]
		raw := compress(t, kind, b)
		if mode >= 3 && len(raw) > 0 {
			raw = raw[:int(mode)%len(raw)] // cut short
		}
		fl, err := Wrap("in", bytes.NewReader(raw), true)
		if err != nil {
			return
		}
		got, err := io.ReadAll(fl)
		if err != nil {
			return
		}
		want := bytes.TrimPrefix(b, bom)
		if mode < 3 && !bytes.Equal(got, want) {
			t.Fatalf("%s: read %q, want %q", kind, got, want)
		}
	})
}
