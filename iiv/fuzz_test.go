package iiv

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"testing"
	"unicode/utf8"
)

// FuzzReader checks the hand-written scanner against encoding/json: it
// never panics, and a row it accepts decodes to the same fields under
// encoding/json.
func FuzzReader(f *testing.F) {
	for _, s := range []string{
		`{"context":"c1","mu":0.5,"response":"her mind","label":"valid","p":1,"phat":0.5}`,
		`{"context":"c","response":"e","label":"error","logprob":-2.5,"extra":{"a":[1,2,{"b":null}]}}`,
		`{"context":"\u00e9\ud83d\ude00\n","response":"\"q\"","label":"idk","p":1e-3,"logprob":null}`,
		`{"context":"","response":"x","label":"nonsense","phat":0}`,
		`{"context":"c","response":"\ud800","label":"valid","phat":1E+0}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		rd := NewReader[Float](bytes.NewReader(line))
		row, err := rd.Read()
		if err != nil {
			return
		}
		if bytes.Count(line, []byte("\n")) > 0 && len(bytes.TrimSpace(line[bytes.IndexByte(line, '\n'):])) > 0 {
			return // several lines: only the first was read
		}
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("scanner accepted %q, encoding/json rejects it: %v", line, err)
		}
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			return // encoding/json's Decoder stops after one value; our reader rejects trailing data elsewhere
		}
		if !utf8.Valid(line) {
			return
		}
		if m["context"] != row.Context || m["response"] != row.Response || m["label"] != row.Label.String() {
			t.Fatalf("%q: read (%q, %q, %v), encoding/json (%v, %v, %v)", line, row.Context, row.Response, row.Label, m["context"], m["response"], m["label"])
		}
		if n, ok := m["phat"].(json.Number); ok {
			v, _ := n.Float64()
			if float64(row.Phat) != v {
				t.Fatalf("%q: phat %v, encoding/json %v", line, float64(row.Phat), v)
			}
		}
		if n, ok := m["logprob"].(json.Number); ok {
			v, _ := n.Float64()
			if float64(row.Phat) != math.Exp(v) {
				t.Fatalf("%q: phat %v from logprob %v", line, float64(row.Phat), v)
			}
		}
	})
}
