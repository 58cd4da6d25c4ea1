package audit

import (
	"bytes"
	"fmt"
)

func (p *parser) splitCSV(rec []byte) error {
	cells, err := p.csvCells(rec)
	if err != nil {
		return err
	}
	if cells != p.lay.ncols {
		return fmt.Errorf("%w: %d, the first record has %d", ErrRagged, cells, p.lay.ncols)
	}
	return nil
}

// csvCells splits an RFC 4180 record into p.cells and returns their
// number. Quoted cells are unquoted into the scratch space.
func (p *parser) csvCells(rec []byte) (int, error) {
	p.spans = p.spans[:0]
	p.scratch = p.scratch[:0]
	pos := 0
	for {
		if pos < len(rec) && rec[pos] == '"' {
			pos++
			start := len(p.scratch)
			for {
				i := bytes.IndexByte(rec[pos:], '"')
				if i < 0 {
					return 0, fmt.Errorf("%w: quoted cell %d never closed", ErrBadQuote, len(p.spans)+1)
				}
				p.scratch = append(p.scratch, rec[pos:pos+i]...)
				pos += i + 1
				if pos < len(rec) && rec[pos] == '"' {
					p.scratch = append(p.scratch, '"')
					pos++
					continue
				}
				break
			}
			if pos < len(rec) && rec[pos] != ',' {
				return 0, fmt.Errorf("%w: text after the closing quote of cell %d", ErrBadQuote, len(p.spans)+1)
			}
			p.spans = append(p.spans, span{scratch: true, start: start, end: len(p.scratch)})
		} else {
			end := len(rec)
			if i := bytes.IndexByte(rec[pos:], ','); i >= 0 {
				end = pos + i
			}
			if bytes.IndexByte(rec[pos:end], '"') >= 0 {
				return 0, fmt.Errorf("%w: quote inside unquoted cell %d", ErrBadQuote, len(p.spans)+1)
			}
			p.spans = append(p.spans, span{start: pos, end: end})
			pos = end
		}
		if pos >= len(rec) {
			break
		}
		pos++ // the comma
	}
	p.cells = p.cells[:0]
	for _, s := range p.spans {
		if s.scratch {
			p.cells = append(p.cells, p.scratch[s.start:s.end:s.end])
		} else {
			p.cells = append(p.cells, rec[s.start:s.end:s.end])
		}
	}
	return len(p.cells), nil
}
