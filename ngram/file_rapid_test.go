package ngram

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// TestRoundTripProperty: Load reads back every model WriteTo writes, with
// the same header and the same probability for every word after random
// histories, on random corpora of a small vocabulary and every order up to 4.
func TestRoundTripProperty(t *testing.T) {
	words := []string{"a", "b", "c", "the", "cat", "é", "中", ".", "!", "?"}
	rapid.Check(t, func(t *rapid.T) {
		order := rapid.IntRange(1, 4).Draw(t, "order")
		text := strings.Join(rapid.SliceOfN(rapid.SampledFrom(words), 1, 60).Draw(t, "text"), " ")
		m := train(t, order, text)
		var buf bytes.Buffer
		if _, err := m.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		got, err := Load(&buf)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if got.Order() != order || !slices.Equal(got.words, m.words) || !slices.Equal(got.NGrams(), m.NGrams()) ||
			!slices.Equal(got.Discounts(), m.Discounts()) || got.TrainingTokens() != m.TrainingTokens() {
			t.Fatal("the loaded model differs in its header")
		}
		ids := rapid.IntRange(0, m.VocabSize()-1)
		for range 5 {
			var h []WordID
			for range rapid.IntRange(0, order).Draw(t, "history") {
				h = append(h, WordID(ids.Draw(t, "w")))
			}
			for w := range m.VocabSize() {
				if a, b := m.LogProb(h, WordID(w)), got.LogProb(h, WordID(w)); a != b {
					t.Fatalf("ln p(%s|%v) = %v before saving, %v after", m.Word(WordID(w)), h, a, b)
				}
			}
		}
	})
}
