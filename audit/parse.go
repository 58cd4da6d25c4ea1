package audit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
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

// fill turns the cells of a record into fields: it applies the
// normalisation, builds the prompt key and recognises abstentions.
func (p *parser) fill(rec []byte, f *fields) error {
	l := p.lay
	n := p.cfg.Normalize
	p.norm = p.norm[:0]
	p.prompt = p.prompt[:0]
	f.key = nil
	// The JSONL cells are in the order prompt..., answer, group, count.
	i := 0
	for k := range l.prompt {
		v := p.value(&l.prompt[k], i)
		i++
		if !n.Zero() {
			start := len(p.norm)
			p.norm = n.Append(p.norm, v)
			v = p.norm[start:len(p.norm):len(p.norm)]
		}
		p.prompt = append(p.prompt, v)
	}
	if l.keySpan {
		first, last := l.prompt[0].index, l.prompt[len(l.prompt)-1].index
		f.key = rec[p.starts[first] : p.starts[last]+len(p.cells[last])]
	}
	f.prompt = p.prompt
	f.hasAnswer, f.answer = false, nil
	if l.answer != nil {
		v := p.value(l.answer, i)
		i++
		if !n.Zero() {
			start := len(p.norm)
			p.norm = n.Append(p.norm, v)
			v = p.norm[start:len(p.norm):len(p.norm)]
		}
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
		v := p.value(l.group, i)
		i++
		if !n.Zero() {
			start := len(p.norm)
			p.norm = n.Append(p.norm, v)
			v = p.norm[start:len(p.norm):len(p.norm)]
		}
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

// splitJSON reads one JSON object and sets p.cells to the values of the
// configured fields in the order prompt..., answer, group, count. Strings
// are unquoted, numbers and booleans kept as written; a count given as an
// array becomes '[' followed by one byte per element, which fill reads.
func (p *parser) splitJSON(line []byte) error {
	l := p.lay
	names := p.jsonNames()
	p.cells = p.cells[:0]
	for range names {
		p.cells = append(p.cells, nil)
	}
	p.seen = p.seen[:0]
	for range names {
		p.seen = append(p.seen, false)
	}
	p.scratch = p.scratch[:0]
	spans := p.spans[:0]
	for range names {
		spans = append(spans, span{})
	}
	p.rd.Reset(line)
	p.dec.Reset(&p.rd)
	tok, err := p.dec.ReadToken()
	if err != nil {
		return fmt.Errorf("not a JSON object: %w", err)
	}
	if tok.Kind() != '{' {
		return fmt.Errorf("not a JSON object but %v", tok.Kind())
	}
	for p.dec.PeekKind() != '}' {
		name, err := p.dec.ReadValue()
		if err != nil {
			return fmt.Errorf("JSON: %w", err)
		}
		start := len(p.scratch)
		p.scratch, err = jsontext.AppendUnquote(p.scratch, name)
		if err != nil {
			return fmt.Errorf("JSON name %s: %w", name, err)
		}
		key := p.scratch[start:]
		p.scratch = p.scratch[:start]
		matched := false
		for k, want := range names {
			if want == "" || p.seen[k] || string(key) != want {
				continue
			}
			matched = true
			p.seen[k] = true
			if err := p.jsonValue(k, l, &spans[k]); err != nil {
				return &fieldError{want, err}
			}
			// The same field may serve several roles (say prompt and group).
			for k2 := k + 1; k2 < len(names); k2++ {
				if names[k2] == want {
					p.seen[k2] = true
					spans[k2] = spans[k]
				}
			}
			break
		}
		if !matched {
			if err := p.dec.SkipValue(); err != nil {
				return fmt.Errorf("JSON: %w", err)
			}
		}
	}
	if _, err := p.dec.ReadToken(); err != nil {
		return fmt.Errorf("JSON: %w", err)
	}
	if _, err := p.dec.ReadToken(); err != io.EOF {
		return errors.New("JSON: text after the object")
	}
	for k, want := range names {
		if want != "" && !p.seen[k] {
			return &fieldError{want, ErrMissingField}
		}
		if want != "" {
			p.cells[k] = p.scratch[spans[k].start:spans[k].end:spans[k].end]
		}
	}
	p.spans = spans
	return nil
}

// jsonNames returns the JSON field names of the configured columns in the
// order prompt..., answer, group, count; "" for FileColumn.
func (p *parser) jsonNames() []string {
	if p.names != nil {
		return p.names
	}
	l := p.lay
	for _, c := range l.prompt {
		p.names = append(p.names, c.name)
	}
	for _, c := range []*column{l.answer, l.group, l.count} {
		if c != nil {
			p.names = append(p.names, c.name)
		}
	}
	return p.names
}

// jsonValue reads the value of configured column k into the scratch space.
func (p *parser) jsonValue(k int, l *layout, sp *span) error {
	isCount := l.count != nil && k == len(p.names)-1
	sp.start = len(p.scratch)
	switch kind := p.dec.PeekKind(); kind {
	case '"':
		v, err := p.dec.ReadValue()
		if err != nil {
			return err
		}
		if p.scratch, err = jsontext.AppendUnquote(p.scratch, v); err != nil {
			return err
		}
	case '0', 't', 'f':
		v, err := p.dec.ReadValue()
		if err != nil {
			return err
		}
		p.scratch = append(p.scratch, v...)
	case '[':
		if !isCount {
			return errors.New("is an array")
		}
		if _, err := p.dec.ReadToken(); err != nil {
			return err
		}
		p.scratch = append(p.scratch, '[')
		for p.dec.PeekKind() != ']' {
			if err := p.dec.SkipValue(); err != nil {
				return err
			}
			p.scratch = append(p.scratch, 0)
		}
		if _, err := p.dec.ReadToken(); err != nil {
			return err
		}
	case 'n':
		return errors.New("is null")
	case '{':
		return errors.New("is an object")
	default:
		_, err := p.dec.ReadValue()
		if err == nil {
			err = fmt.Errorf("unexpected JSON %v", kind)
		}
		return err
	}
	sp.end = len(p.scratch)
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
