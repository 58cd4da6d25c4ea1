package demo

import (
	"bytes"
	"embed"
	"fmt"
	"io"

	"github.com/klauspost/compress/zstd"
)

// Data holds the embedded files, zstd-compressed, with data/SOURCE.md.
//
//go:embed data/*.zst data/SOURCE.md
var Data embed.FS

// The embedded files, as paths in Data.
const (
	// FactsFile is ParaRel's T-REx facts as TSV: relation, sub_label,
	// obj_label, with a header line (MIT).
	FactsFile = "data/pararel_trex.tsv.zst"
	// OutputsFile is an lm-evaluation-harness samples log of Qwen3-8B on
	// negotiationtom belief, 20 multiple-choice questions (MIT).
	OutputsFile = "data/qwen3-8b_negotiationtom_belief.jsonl.zst"
)

// open returns the decompressed content of the embedded file name.
func open(name string) (io.ReadCloser, error) {
	b, err := Data.ReadFile(name)
	if err != nil {
		return nil, err
	}
	zr, err := zstd.NewReader(bytes.NewReader(b), zstd.WithDecoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("embedded %s: %w", name, err)
	}
	return zr.IOReadCloser(), nil
}
