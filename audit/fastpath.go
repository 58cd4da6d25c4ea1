package audit

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"

	"github.com/zeebo/xxh3"
)

// fastLines counts the TSV lines at the start of data for a layout that is
// fast (layout.fast: the prompt is consecutive columns used verbatim, the
// answer is one column, nothing else is read), as long as they are well
// formed. It reads data once, eight bytes at a time, across line
// boundaries, and hashes and batches each line without going through
// fields. It returns the number of lines consumed and the rest of data,
// which starts with a line the general path must handle (a ragged line or
// invalid UTF-8, to be reported), or is empty.
func (w *worker) fastLines(c *counter, p *parser, data []byte) (lines int64, rest []byte, err error) {
	l := p.lay
	tabs := p.tabs // len(tabs) = l.maxIndex+1
	start, ntabs, ascii := 0, 0, true
	line := func(end int) (bool, error) {
		rec := data[start:end]
		if len(rec) > 0 && rec[len(rec)-1] == '\r' {
			rec = rec[:len(rec)-1]
		}
		if len(rec) == 0 {
			return true, nil
		}
		if ntabs+1 != l.ncols || !ascii && !utf8.Valid(rec) {
			return false, nil
		}
		return true, w.fastRecord(c, p, rec, ntabs)
	}
	i, n := 0, len(data)
	for ; i+8 <= n; i += 8 {
		x := binary.LittleEndian.Uint64(data[i:])
		t, nl := x^tabs8, x^nls8
		// Flag lanes that are TAB, newline or non-ASCII; lanes above a true
		// TAB or newline may be flagged falsely, so each is checked by its byte.
		m := ((t-lanes1)&^t | (nl-lanes1)&^nl | x) & lanes8
		for m != 0 {
			j := i + bits.TrailingZeros64(m)>>3
			m &= m - 1
			switch b := data[j]; {
			case b == '\t':
				if ntabs < len(tabs) {
					tabs[ntabs] = j - start
				}
				ntabs++
			case b == '\n':
				ok, err := line(j)
				if err != nil || !ok {
					return lines, data[start:], err
				}
				lines++
				start, ntabs, ascii = j+1, 0, true
			case b >= 0x80:
				ascii = false
			}
		}
	}
	for ; i < n; i++ {
		switch b := data[i]; {
		case b == '\t':
			if ntabs < len(tabs) {
				tabs[ntabs] = i - start
			}
			ntabs++
		case b == '\n':
			ok, err := line(i)
			if err != nil || !ok {
				return lines, data[start:], err
			}
			lines++
			start, ntabs, ascii = i+1, 0, true
		case b >= 0x80:
			ascii = false
		}
	}
	if start < n { // the last line of the input, without a newline
		ok, err := line(n)
		if err != nil || !ok {
			return lines, data[start:], err
		}
		lines++
	}
	return lines, nil, nil
}

// fastRecord counts one well-formed line: the key and the answer are
// slices of it, found from the TAB offsets in p.tabs.
func (w *worker) fastRecord(c *counter, p *parser, rec []byte, ntabs int) error {
	l := p.lay
	tabs := p.tabs
	cellStart := func(k int) int {
		if k == 0 {
			return 0
		}
		return tabs[k-1] + 1
	}
	cellEnd := func(k int) int {
		if k < ntabs {
			return tabs[k]
		}
		return len(rec)
	}
	key := rec[cellStart(l.prompt[0].index):cellEnd(l.prompt[len(l.prompt)-1].index)]
	h := xxh3.Hash128(key)
	e := entry{key: Hash128{h.Hi, h.Lo}}
	w.records++
	answered := true
	if l.answer != nil {
		ans := rec[cellStart(l.answer.index):cellEnd(l.answer.index)]
		for _, idk := range p.idk {
			if string(ans) == string(idk) {
				answered = false
				break
			}
		}
		if answered {
			e.ans = fingerprint(xxh3.Hash(ans))
		}
	}
	if answered {
		w.answered++
		e.count = 1
	} else {
		w.abstained++
	}
	return c.push(w, e)
}
