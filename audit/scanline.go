package audit

import (
	"encoding/binary"
	"math/bits"
)

// SWAR constants: a byte repeated in every lane of a word, and each lane's high bit.
const (
	lanes1 = 0x0101010101010101
	lanes8 = 0x8080808080808080
	tabs8  = lanes1 * '\t'
	nls8   = lanes1 * '\n'
)

// scanLine reads the first line of data in one pass, eight bytes at a time:
// it returns the index of the line's '\n' (len(data) if none), the number
// of TABs in the line, and whether the line is pure ASCII; the offsets of
// the first len(tabs) TABs go to tabs. This one pass replaces finding the
// line end, splitting the line and validating its UTF-8, which is what the
// speed of TSV auditing rests on.
func scanLine(data []byte, tabs []int) (end, ntabs int, ascii bool) {
	var high uint64
	i := 0
	for ; i+8 <= len(data); i += 8 {
		x := binary.LittleEndian.Uint64(data[i:])
		t, n := x^tabs8, x^nls8
		// A lane is flagged if it is zero in t or n; lanes above a true
		// zero may be flagged falsely, so each is checked by its byte.
		m := ((t-lanes1)&^t | (n-lanes1)&^n) & lanes8
		for m != 0 {
			lane := bits.TrailingZeros64(m) >> 3
			m &= m - 1
			switch data[i+lane] {
			case '\n':
				high |= x & (1<<(8*lane) - 1)
				return i + lane, ntabs, high&lanes8 == 0
			case '\t':
				if ntabs < len(tabs) {
					tabs[ntabs] = i + lane
				}
				ntabs++
			}
		}
		high |= x
	}
	for ; i < len(data); i++ {
		switch c := data[i]; {
		case c == '\n':
			return i, ntabs, high&lanes8 == 0
		case c == '\t':
			if ntabs < len(tabs) {
				tabs[ntabs] = i
			}
			ntabs++
		case c >= 0x80:
			high |= lanes8
		}
	}
	return len(data), ntabs, high&lanes8 == 0
}
