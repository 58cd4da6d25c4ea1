// Package input opens hallu's input files: plain, gzip or zstd (detected by
// their magic bytes, not their names), or standard input for "-", and hashes
// the raw bytes as they are read so that reports can name each input's sha256.
// A UTF-8 byte order mark at the start of the decompressed text is dropped
// here, once, for every reader. The package also holds what the readers
// share to keep memory bounded on any input: the default limits and the
// error that names a limit and the flag that raises it (see limits.go).
package input

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// File is an opened input: Read returns decompressed bytes.
type File struct {
	Name        string // the path as given, or "-" for standard input
	Compression string // "", "gzip" or "zstd"

	r      io.Reader
	hash   *provenance.HashingReader
	closer []func() error
}

// Open opens path ("-" for standard input) and transparently decompresses it.
func Open(path string) (*File, error) { return open(path, true) }

// OpenUnhashed is Open without hashing the raw bytes, for callers that will
// not report the input's sha256: hashing costs about a CPU-second per
// 1.5 GB. The File's Input then carries the path and no hash.
func OpenUnhashed(path string) (*File, error) { return open(path, false) }

func open(path string, hash bool) (*File, error) {
	if path == "-" {
		return Wrap(path, os.Stdin, hash)
	}
	osf, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return Wrap(path, osf, hash)
}

// Wrap makes a File of the raw bytes of r, named name in messages and in
// its Input: plain, gzip or zstd by their magic bytes, hashed if hash. It is
// Open for inputs that are not local files (the object stores of the Beam
// pipeline in beam/). Closing the File closes r if r is an io.Closer other
// than os.Stdin; if Wrap fails, it has closed r already.
func Wrap(name string, r io.Reader, hash bool) (*File, error) {
	raw := r
	f := &File{Name: name}
	if c, ok := r.(io.Closer); ok && r != io.Reader(os.Stdin) {
		f.closer = append(f.closer, c.Close)
	}
	if hash {
		f.hash = provenance.NewHashingReader(name, raw)
		raw = f.hash
	}
	br := bufio.NewReaderSize(raw, 1<<20)
	head, err := br.Peek(4)
	if err != nil && !errors.Is(err, io.EOF) {
		f.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	switch {
	case bytes.HasPrefix(head, gzipMagic):
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: gzip: %w", name, err)
		}
		f.Compression, f.r = "gzip", zr
		f.closer = append(f.closer, zr.Close)
	case bytes.HasPrefix(head, zstdMagic):
		zr, err := zstd.NewReader(br)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: zstd: %w", name, err)
		}
		f.Compression, f.r = "zstd", zr
		f.closer = append(f.closer, func() error { zr.Close(); return nil })
	default:
		f.r = br
	}
	f.r = &bomSkipper{r: f.r}
	return f, nil
}

// Read reads decompressed bytes. A truncated or corrupt compressed stream is
// an error, never a silent end of input: a *TruncatedError for a stream cut
// short, the codec's error otherwise. Errors do not repeat the file's name,
// which the caller's message gives with the line or record.
func (f *File) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) && f.Compression != "" {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = &TruncatedError{Compression: f.Compression, Err: err}
		} else {
			err = fmt.Errorf("corrupt %s data: %w", f.Compression, err)
		}
	}
	return n, err
}

// A TruncatedError is a compressed input that ends before its compressed
// stream does: a download or copy cut short.
type TruncatedError struct {
	Compression string // "gzip", "zstd" or "zip"
	Err         error  // io.ErrUnexpectedEOF or the codec's error
}

func (e *TruncatedError) Error() string {
	return fmt.Sprintf("truncated: the %s data ends before its end (the file was cut short; fetch or copy it again)", e.Compression)
}

func (e *TruncatedError) Unwrap() error { return e.Err }

// bom is the UTF-8 byte order mark, which some editors and Windows tools
// put at the start of text files.
var bom = []byte("\xef\xbb\xbf")

// bomSkipper drops a UTF-8 byte order mark at the start of r.
type bomSkipper struct {
	r    io.Reader
	head []byte // bytes read ahead that are not a BOM, to give back first
	err  error  // the error that ended the read-ahead, after head
	done bool   // the start has been examined
}

func (b *bomSkipper) Read(p []byte) (int, error) {
	if !b.done {
		b.done = true
		var buf [3]byte
		n := 0
		for n < len(buf) && b.err == nil {
			var m int
			m, b.err = b.r.Read(buf[n:])
			n += m
		}
		if !bytes.Equal(buf[:n], bom) {
			b.head = append([]byte(nil), buf[:n]...)
		}
	}
	if len(b.head) > 0 {
		n := copy(p, b.head)
		b.head = b.head[n:]
		return n, nil
	}
	if b.err != nil {
		return 0, b.err
	}
	return b.r.Read(p)
}

// Input reports the path and sha256 of the raw (compressed) bytes read so
// far; after reading to EOF it describes the whole file. A File opened by
// OpenUnhashed reports only its path.
func (f *File) Input() provenance.Input {
	if f.hash == nil {
		return provenance.Input{Path: f.Name}
	}
	return f.hash.Input()
}

// Close releases the file and any decompressor.
func (f *File) Close() error {
	var errs []error
	for i := len(f.closer) - 1; i >= 0; i-- {
		errs = append(errs, f.closer[i]())
	}
	f.closer = nil
	return errors.Join(errs...)
}
