package evallog

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// fastLine decodes the common shape of a run-file line without the
// general decoder: one flat JSON object whose keys and strings have no
// escapes, whose values are strings, numbers, booleans, null or lists of
// strings. It returns ok = false, having changed nothing that matters, for
// anything else — escapes, nesting, malformed input — and the caller then
// decodes the line with jsontext, which also reports errors precisely.
// FuzzFastLine checks that both paths agree.
func (b *sampleBuilder) fastLine(raw []byte, keys *[nFields][]byte) bool {
	if b.nested() {
		return false // a dotted column is read from nested objects
	}
	p := fastParser{b: raw}
	if !p.byte('{') {
		return false
	}
	var seen [nFields]bool
	first := true
	for {
		p.space()
		if p.peek() == '}' {
			p.i++
			break
		}
		if !first && !p.byte(',') {
			return false
		}
		first = false
		p.space()
		key, ok := p.str()
		if !ok {
			return false
		}
		p.space()
		if !p.byte(':') {
			return false
		}
		p.space()
		f := -1
		for i := range keys {
			if k := keys[i]; k != nil && len(k) == len(key)+2 && string(k[1:len(k)-1]) == string(key) {
				f = i
				break
			}
		}
		if f >= 0 {
			if seen[f] {
				return false // duplicate member: let the general path decide
			}
			seen[f] = true
		}
		if !b.fastValue(&p, f) {
			return false
		}
	}
	p.space()
	return p.i == len(p.b)
}

// fastValue reads one value into field f (−1: skip it).
func (b *sampleBuilder) fastValue(p *fastParser, f int) bool {
	s := &b.s
	switch c := p.peek(); {
	case c == '"':
		v, ok := p.str()
		if !ok {
			return false
		}
		switch f {
		case fID:
			s.ID = string(v)
		case fQuestion:
			s.Question = string(v)
		case fResponse:
			s.Response = string(v)
		case fReason:
			s.Reason = string(v)
		case fModel:
			if string(v) == b.modelCache {
				s.Model = b.modelCache
			} else {
				s.Model = string(v)
			}
		case fGold, fAliases:
			s.Golds = append(s.Golds, string(v))
		case fGrade:
			b.setGrade(string(v))
		case fConfidence, fTarget:
			return false // a number in a string: the general path
		}
		return true
	case c == '[':
		if f >= 0 && f != fGold && f != fAliases {
			return false
		}
		p.i++
		p.space()
		if p.peek() == ']' {
			p.i++
			return true
		}
		for {
			p.space()
			v, ok := p.str()
			if !ok {
				return false
			}
			if f >= 0 {
				s.Golds = append(s.Golds, string(v))
			}
			p.space()
			if p.peek() == ']' {
				p.i++
				return true
			}
			if !p.byte(',') {
				return false
			}
		}
	case c == '-' || (c >= '0' && c <= '9'):
		num, ok := p.number()
		if !ok {
			return false
		}
		switch f {
		case fConfidence, fTarget:
			x, err := strconv.ParseFloat(string(num), 64)
			if err != nil {
				return false
			}
			if f == fConfidence {
				return b.setConfidence(x) == nil
			}
			return b.setTarget(x) == nil
		case -1:
			return true
		}
		return false // a number where text is expected: the general path
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range []string{"true", "false", "null"} {
			if bytes.HasPrefix(p.b[p.i:], []byte(lit)) {
				p.i += len(lit)
				switch {
				case f == -1 || lit == "null":
					return true
				case f == fGrade && (lit == "true" || lit == "false"):
					b.setGrade(lit)
					return true
				}
				return false
			}
		}
	}
	return false
}

type fastParser struct {
	b []byte
	i int
}

func (p *fastParser) peek() byte {
	if p.i < len(p.b) {
		return p.b[p.i]
	}
	return 0
}

func (p *fastParser) byte(c byte) bool {
	if p.peek() == c {
		p.i++
		return true
	}
	return false
}

func (p *fastParser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

// str reads a string without escapes or control characters, valid UTF-8,
// and returns its contents.
func (p *fastParser) str() ([]byte, bool) {
	if !p.byte('"') {
		return nil, false
	}
	start := p.i
	ascii := true
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			v := p.b[start:p.i]
			p.i++
			return v, ascii || utf8.Valid(v)
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= 0x80:
			ascii = false
		}
		p.i++
	}
	return nil, false
}

// number reads a JSON number (RFC 8259 §6 grammar).
func (p *fastParser) number() ([]byte, bool) {
	start := p.i
	p.byte('-')
	digits := func() int {
		n := 0
		for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.byte('0') {
		// no further integer digits allowed
	} else if digits() == 0 {
		return nil, false
	}
	if p.byte('.') && digits() == 0 {
		return nil, false
	}
	if p.peek() == 'e' || p.peek() == 'E' {
		p.i++
		if !p.byte('+') {
			p.byte('-')
		}
		if digits() == 0 {
			return nil, false
		}
	}
	return p.b[start:p.i], true
}
