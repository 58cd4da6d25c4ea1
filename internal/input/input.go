// Package input opens hallu's input files: plain, gzip or zstd (detected by
// their magic bytes, not their names), or standard input for "-", and hashes
// the raw bytes as they are read so that reports can name each input's sha256.
package input

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/hallu-dev/hallu/report"
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
	hash   *report.HashingReader
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
		f.hash = report.NewHashingReader(name, raw)
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
	return f, nil
}

// Read reads decompressed bytes. A truncated or corrupt compressed stream is
// an error (io.ErrUnexpectedEOF or the codec's), never a silent end of input.
func (f *File) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = fmt.Errorf("%s: %w", f.Name, err)
	}
	return n, err
}

// Input reports the path and sha256 of the raw (compressed) bytes read so
// far; after reading to EOF it describes the whole file. A File opened by
// OpenUnhashed reports only its path.
func (f *File) Input() report.Input {
	if f.hash == nil {
		return report.Input{Path: f.Name}
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
