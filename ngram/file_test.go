package ngram

import (
	"bytes"
	"errors"
	"io"
	"math"
	"slices"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	for _, order := range []int{1, 2, 3, 5} {
		m := train(t, order, "The cat sat on the mat. The dog sat on the log!\n\nA cat? A dog.")
		var buf bytes.Buffer
		n, err := m.WriteTo(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if n != int64(buf.Len()) {
			t.Errorf("order %d: WriteTo reported %d bytes, wrote %d", order, n, buf.Len())
		}
		got, err := Load(&buf)
		if err != nil {
			t.Fatalf("order %d: Load: %v", order, err)
		}
		if got.Order() != order || !slices.Equal(got.words, m.words) || !slices.Equal(got.NGrams(), m.NGrams()) ||
			!slices.Equal(got.Discounts(), m.Discounts()) || got.TrainingTokens() != m.TrainingTokens() {
			t.Fatalf("order %d: loaded model differs in its header", order)
		}
		for _, h := range [][]WordID{nil, Start(), {m.ID("the")}, {m.ID("the"), m.ID("cat")}, {EOSID, m.ID("a"), m.ID("cat")}} {
			for w := range m.VocabSize() {
				if a, b := m.LogProb(h, WordID(w)), got.LogProb(h, WordID(w)); a != b {
					t.Fatalf("order %d: ln p(%s|%v) = %v before saving, %v after", order, m.Word(WordID(w)), h, a, b)
				}
			}
		}
	}
}

func modelBytes(t testing.TB) []byte {
	m := train(t, 3, "a b a c. b a b! c c a?")
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestLoadRejects: each kind of damage is an ErrFormat naming what is wrong,
// and a read error is passed through.
func TestLoadRejects(t *testing.T) {
	good := modelBytes(t)
	flip := func(off int) []byte { b := slices.Clone(good); b[off] ^= 0x40; return b }
	put32 := func(off int, x uint32) []byte {
		b := slices.Clone(good)
		b[off], b[off+1], b[off+2], b[off+3] = byte(x), byte(x>>8), byte(x>>16), byte(x>>24)
		return b
	}
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"magic", flip(0)},
		{"version", put32(8, 99)},
		{"tokenizer", put32(12, 99)},
		{"order 0", put32(16, 0)},
		{"order too high", put32(16, MaxOrder+1)},
		{"vocab 1", put32(20, 1)},
		{"truncated", good[:len(good)/2]},
		{"no checksum", good[:len(good)-4]},
		{"checksum", flip(len(good) - 1)},
		{"payload bit", flip(len(good) - 20)},
	} {
		_, err := Load(bytes.NewReader(c.data))
		if !errors.Is(err, ErrFormat) {
			t.Errorf("%s: Load error %v, want ErrFormat", c.name, err)
		}
	}
	broken := errors.New("disk on fire")
	_, err := Load(io.MultiReader(bytes.NewReader(good[:40]), iotestErr{broken}))
	if !errors.Is(err, broken) || errors.Is(err, ErrFormat) {
		t.Errorf("read error: Load returned %v, want %v passed through", err, broken)
	}
}

type iotestErr struct{ err error }

func (e iotestErr) Read([]byte) (int, error) { return 0, e.err }

// FuzzLoad: Load never panics, and a model it accepts answers queries with
// log-probabilities.
func FuzzLoad(f *testing.F) {
	good := modelBytes(f)
	f.Add(good)
	f.Add(good[:len(good)/3])
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Load(bytes.NewReader(data))
		if err != nil {
			return
		}
		for w := range m.VocabSize() {
			for _, h := range [][]WordID{nil, Start(), {WordID(w), WordID(w)}} {
				if lp := m.LogProb(h, WordID(w)); math.IsNaN(lp) || lp > 1e-3 {
					t.Fatalf("accepted model gives ln p = %v", lp)
				}
			}
		}
		m.Dist(Start(), nil)
	})
}
