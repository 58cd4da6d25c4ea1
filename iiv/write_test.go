package iiv

import (
	"bytes"
	"errors"
	"io"
	"math"
	"testing"

	"pgregory.net/rapid"
)

// TestWriteReadRoundTrip: whatever rows Write writes, Reader reads back the
// same rows, bit for bit in every float, whatever the strings hold (quotes,
// control characters, invalid UTF-8 is excluded: JSON cannot carry it).
func TestWriteReadRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 20).Draw(t, "rows")
		labels := []Label{Valid, Error, IDK, Nonsense}
		prob := rapid.OneOf(
			rapid.Float64Range(0, 1),
			rapid.SampledFrom([]float64{0, 1, math.SmallestNonzeroFloat64, 1e-300, 0.1, 1.0 / 3}),
		)
		text := rapid.OneOf(rapid.String(), rapid.SampledFrom([]string{"", `"`, `\`, "\u2028", "<a>&", "\x00\x1f", "é"}))
		rows := make([]Row[Float], n)
		for i := range rows {
			r := Row[Float]{
				Context:  text.Draw(t, "context"),
				Response: text.Draw(t, "response"),
				Label:    rapid.SampledFrom(labels).Draw(t, "label"),
				HasMu:    rapid.Bool().Draw(t, "hasMu"),
				HasP:     rapid.Bool().Draw(t, "hasP"),
				Phat:     Float(prob.Draw(t, "phat")),
				Line:     i + 1,
			}
			if r.HasMu {
				r.Mu = Float(prob.Draw(t, "mu"))
			}
			if r.HasP {
				r.P = Float(prob.Draw(t, "p"))
			}
			rows[i] = r
		}
		var b bytes.Buffer
		if err := Write(&b, rows); err != nil {
			t.Fatal(err)
		}
		rd := NewReader[Float](&b)
		for i, want := range rows {
			got, err := rd.Read()
			if err != nil {
				t.Fatalf("row %d: %v", i+1, err)
			}
			if got != want {
				t.Fatalf("row %d: read %+v, wrote %+v", i+1, got, want)
			}
		}
		if _, err := rd.Read(); !errors.Is(err, io.EOF) {
			t.Fatalf("after the last row: %v, want io.EOF", err)
		}
	})
}
