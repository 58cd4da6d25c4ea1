package audit

import (
	"bytes"
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/zeebo/xxh3"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Normalization is the optional text normalisation applied to every prompt
// field, answer and group value before they are compared; all off by
// default, so that values are compared byte for byte.
type Normalization struct {
	NFC      bool `json:"nfc"`       // Unicode canonical composition (NFC)
	FoldCase bool `json:"fold_case"` // Unicode full case folding
	Space    bool `json:"space"`     // trim, and turn each run of Unicode white space into one ASCII space
}

// Zero reports whether n changes nothing.
func (n Normalization) Zero() bool { return n == Normalization{} }

// Append appends the normalised form of v to dst and returns the result. The
// steps run in the order NFC, case folding, white space. v must be valid
// UTF-8.
func (n Normalization) Append(dst, v []byte) []byte {
	if n.Zero() {
		return append(dst, v...)
	}
	if n.NFC && !norm.NFC.IsNormal(v) {
		v = norm.NFC.Bytes(v)
	}
	if n.FoldCase {
		v = cases.Fold().Bytes(v)
	}
	if !n.Space {
		return append(dst, v...)
	}
	start := len(dst)
	space := false
	for len(v) > 0 {
		r, size := utf8.DecodeRune(v)
		if unicode.IsSpace(r) {
			space = true
		} else {
			if space && len(dst) > start {
				dst = append(dst, ' ')
			}
			space = false
			dst = append(dst, v[:size]...)
		}
		v = v[size:]
	}
	return dst
}

// ErrTabInKey is returned by Key for a prompt or group value holding a TAB,
// the separator of key fields.
var ErrTabInKey = errors.New("value contains a TAB, which separates the fields of a prompt key")

// Key appends to dst the prompt key of a record: its prompt fields in the
// order given, then its group value if grouping (group != nil), joined by
// TAB. Fields must not contain TAB (they cannot, in TSV), which makes the
// key a one-to-one encoding of the field values for a fixed number of
// fields. Values are used as they are; apply Normalization first.
func Key(dst []byte, prompt [][]byte, group []byte) ([]byte, error) {
	for i, f := range prompt {
		if bytes.IndexByte(f, '\t') >= 0 {
			return dst, fmt.Errorf("prompt field %d: %w", i+1, ErrTabInKey)
		}
		if i > 0 {
			dst = append(dst, '\t')
		}
		dst = append(dst, f...)
	}
	if group != nil {
		if bytes.IndexByte(group, '\t') >= 0 {
			return dst, fmt.Errorf("group: %w", ErrTabInKey)
		}
		dst = append(dst, '\t')
		dst = append(dst, group...)
	}
	return dst, nil
}

// Hash128 is the 128-bit hash identifying a prompt key.
type Hash128 struct{ Hi, Lo uint64 }

// HashKey returns the 128-bit XXH3 hash of a key made by Key.
func HashKey(key []byte) Hash128 {
	h := xxh3.Hash128(key)
	return Hash128{Hi: h.Hi, Lo: h.Lo}
}

// HashAnswer returns the 64-bit XXH3 hash of an answer. The counting tables
// compare answers by its top 32 bits (see the package documentation for
// what that costs in exactness).
func HashAnswer(answer []byte) uint64 { return xxh3.Hash(answer) }
