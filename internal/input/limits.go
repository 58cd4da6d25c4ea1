package input

import (
	"fmt"
	"unicode/utf8"
)

// The default limits of hallu's readers. A reader holds at most one line
// (or record, or document) in memory at a time, so its limit, times the
// small factor of the copies parsing makes, bounds its memory whatever the
// input: a 145 KB zstd file can expand to a single 4 GB line.
const (
	// DefaultMaxLine bounds a line of a JSONL or CSV input (a CSV record,
	// which may span lines inside quotes, counts as one).
	DefaultMaxLine = 64 << 20
	// DefaultMaxDocument bounds an input that is read whole: an Inspect
	// .json log, an lm-eval array or results file, an Inspect .eval ZIP
	// and each of its members once decompressed.
	DefaultMaxDocument = 256 << 20
	// DefaultMaxSamples bounds the samples `hallu score` keeps from one
	// log (about 24 bytes each, for paired comparisons).
	DefaultMaxSamples = 10_000_000
)

// A LimitError is an input that exceeds one of the readers' limits. It
// names what was too large, the limit, and the option of the library's
// configuration that raises it, so that a command can name its own flag
// for that option; the caller adds the file and line.
type LimitError struct {
	What   string // "line", "record", "document", "ZIP member header.json", ...
	Limit  int64  // bytes, or a count for Unit "samples"
	Unit   string // "" for bytes
	Option string // the configuration field that raises the limit, e.g. "MaxLine" of evallog.Limits
	Err    error  // a sentinel error the limit also is (errors.Is), or nil
}

func (e *LimitError) Error() string {
	if e.Unit != "" {
		return fmt.Sprintf("more %s than the limit of %d", e.Unit, e.Limit)
	}
	return fmt.Sprintf("%s longer than the limit of %s", e.What, Size(e.Limit))
}

// Unwrap returns the sentinel the limit is, if any.
func (e *LimitError) Unwrap() error { return e.Err }

// Size formats a byte count the way the flags take it: 64MiB, 1.5GiB, 512B.
func Size(n int64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	f, u := float64(n), 0
	for f >= 1024 && u < len(units)-1 {
		f /= 1024
		u++
	}
	if u == 0 {
		return fmt.Sprintf("%dB", n)
	}
	return fmt.Sprintf("%.4g%s", f, units[u])
}

// CheckText reports whether head, the first bytes of an input read as text,
// looks like text, so that a binary file is called what it is and not
// reported as, say, a CSV quoting error. It is not text if it holds a NUL
// byte (binary formats almost all do within their first kilobytes), or if
// invalid UTF-8 makes up more than a tenth of it (random or compressed
// bytes); the error names the offset of the first such byte. A few invalid
// sequences in text are left to the reader, which reports their line.
func CheckText(head []byte) error {
	first, invalid := -1, 0
	for i := 0; i < len(head); {
		c := head[i]
		if c == 0 {
			return fmt.Errorf("not text: a NUL byte at offset %d (a binary file? give a text, gzip or zstd file)", i)
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && size == 1 && utf8.FullRune(head[i:]) {
			if first < 0 {
				first = i
			}
			invalid++
		}
		i += size
	}
	if invalid >= 8 && invalid*10 > len(head) {
		return fmt.Errorf("not text: %d bytes of invalid UTF-8 in the first %d, the first at offset %d (a binary file? give a text, gzip or zstd file)", invalid, len(head), first)
	}
	return nil
}
