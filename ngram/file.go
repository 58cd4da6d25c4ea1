package ngram

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"
)

// The model file format, little-endian throughout:
//
//	magic      8 bytes  "HALLUNGM"
//	version    uint32   FileVersion
//	tokenizer  uint32   TokenizerVersion of the rules the model was trained with
//	order      uint32   n
//	vocab      uint32   V
//	tokens     uint64   training tokens
//	per order k = 1..n:
//	  count    uint64   stored k-grams (V for k = 1)
//	  D1 D2 D3 float64  discounts
//	  n1..n4   uint64   count-of-counts
//	  fallback uint8    1 if the fallback discounts were used
//	V words:   uvarint byte length, then the UTF-8 bytes (ids 0 and 1 are EOS, UNK)
//	per order k = 1..n:
//	  word     count × uint32   (k > 1 only) last word of each k-gram
//	  logp     count × float32  ln p(word | history)
//	  logbo    count × float32  (k < n only) ln γ of the k-gram as a history
//	  child    (count+1) × uint32 (k < n only) first child in order k+1
//	crc        uint32   CRC-32C (Castagnoli) of every byte before it
const (
	fileMagic = "HALLUNGM"
	// FileVersion is the version of the model file format that WriteTo
	// writes and Load reads.
	FileVersion = 1
	// TokenizerVersion identifies the rules of Tokenize. A model file
	// records the version it was trained with, and Load refuses a model
	// whose version differs, since its words would no longer match.
	TokenizerVersion = 1
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// WriteTo writes the model in the binary format above. It implements
// io.WriterTo.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	crc := crc32.New(crcTable)
	bw := bufio.NewWriterSize(io.MultiWriter(cw, crc), 1<<16)
	e := encoder{w: bw}
	e.bytes([]byte(fileMagic))
	e.u32(FileVersion)
	e.u32(TokenizerVersion)
	e.u32(uint32(m.order))
	e.u32(uint32(len(m.words)))
	e.u64(uint64(m.tokens))
	for k, lv := range m.levels {
		d := m.discounts[k]
		e.u64(uint64(len(lv.logp)))
		e.f64(d.D1)
		e.f64(d.D2)
		e.f64(d.D3)
		for _, c := range d.N {
			e.u64(uint64(c))
		}
		fb := byte(0)
		if d.Fallback {
			fb = 1
		}
		e.bytes([]byte{fb})
	}
	for _, w := range m.words {
		e.bytes(binary.AppendUvarint(nil, uint64(len(w))))
		e.bytes([]byte(w))
	}
	for _, lv := range m.levels {
		for _, w := range lv.word {
			e.u32(uint32(w))
		}
		for _, x := range lv.logp {
			e.u32(math.Float32bits(x))
		}
		for _, x := range lv.logbo {
			e.u32(math.Float32bits(x))
		}
		for _, c := range lv.child {
			e.u32(c)
		}
	}
	if e.err == nil {
		e.err = bw.Flush()
	}
	if e.err == nil {
		_, e.err = cw.Write(binary.LittleEndian.AppendUint32(nil, crc.Sum32()))
	}
	return cw.n, e.err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// encoder writes little-endian values and keeps the first error.
type encoder struct {
	w   *bufio.Writer
	buf [8]byte
	err error
}

func (e *encoder) bytes(b []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
}
func (e *encoder) u32(x uint32) { binary.LittleEndian.PutUint32(e.buf[:4], x); e.bytes(e.buf[:4]) }
func (e *encoder) u64(x uint64) { binary.LittleEndian.PutUint64(e.buf[:], x); e.bytes(e.buf[:]) }
func (e *encoder) f64(x float64) {
	e.u64(math.Float64bits(x))
}

// ErrFormat is wrapped by every error Load returns for a file that is not a
// valid model (as opposed to an error of the reader).
var ErrFormat = errors.New("not a valid hallu n-gram model")

// Load reads a model written by WriteTo, checking its magic, versions,
// structure and checksum. It allocates memory as data arrives, so a
// corrupt header cannot make it reserve more than the file holds.
func Load(r io.Reader) (*Model, error) {
	d := decoder{r: bufio.NewReaderSize(r, 1<<16), crc: crc32.New(crcTable)}
	m, err := d.model()
	if err != nil {
		return nil, err
	}
	want := d.crc.Sum32()
	got, err := d.u32("checksum")
	if err != nil {
		return nil, err
	}
	if got != want {
		return nil, fmt.Errorf("ngram: model file checksum %08x, want %08x: %w", got, want, ErrFormat)
	}
	m.index()
	return m, nil
}

// decoder reads the fields of a model file and tracks the byte offset for
// error messages.
type decoder struct {
	r   io.Reader
	crc hash.Hash32 // of every byte read so far
	off int64
	buf [8]byte
}

func (d *decoder) fail(field string, err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	if errors.Is(err, io.ErrUnexpectedEOF) { // truncated
		return fmt.Errorf("ngram: model file at byte %d (%s): %w: %w", d.off, field, ErrFormat, err)
	}
	return fmt.Errorf("ngram: model file at byte %d (%s): %w", d.off, field, err)
}

func (d *decoder) invalid(field, format string, args ...any) error {
	return fmt.Errorf("ngram: model file at byte %d (%s): %s: %w", d.off, field, fmt.Sprintf(format, args...), ErrFormat)
}

func (d *decoder) read(field string, p []byte) error {
	n, err := io.ReadFull(d.r, p)
	d.off += int64(n)
	d.crc.Write(p[:n])
	if err != nil {
		return d.fail(field, err)
	}
	return nil
}

// uvarint reads an unsigned varint (encoding/binary's format).
func (d *decoder) uvarint(field string) (uint64, error) {
	var x uint64
	for shift := 0; shift < 64; shift += 7 {
		if err := d.read(field, d.buf[:1]); err != nil {
			return 0, err
		}
		b := d.buf[0]
		x |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return x, nil
		}
	}
	return 0, d.invalid(field, "varint overflows 64 bits")
}

func (d *decoder) u32(field string) (uint32, error) {
	err := d.read(field, d.buf[:4])
	return binary.LittleEndian.Uint32(d.buf[:4]), err
}

func (d *decoder) u64(field string) (uint64, error) {
	err := d.read(field, d.buf[:])
	return binary.LittleEndian.Uint64(d.buf[:]), err
}

// u32s reads count uint32 values in chunks, so that memory grows only as
// data actually arrives.
func (d *decoder) u32s(field string, count uint64) ([]uint32, error) {
	const chunk = 1 << 14
	out := make([]uint32, 0, min(count, chunk))
	buf := make([]byte, 4*chunk)
	for uint64(len(out)) < count {
		c := min(count-uint64(len(out)), chunk)
		if err := d.read(field, buf[:4*c]); err != nil {
			return nil, err
		}
		for i := range c {
			out = append(out, binary.LittleEndian.Uint32(buf[4*i:]))
		}
	}
	return out, nil
}

func (d *decoder) f32s(field string, count uint64) ([]float32, error) {
	u, err := d.u32s(field, count)
	if err != nil {
		return nil, err
	}
	out := make([]float32, len(u))
	for i, x := range u {
		out[i] = math.Float32frombits(x)
		if x := float64(out[i]); math.IsNaN(x) || math.IsInf(x, 0) || x > 1e-3 {
			return nil, d.invalid(field, "entry %d is %v, not the log of a positive probability", i, x)
		}
	}
	return out, nil
}

// maxWordBytes bounds the length of one vocabulary word in a model file.
const maxWordBytes = 1 << 16

func (d *decoder) model() (*Model, error) {
	var magic [len(fileMagic)]byte
	if err := d.read("magic", magic[:]); err != nil {
		return nil, err
	}
	if string(magic[:]) != fileMagic {
		return nil, d.invalid("magic", "got %q, want %q", magic[:], fileMagic)
	}
	version, err := d.u32("version")
	if err != nil {
		return nil, err
	}
	if version != FileVersion {
		return nil, d.invalid("version", "file format version %d; this hallu reads version %d", version, FileVersion)
	}
	tok, err := d.u32("tokenizer")
	if err != nil {
		return nil, err
	}
	if tok != TokenizerVersion {
		return nil, d.invalid("tokenizer", "trained with tokenizer version %d; this hallu tokenizes by version %d: retrain the model", tok, TokenizerVersion)
	}
	order, err := d.u32("order")
	if err != nil {
		return nil, err
	}
	if order < 1 || order > MaxOrder {
		return nil, d.invalid("order", "order %d out of range [1, %d]", order, MaxOrder)
	}
	vocab, err := d.u32("vocab")
	if err != nil {
		return nil, err
	}
	if vocab < 2 {
		return nil, d.invalid("vocab", "vocabulary of %d words; EOS and UNK are required", vocab)
	}
	tokens, err := d.u64("tokens")
	if err != nil {
		return nil, err
	}
	m := &Model{
		order:     int(order),
		levels:    make([]level, order),
		discounts: make([]Discount, order),
		tokens:    int(min(tokens, math.MaxInt)),
	}
	counts := make([]uint64, order)
	for k := range counts {
		f := fmt.Sprintf("order %d header", k+1)
		if counts[k], err = d.u64(f); err != nil {
			return nil, err
		}
		switch {
		case k == 0 && counts[k] != uint64(vocab):
			return nil, d.invalid(f, "%d unigrams for a vocabulary of %d", counts[k], vocab)
		case counts[k] >= math.MaxUint32:
			return nil, d.invalid(f, "%d n-grams; at most %d fit", counts[k], uint64(math.MaxUint32-1))
		}
		dk := &m.discounts[k]
		for _, p := range []*float64{&dk.D1, &dk.D2, &dk.D3} {
			u, err := d.u64(f)
			if err != nil {
				return nil, err
			}
			*p = math.Float64frombits(u)
			if !(*p >= 0 && *p <= 3) {
				return nil, d.invalid(f, "discount %v out of range [0, 3]", *p)
			}
		}
		for i := range dk.N {
			u, err := d.u64(f)
			if err != nil {
				return nil, err
			}
			dk.N[i] = int(min(u, math.MaxInt))
		}
		var fb [1]byte
		if err := d.read(f, fb[:]); err != nil {
			return nil, err
		}
		dk.Fallback = fb[0] == 1
	}
	if err := d.vocab(m, vocab); err != nil {
		return nil, err
	}
	for k := range m.levels {
		if err := d.level(m, k, counts); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (d *decoder) vocab(m *Model, vocab uint32) error {
	seen := make(map[string]bool)
	for i := range vocab {
		field := fmt.Sprintf("word %d", i)
		n, err := d.uvarint(field)
		if err != nil {
			return err
		}
		if n > maxWordBytes {
			return d.invalid(field, "length %d exceeds %d", n, maxWordBytes)
		}
		b := make([]byte, n)
		if err := d.read(field, b); err != nil {
			return err
		}
		w := string(b)
		switch {
		case i == uint32(EOSID) && w != EOS, i == uint32(UNKID) && w != UNK:
			return d.invalid(field, "got %q, want %q", w, []string{EOS, UNK}[i])
		case seen[w]:
			return d.invalid(field, "%q appears twice", w)
		}
		seen[w] = true
		m.words = append(m.words, w)
	}
	return nil
}

func (d *decoder) level(m *Model, k int, counts []uint64) error {
	n, V := len(counts), uint32(len(m.words))
	lv := &m.levels[k]
	name := func(f string) string { return fmt.Sprintf("order %d %s", k+1, f) }
	if k > 0 {
		words, err := d.u32s(name("words"), counts[k])
		if err != nil {
			return err
		}
		lv.word = make([]WordID, len(words))
		for i, w := range words {
			if w >= V {
				return d.invalid(name("words"), "entry %d: word id %d ≥ vocabulary %d", i, w, V)
			}
			lv.word[i] = WordID(w)
		}
		// Children of each entry of the level below must be strictly increasing.
		parent := m.levels[k-1].child
		for i := 0; i+1 < len(parent); i++ {
			for j := parent[i] + 1; j < parent[i+1]; j++ {
				if lv.word[j] <= lv.word[j-1] {
					return d.invalid(name("words"), "entry %d: children not in increasing word order", j)
				}
			}
		}
	}
	var err error
	if lv.logp, err = d.f32s(name("logp"), counts[k]); err != nil {
		return err
	}
	if k == n-1 {
		return nil
	}
	if lv.logbo, err = d.f32s(name("logbo"), counts[k]); err != nil {
		return err
	}
	if lv.child, err = d.u32s(name("child"), counts[k]+1); err != nil {
		return err
	}
	if lv.child[0] != 0 || uint64(lv.child[counts[k]]) != counts[k+1] {
		return d.invalid(name("child"), "child ranges do not cover order %d", k+2)
	}
	for i := 1; i < len(lv.child); i++ {
		if lv.child[i] < lv.child[i-1] {
			return d.invalid(name("child"), "entry %d: child ranges decrease", i)
		}
	}
	return nil
}
