package iiv

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// A Reader reads an instance in JSONL, one object per line:
//
//	{"context":"c1","mu":0.5,"response":"her mind","label":"valid","p":1,"phat":0.5}
//
// Fields: context (string, required); response (string, required); label
// (valid, error, idk or nonsense; required); mu (number, optional, see
// Row.Mu); p (number, optional, see Row.P); phat (number) or logprob (the
// natural logarithm of p̂, a number, or null for −∞): exactly one of the two.
// Other fields are ignored. Blank lines are skipped.
//
// The reader is a small hand-written scanner for this flat shape: it reads
// millions of rows per second, which a general JSON decoder does not.
//
// A line longer than MaxLine bytes is an error wrapping ErrLineTooLong:
// the reader holds one line at a time, so its memory stays bounded
// whatever the input (a small zstd file can expand to a single 4 GB line).
type Reader[T Scalar[T]] struct {
	// MaxLine is the longest line read, in bytes; 0 means DefaultMaxLine.
	MaxLine int

	br   *bufio.Reader
	line int
	ctx  string // the last context Read returned, reused while unchanged
	row  rawRow[T]
	s    scanner
}

// DefaultMaxLine is the default of Reader.MaxLine.
const DefaultMaxLine = 64 << 20

// ErrLineTooLong is the error of a line longer than Reader.MaxLine.
var ErrLineTooLong = errors.New("line longer than the limit")

// NewReader returns a Reader reading from r.
func NewReader[T Scalar[T]](r io.Reader) *Reader[T] {
	return &Reader[T]{br: bufio.NewReaderSize(r, 1<<20)}
}

// Read returns the next row, or io.EOF after the last. Errors name the line
// and field.
func (rd *Reader[T]) Read() (Row[T], error) {
	raw, err := rd.next()
	if err != nil {
		return Row[T]{}, err
	}
	if string(raw.context) != rd.ctx {
		rd.ctx = string(raw.context)
	}
	row := raw.Row
	row.Context, row.Response = rd.ctx, string(raw.response)
	return row, nil
}

// rawRow is a row as the reader scans it: its context and response are in
// the byte slices, which are valid until the next call of next, and not in
// the Row's strings.
type rawRow[T Scalar[T]] struct {
	context, response []byte
	Row[T]
}

// next reads the next row without allocating, or returns io.EOF after the
// last.
func (rd *Reader[T]) next() (*rawRow[T], error) {
	for {
		line, err := rd.br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			if line, err = rd.long(line); line == nil {
				return nil, err
			}
		}
		if len(line) > rd.maxLine() && len(bytes.TrimRight(line, "\r\n")) > rd.maxLine() {
			return nil, rd.tooLong()
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		if len(line) == 0 && errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		rd.line++
		if len(bytes.TrimSpace(line)) == 0 {
			if errors.Is(err, io.EOF) {
				return nil, io.EOF
			}
			continue
		}
		if perr := rd.parse(line); perr != nil {
			return nil, fmt.Errorf("line %d: %w", rd.line, perr)
		}
		rd.row.Line = rd.line
		return &rd.row, nil
	}
}

// long gathers a line longer than the read buffer, whose first part is
// head, up to the limit: in pieces, joined once its length is known, so
// that a line costs little more than twice its length at the peak. It
// returns a nil line with the error that stops reading.
func (rd *Reader[T]) long(head []byte) ([]byte, error) {
	limit := rd.maxLine()
	pieces := [][]byte{bytes.Clone(head)}
	n := len(head)
	var err error = bufio.ErrBufferFull
	for errors.Is(err, bufio.ErrBufferFull) {
		if n > limit {
			return nil, rd.tooLong()
		}
		var part []byte
		part, err = rd.br.ReadSlice('\n')
		pieces = append(pieces, bytes.Clone(part))
		n += len(part)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return bytes.Join(pieces, nil), err
}

func (rd *Reader[T]) maxLine() int {
	if rd.MaxLine > 0 {
		return rd.MaxLine
	}
	return DefaultMaxLine
}

// tooLong is the error of the next line, longer than the limit.
func (rd *Reader[T]) tooLong() error {
	return fmt.Errorf("line %d: %w of %s", rd.line+1, ErrLineTooLong, sizeString(rd.maxLine()))
}

// sizeString writes a byte count in MiB when it is a whole number of them.
func sizeString(n int) string {
	if n%(1<<20) == 0 {
		return strconv.Itoa(n>>20) + "MiB"
	}
	return strconv.Itoa(n) + " bytes"
}

// fieldError names the field a parse error is about.
func fieldError(field string, format string, args ...any) error {
	return fmt.Errorf("field %s: %s", field, fmt.Sprintf(format, args...))
}

// parse scans line into rd.row.
func (rd *Reader[T]) parse(line []byte) error {
	row := &rd.row
	row.Row = Row[T]{}
	var zero T
	s := &rd.s
	s.b, s.i = line, 0
	s.ws()
	if !s.eat('{') {
		return errors.New("not a JSON object")
	}
	var have struct{ ctx, rsp, label, phat, logprob bool }
	s.ws()
	if s.eat('}') {
		return errors.New("field context: missing")
	}
	for {
		s.ws()
		key, err := s.str()
		if err != nil {
			return fmt.Errorf("object key: %w", err)
		}
		s.ws()
		if !s.eat(':') {
			return fmt.Errorf("field %s: expected ':'", key)
		}
		s.ws()
		switch string(key) {
		case "context":
			v, err := s.str()
			if err != nil {
				return fieldError("context", "%v", err)
			}
			if have.ctx {
				return fieldError("context", "given twice")
			}
			have.ctx = true
			row.context = append(row.context[:0], v...)
		case "response":
			v, err := s.str()
			if err != nil {
				return fieldError("response", "%v", err)
			}
			if have.rsp {
				return fieldError("response", "given twice")
			}
			have.rsp = true
			row.response = append(row.response[:0], v...)
		case "label":
			v, err := s.str()
			if err != nil {
				return fieldError("label", "%v", err)
			}
			if have.label {
				return fieldError("label", "given twice")
			}
			have.label = true
			l, ok := labelNamed(v)
			if !ok {
				_, err := ParseLabel(string(v))
				return fieldError("label", "%v", err)
			}
			row.Label = l
		case "mu", "p", "phat":
			var name string // a constant, not string(key), which would allocate
			var dst *T
			var given *bool
			switch key[len(key)-1] {
			case 'u':
				name, dst, given = "mu", &row.Mu, &row.HasMu
			case 'p':
				name, dst, given = "p", &row.P, &row.HasP
			default:
				name, dst, given = "phat", &row.Phat, &have.phat
			}
			if *given {
				return fieldError(name, "given twice")
			}
			num, err := s.num()
			if err != nil {
				return fieldError(name, "%v", err)
			}
			v, err := zero.Parse(num)
			if err != nil || !isFinite(v.Float64()) {
				return fieldError(name, "invalid number %s", num)
			}
			*dst, *given = v, true
		case "logprob":
			if have.logprob {
				return fieldError("logprob", "given twice")
			}
			have.logprob = true
			if s.lit("null") {
				row.Phat = zero
				break
			}
			num, err := s.num()
			if err != nil {
				return fieldError("logprob", "%v", err)
			}
			lp, err := strconv.ParseFloat(string(num), 64)
			if err != nil || math.IsNaN(lp) || lp > 0 {
				return fieldError("logprob", "%s is not a log-probability (a number ≤ 0, or null for −∞)", num)
			}
			// exp is computed in float64 even in exact mode.
			row.Phat = zero.FromFloat(math.Exp(lp))
		default:
			if err := s.skip(0); err != nil {
				return fmt.Errorf("field %s: %w", key, err)
			}
		}
		s.ws()
		if s.eat('}') {
			break
		}
		if !s.eat(',') {
			return errors.New("expected ',' or '}' between fields")
		}
	}
	s.ws()
	if s.i != len(s.b) {
		return errors.New("trailing data after the object")
	}
	switch {
	case !have.ctx:
		return fieldError("context", "missing")
	case !have.rsp:
		return fieldError("response", "missing")
	case !have.label:
		return fieldError("label", "missing")
	case have.phat && have.logprob:
		return fieldError("phat", "give phat or logprob, not both")
	case !have.phat && !have.logprob:
		return fieldError("phat", "missing (give phat or logprob)")
	}
	return nil
}

// scanner is a minimal JSON scanner over one line.
type scanner struct {
	b   []byte
	i   int
	tmp []byte
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) eat(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

func (s *scanner) lit(word string) bool {
	if bytes.HasPrefix(s.b[s.i:], []byte(word)) {
		s.i += len(word)
		return true
	}
	return false
}

// str reads a JSON string and returns its decoded bytes, valid UTF-8. The
// result aliases the line or an internal buffer: copy it to keep it.
func (s *scanner) str() ([]byte, error) {
	if !s.eat('"') {
		return nil, errors.New("expected a string")
	}
	start := s.i
	ascii := true
	for s.i < len(s.b) {
		c := s.b[s.i]
		if !strStop[c] {
			s.i++
			continue
		}
		switch {
		case c == '"':
			v := s.b[start:s.i]
			s.i++
			if !ascii && !utf8.Valid(v) {
				return nil, errors.New("invalid UTF-8 in string")
			}
			return v, nil
		case c >= 0x80:
			ascii = false
		case c == '\\':
			return s.strSlow(start)
		default:
			return nil, errors.New("control character in string")
		}
		s.i++
	}
	return nil, errors.New("unterminated string")
}

// strStop marks the bytes that end str's fast scan: the quote, the
// backslash, control characters and the bytes of multi-byte UTF-8.
var strStop = func() (t [256]bool) {
	for c := range t {
		t[c] = c == '"' || c == '\\' || c < 0x20 || c >= 0x80
	}
	return t
}()

// strSlow decodes a string with escapes, from start (just after the quote).
func (s *scanner) strSlow(start int) ([]byte, error) {
	out := append(s.tmp[:0], s.b[start:s.i]...)
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			s.tmp = out
			if !utf8.Valid(out) {
				return nil, errors.New("invalid UTF-8 in string")
			}
			return out, nil
		case c < 0x20:
			return nil, errors.New("control character in string")
		case c != '\\':
			out = append(out, c)
			s.i++
			continue
		}
		if s.i+1 >= len(s.b) {
			break
		}
		e := s.b[s.i+1]
		s.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := s.hex4()
			if !ok {
				return nil, errors.New(`invalid \u escape`)
			}
			if utf16.IsSurrogate(r) {
				// As encoding/json: a valid pair decodes to one rune; a lone
				// surrogate becomes U+FFFD and the next escape is read anew.
				r1 := r
				r = utf8.RuneError
				if save := s.i; s.lit(`\u`) {
					if r2, ok := s.hex4(); ok {
						if dec := utf16.DecodeRune(r1, r2); dec != utf8.RuneError {
							r = dec
						} else {
							s.i = save
						}
					} else {
						s.i = save
					}
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return nil, fmt.Errorf(`invalid escape \%c`, e)
		}
	}
	return nil, errors.New("unterminated string")
}

func (s *scanner) hex4() (rune, bool) {
	if s.i+4 > len(s.b) {
		return 0, false
	}
	var r rune
	for _, c := range s.b[s.i : s.i+4] {
		r <<= 4
		switch {
		case '0' <= c && c <= '9':
			r |= rune(c - '0')
		case 'a' <= c && c <= 'f':
			r |= rune(c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	s.i += 4
	return r, true
}

// num reads a JSON number (RFC 8259 grammar) and returns its text.
func (s *scanner) num() ([]byte, error) {
	b, i := s.b, s.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = digits(b, i+1)
	default:
		return nil, errors.New("expected a number")
	}
	if i < len(b) && b[i] == '.' {
		j := digits(b, i+1)
		if j == i+1 {
			return nil, errors.New("invalid number: no digits after '.'")
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(b, i)
		if j == i {
			return nil, errors.New("invalid number: no digits in exponent")
		}
		i = j
	}
	v := b[s.i:i]
	s.i = i
	return v, nil
}

// digits returns the index of the first byte at or after i in b that is not
// a decimal digit.
func digits(b []byte, i int) int {
	for i < len(b) && '0' <= b[i] && b[i] <= '9' {
		i++
	}
	return i
}

// skip skips any JSON value (for fields the reader ignores).
func (s *scanner) skip(depth int) error {
	if depth > 64 {
		return errors.New("value nested too deeply")
	}
	s.ws()
	if s.i >= len(s.b) {
		return errors.New("expected a value")
	}
	switch c := s.b[s.i]; {
	case c == '"':
		_, err := s.str()
		return err
	case c == '{' || c == '[':
		closer := byte('}')
		if c == '[' {
			closer = ']'
		}
		s.i++
		s.ws()
		if s.eat(closer) {
			return nil
		}
		for {
			if c == '{' {
				s.ws()
				if _, err := s.str(); err != nil {
					return err
				}
				s.ws()
				if !s.eat(':') {
					return errors.New("expected ':'")
				}
			}
			if err := s.skip(depth + 1); err != nil {
				return err
			}
			s.ws()
			if s.eat(closer) {
				return nil
			}
			if !s.eat(',') {
				return errors.New("expected ',' in nested value")
			}
		}
	case s.lit("true"), s.lit("false"), s.lit("null"):
		return nil
	default:
		_, err := s.num()
		return err
	}
}
