package audit

import (
	"errors"
	"fmt"
	"io"

	"github.com/go-json-experiment/json/jsontext"
)

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
