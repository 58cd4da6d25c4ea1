package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/hallu-dev/hallu/internal/atomicfile"
	"github.com/hallu-dev/hallu/ngram/corpus"
)

// ExportedFile is one file Export wrote.
type ExportedFile struct {
	Path   string // where it was written
	Bytes  int64
	SHA256 string // of the bytes written, hex
}

// exportable is a file the demo ships, as Export writes it out.
type exportable struct {
	name   string                        // file name in the export directory
	sha256 string                        // expected sha256 of the content; "" for SOURCE.md
	open   func() (io.ReadCloser, error) // the decompressed content
}

// exportables lists the demo's data in the order Export writes it. The
// sha256 values are those data/SOURCE.md and ngram/corpus/SOURCE.md state.
func exportables() []exportable {
	embedded := func(name string) func() (io.ReadCloser, error) {
		return func() (io.ReadCloser, error) { return open(name) }
	}
	return []exportable{
		{"pararel_trex.tsv", "e17accf5481a1e2c06f54cee95920fe3411aac9c16df87c68f1d3106ced9f62e", embedded(FactsFile)},
		{"qwen3-8b_negotiationtom_belief.jsonl", "57e2cae261df5058c0ba73be43cb2173656a9a68d3b620203831ca28db7ad89a", embedded(OutputsFile)},
		{"moby_dick.txt", corpus.MobyDickSHA256, func() (io.ReadCloser, error) { return io.NopCloser(corpus.MobyDick()), nil }},
		{"SOURCE.md", "", func() (io.ReadCloser, error) { return Data.Open("data/SOURCE.md") }},
	}
}

// Export writes the data the demo runs on, decompressed, into dir (created
// if missing): the ParaRel facts as TSV, the Qwen3-8B lm-evaluation-harness
// log, the Moby-Dick text the n-gram models train on, and SOURCE.md with
// each file's origin, licence and sha256. Each file is written atomically,
// and its sha256 is checked against the one SOURCE.md states, so that what
// the docs' examples read is byte for byte what the demo read.
func Export(dir string) ([]ExportedFile, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var out []ExportedFile
	for _, e := range exportables() {
		f, err := exportOne(dir, e)
		if err != nil {
			return out, err
		}
		out = append(out, f)
	}
	return out, nil
}

func exportOne(dir string, e exportable) (ExportedFile, error) {
	path := filepath.Join(dir, e.name)
	r, err := e.open()
	if err != nil {
		return ExportedFile{}, err
	}
	defer r.Close()
	h := sha256.New()
	var n int64
	err = atomicfile.Write(path, func(f *os.File) error {
		var err error
		n, err = io.Copy(io.MultiWriter(f, h), r)
		if err != nil {
			return err
		}
		if sum := hex.EncodeToString(h.Sum(nil)); e.sha256 != "" && sum != e.sha256 {
			return fmt.Errorf("embedded data decompressed to sha256 %s, want %s: the binary is corrupt", sum, e.sha256)
		}
		return nil
	})
	if err != nil {
		return ExportedFile{}, err
	}
	return ExportedFile{Path: path, Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}
