package audit

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/hallu-dev/hallu/internal/input"
)

// The reader side of a pass: one goroutine reads the sources in order and
// cuts them into chunks of whole records, which the workers parse.

// read cuts all sources into chunks.
func (sc *scanner) read(ctx context.Context) error {
	var seq int64
	var carry []byte
	for i, src := range sc.sources {
		if sc.stopped() {
			return nil
		}
		var err error
		if carry, err = sc.readSource(ctx, i, src, &seq, carry[:0]); err != nil {
			return err
		}
	}
	return nil
}

func (sc *scanner) readSource(ctx context.Context, idx int, src Source, seq *int64, carry []byte) ([]byte, error) {
	rc, err := src.Open()
	if err != nil {
		return carry, err
	}
	defer rc.Close()
	format := formatOf(sc.cfg.Format, src.Name)
	if sc.cfg.Kind == Counted {
		format = TSV // key⇥count lines, whatever the file is called
	}
	// big: this goroutine holds sc.big, for a buffer longer than a chunk.
	big := false
	defer func() {
		if big {
			<-sc.big
		}
	}()
	var lay *layout
	line := int64(1)
	first, eof := true, false
	for !eof {
		var buf []byte
		select {
		case buf = <-sc.pool:
		case <-ctx.Done():
			return carry, ctx.Err()
		}
		if sc.stopped() {
			sc.put(buf)
			return carry, nil
		}
		want := bufferSize(src.Size)
		if g := int64(2 * len(carry)); g > int64(want) {
			want = int(min(g, sc.maxRecord+1))
		}
		if cap(buf) < want {
			if want > chunkBytes && !big {
				select {
				case sc.big <- struct{}{}:
					big = true
				case <-ctx.Done():
					sc.put(buf)
					return carry, ctx.Err()
				}
			}
			buf = make([]byte, want) // in the pool's place of the old one
		}
		buf = buf[:cap(buf)]
		n := copy(buf, carry)
		for n < len(buf) && !eof {
			m, err := rc.Read(buf[n:])
			n += m
			if err == io.EOF {
				eof = true
			} else if err != nil {
				sc.put(buf)
				return carry, fmt.Errorf("%s: %w", src.Name, err)
			}
		}
		if p := sc.cfg.Progress; p != nil {
			p.Bytes.Add(int64(n - len(carry)))
		}
		data := buf[:n]
		start := 0
		if first {
			if len(carry) == 0 {
				if bytes.HasPrefix(data, bom) {
					start = len(bom)
				}
				if err := input.CheckText(data[start:min(len(data), start+textCheckBytes)]); err != nil {
					sc.put(buf)
					return carry, fmt.Errorf("%s: %w", src.Name, err)
				}
			}
			// Blank lines are no records; skip them to find the first one.
			for start < len(data) && (data[start] == '\n' || data[start] == '\r') {
				if data[start] == '\n' {
					line++
				}
				start++
			}
			end := recordEnd(data[start:], format)
			if end < 0 && !eof {
				if int64(len(data)-start) > sc.maxRecord {
					sc.put(buf)
					return carry, sc.tooLong(src.Name, line, format)
				}
				carry = append(carry[:0], data[start:]...)
				sc.put(buf)
				continue
			}
			first = false
			hdr, skip, err := sc.layout(format, src.Name, data[start:], end, eof)
			if err != nil {
				sc.put(buf)
				return carry, err
			}
			lay = hdr
			if skip > 0 {
				line += int64(bytes.Count(data[start:start+skip], []byte{'\n'}))
				start += skip
			}
		}
		cut := len(data)
		if !eof {
			cut = start + lastBoundary(data[start:], format)
			if cut == start {
				if int64(len(data)-start) > sc.maxRecord {
					sc.put(buf)
					return carry, sc.tooLong(src.Name, line, format)
				}
				carry = append(carry[:0], data[start:]...)
				sc.put(buf)
				continue
			}
		}
		c := &chunk{seq: *seq, src: idx, format: format, lay: lay, line: line, data: data[start:cut], buf: buf, big: big}
		big = false // the worker that parses c gives sc.big back
		*seq++
		line += int64(bytes.Count(c.data, []byte{'\n'}))
		if cap(carry) > chunkBytes {
			carry = nil // a long record's room is given back with its chunk
		}
		carry = append(carry[:0], data[cut:]...)
		select {
		case sc.chunks <- c:
		case <-ctx.Done():
			sc.put(c.buf)
			if c.big {
				<-sc.big
			}
			return carry, ctx.Err()
		}
	}
	return carry, nil
}

// textCheckBytes is how much of the start of each source is checked to be
// text (input.CheckText) before it is parsed.
const textCheckBytes = 64 << 10

// tooLong is the error of a record, starting at line, that is longer than
// sc.maxRecord.
func (sc *scanner) tooLong(name string, line int64, format Format) error {
	var err error = &LimitError{What: "record", Limit: sc.maxRecord, Option: sc.limitOption, Err: ErrTooLong}
	if format == CSV {
		err = fmt.Errorf("%w (in CSV, a quote that is never closed makes the rest of the file one record)", err)
	}
	return &RecordError{File: name, Line: line, Err: err}
}

// put gives a read buffer back to the pool; one longer than a chunk is
// dropped, so that the room of a long record is not kept.
func (sc *scanner) put(buf []byte) {
	if cap(buf) > chunkBytes {
		buf = nil
	}
	sc.pool <- buf
}

// bufferSize is the size of the read buffers for a source of the given
// size (0 if unknown): a chunk, or less for a small source.
func bufferSize(size int64) int {
	if size > 0 && size < chunkBytes {
		return int(size) + 1 // room to see the end of the input
	}
	return chunkBytes
}

// layout resolves the columns of a source from its first record, which
// ends at end (−1: the data holds only part of it, at EOF). It returns the
// number of bytes of header to skip.
func (sc *scanner) layout(format Format, name string, data []byte, end int, eof bool) (*layout, int, error) {
	if end < 0 {
		end = len(data)
	}
	rec := trimCR(data[:end])
	if sc.cfg.Kind == Counted {
		if sc.cfg.Header {
			return &layout{}, min(end+1, len(data)), nil
		}
		return &layout{}, 0, nil
	}
	if format == JSONL {
		l, err := sc.cfg.resolve(format, name, nil, 0)
		return l, 0, err
	}
	p := newParser(sc.cfg, format)
	if len(rec) == 0 && end == len(data) {
		// An empty file: nothing to resolve against, nothing to read.
		return &layout{}, len(data), nil
	}
	if sc.cfg.Header || sc.cfg.needsHeader() {
		names, err := p.header(rec)
		if err != nil {
			return nil, 0, &RecordError{File: name, Line: 1, Err: fmt.Errorf("header: %w", err)}
		}
		l, err := sc.cfg.resolve(format, name, names, len(names))
		return l, min(end+1, len(data)), err
	}
	n, err := p.countColumns(rec)
	if err != nil {
		return nil, 0, &RecordError{File: name, Line: 1, Err: err}
	}
	l, err := sc.cfg.resolve(format, name, nil, n)
	return l, 0, err
}

// recordEnd returns the index of the newline ending the first record of
// data, or −1 if data holds no whole record.
func recordEnd(data []byte, format Format) int {
	if format != CSV {
		return bytes.IndexByte(data, '\n')
	}
	quotes, pos := 0, 0
	for {
		i := bytes.IndexByte(data[pos:], '\n')
		if i < 0 {
			return -1
		}
		quotes += bytes.Count(data[pos:pos+i], []byte{'"'})
		if quotes%2 == 0 {
			return pos + i
		}
		pos += i + 1
	}
}

// lastBoundary returns the length of the longest prefix of data made of
// whole records (each ending in a newline).
func lastBoundary(data []byte, format Format) int {
	if format != CSV || bytes.IndexByte(data, '"') < 0 {
		return bytes.LastIndexByte(data, '\n') + 1
	}
	cut, quotes, pos := 0, 0, 0
	for {
		i := bytes.IndexByte(data[pos:], '\n')
		if i < 0 {
			return cut
		}
		quotes += bytes.Count(data[pos:pos+i], []byte{'"'})
		pos += i + 1
		if quotes%2 == 0 {
			cut = pos
		}
	}
}

func trimCR(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] == '\r' {
		return b[:len(b)-1]
	}
	return b
}
