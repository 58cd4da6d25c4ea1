package iiv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
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

// FuzzReaderMaxLine checks Reader.MaxLine: under a small limit the reader
// reads exactly what it reads without one, or stops at the first line
// longer than the limit with ErrLineTooLong naming that line.
func FuzzReaderMaxLine(f *testing.F) {
	f.Add([]byte("{\"context\":\"c\",\"response\":\"r\",\"label\":\"valid\",\"phat\":1}\n\n{\"context\":\"c\",\"response\":\"a long response\",\"label\":\"error\",\"phat\":0}\r\n"), uint8(60))
	f.Fuzz(func(t *testing.T, in []byte, limit uint8) {
		type out struct {
			rows []Row[Float]
			err  error
		}
		read := func(max int) out {
			rd := NewReader[Float](bytes.NewReader(in))
			rd.MaxLine = max
			var o out
			for {
				row, err := rd.Read()
				if err != nil {
					if err != io.EOF {
						o.err = err
					}
					return o
				}
				o.rows = append(o.rows, row)
			}
		}
		max := int(limit) + 1
		all, lim := read(0), read(max)
		// The first line longer than the limit, if any.
		long := 0
		for i, l := range bytes.SplitAfter(in, []byte("\n")) {
			if len(bytes.TrimRight(l, "\r\n")) > max {
				long = i + 1
				break
			}
		}
		if long == 0 {
			if len(all.rows) != len(lim.rows) || (all.err == nil) != (lim.err == nil) {
				t.Fatalf("no line over %d bytes, yet %d rows (%v) with the limit, %d (%v) without", max, len(lim.rows), lim.err, len(all.rows), all.err)
			}
			return
		}
		if lim.err != nil && errors.Is(lim.err, ErrLineTooLong) {
			if want := fmt.Sprintf("line %d: ", long); !strings.HasPrefix(lim.err.Error(), want) {
				t.Fatalf("error %q, want it to name line %d", lim.err, long)
			}
			return
		}
		if lim.err == nil || all.err == nil || len(lim.rows) != len(all.rows) {
			t.Fatalf("line %d is over %d bytes, yet the limited reader gave %d rows and %v", long, max, len(lim.rows), lim.err)
		}
	})
}
