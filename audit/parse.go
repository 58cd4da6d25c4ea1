package audit

import (
	"bytes"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// parser extracts the configured fields of one record at a time. It is
// used by one goroutine; the fields it returns point into the record or
// into its scratch space and are valid until the next call.
type parser struct {
	cfg    *Config
	lay    *layout
	format Format
	idk    [][]byte

	cells   [][]byte // TSV/CSV cells, or JSONL values by column
	starts  []int    // TSV: offset of each cell in the line
	tabs    []int    // TSV: offsets of the TABs that end the needed cells
	spans   []span   // CSV cells before they are materialised
	scratch []byte   // unquoted CSV and JSON values
	norm    []byte   // normalised values
	prompt  [][]byte

	dec   *jsontext.Decoder
	rd    bytes.Reader
	seen  []bool   // JSONL: which configured columns were found
	names []string // JSONL: field names of the configured columns
}

// span is a CSV cell: a range of the record, or of the scratch space.
type span struct {
	scratch    bool
	start, end int
}

func newParser(cfg *Config, format Format) *parser {
	p := &parser{cfg: cfg, format: format}
	for _, v := range cfg.IDK {
		p.idk = append(p.idk, cfg.Normalize.Append(nil, []byte(v)))
	}
	if format == JSONL {
		p.dec = jsontext.NewDecoder(&p.rd)
	}
	return p
}

// parseTSV fills f from one TSV line, given without its terminator, whose
// TABs scanLine has found: ntabs of them, the first ones at p.tabs.
func (p *parser) parseTSV(line []byte, ntabs int, ascii bool, f *fields) error {
	if !ascii && !utf8.Valid(line) {
		return ErrInvalidUTF8
	}
	if p.cfg.Kind == Counted {
		return p.counted(line, f)
	}
	if ntabs+1 != p.lay.ncols {
		return fmt.Errorf("%w: %d, the first record has %d", ErrRagged, ntabs+1, p.lay.ncols)
	}
	p.cells = p.cells[:0]
	p.starts = p.starts[:0]
	start := 0
	for k := 0; k <= p.lay.maxIndex; k++ {
		end := len(line)
		if k < ntabs {
			end = p.tabs[k]
		}
		p.cells = append(p.cells, line[start:end])
		p.starts = append(p.starts, start)
		start = end + 1
	}
	return p.fill(line, f)
}

// parse fills f from one CSV or JSONL record, given without its line terminator.
func (p *parser) parse(rec []byte, f *fields) error {
	if p.format == CSV && !utf8.Valid(rec) { // the JSON decoder checks on its own
		return ErrInvalidUTF8
	}
	var err error
	switch p.format {
	case CSV:
		err = p.splitCSV(rec)
	case JSONL:
		err = p.splitJSON(rec)
	}
	if err != nil {
		return err
	}
	return p.fill(rec, f)
}

// counted parses a key⇥count line: the key is everything before the last
// TAB, so that a key made of several TAB-separated fields is the same key
// that Key makes of them.
func (p *parser) counted(rec []byte, f *fields) error {
	i := bytes.LastIndexByte(rec, '\t')
	if i < 0 {
		return fmt.Errorf("%w: no TAB before the count", ErrRagged)
	}
	c, err := parseCount(rec[i+1:])
	if err != nil {
		return &fieldError{"count", err}
	}
	*f = fields{prompt: f.prompt[:0], key: rec[:i], hasAnswer: true, count: c}
	return nil
}

// value returns the raw value of a resolved column.
func (p *parser) value(c *column, i int) []byte {
	if c.file {
		return p.lay.fileValue
	}
	if p.format == JSONL {
		return p.cells[i]
	}
	return p.cells[c.index]
}

// normalize returns v under the configured normalisation, kept in p.norm
// until the next record, or v itself when there is none. It is small enough
// to inline, so records without normalisation pay no call.
func (p *parser) normalize(v []byte) []byte {
	if p.cfg.Normalize.Zero() {
		return v
	}
	return p.appendNormalized(v)
}

func (p *parser) appendNormalized(v []byte) []byte {
	start := len(p.norm)
	p.norm = p.cfg.Normalize.Append(p.norm, v)
	return p.norm[start:len(p.norm):len(p.norm)]
}

// fill turns the cells of a record into fields: it applies the
// normalisation, builds the prompt key and recognises abstentions.
func (p *parser) fill(rec []byte, f *fields) error {
	l := p.lay
	p.norm = p.norm[:0]
	p.prompt = p.prompt[:0]
	f.key = nil
	// The JSONL cells are in the order prompt..., answer, group, count.
	i := 0
	for k := range l.prompt {
		v := p.normalize(p.value(&l.prompt[k], i))
		i++
		p.prompt = append(p.prompt, v)
	}
	if l.keySpan {
		first, last := l.prompt[0].index, l.prompt[len(l.prompt)-1].index
		f.key = rec[p.starts[first] : p.starts[last]+len(p.cells[last])]
	}
	f.prompt = p.prompt
	f.hasAnswer, f.answer = false, nil
	if l.answer != nil {
		v := p.normalize(p.value(l.answer, i))
		i++
		f.answer = v
		f.hasAnswer = true
		for _, idk := range p.idk {
			if bytes.Equal(v, idk) {
				f.hasAnswer = false
				break
			}
		}
	} else {
		f.hasAnswer = true
	}
	f.group = nil
	if l.group != nil {
		v := p.normalize(p.value(l.group, i))
		i++
		f.group = v
		if f.group == nil {
			f.group = []byte{}
		}
	}
	f.count = 1
	if l.count != nil {
		v := p.value(l.count, i)
		if p.format == JSONL && len(v) > 0 && v[0] == '[' {
			f.count = int64(len(v) - 1) // set by splitJSON: '[' then one byte per element
		} else {
			c, err := parseCount(v)
			if err != nil {
				return &fieldError{l.count.spec, err}
			}
			f.count = c
		}
	}
	return nil
}

// header parses the header line of a TSV or CSV file into column names.
func (p *parser) header(line []byte) ([]string, error) {
	if !utf8.Valid(line) {
		return nil, ErrInvalidUTF8
	}
	var cells [][]byte
	if p.format == CSV {
		if _, err := p.csvCells(line); err != nil {
			return nil, err
		}
		cells = p.cells
	} else {
		cells = bytes.Split(line, []byte{'\t'})
	}
	names := make([]string, len(cells))
	for i, c := range cells {
		names[i] = string(c)
	}
	if i := slices.IndexFunc(names, func(s string) bool { return s == "" }); i >= 0 {
		return names, fmt.Errorf("header column %d has no name", i+1)
	}
	return names, nil
}

// countColumns returns the number of columns of a TSV or CSV record.
func (p *parser) countColumns(rec []byte) (int, error) {
	if p.format == CSV {
		return p.csvCells(rec)
	}
	return bytes.Count(rec, []byte{'\t'}) + 1, nil
}
