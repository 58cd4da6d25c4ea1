package evallog

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/hallu-dev/hallu/score"
	"pgregory.net/rapid"
)

// TestRunRoundTrip: ReadRun reads back every sample RunWriter writes,
// field for field, whatever its text (quotes, newlines, non-ASCII, the
// strings hallu reads as grades) and numbers (0, 1, the smallest and
// largest below 1); the one addition is the reason of an invalid sample
// that has none, which the reader names.
func TestRunRoundTrip(t *testing.T) {
	text := rapid.OneOf(rapid.String(), rapid.SampledFrom([]string{"", "correct", "n/a", "\"quoted\"\nline", "é 中文 🙂", "null"}))
	unit := rapid.OneOf(rapid.Float64Range(0, 1), rapid.SampledFrom([]float64{0, 1, 5e-324, 0.9999999999999999}))
	rapid.Check(t, func(t *rapid.T) {
		var wrote, want []score.Sample
		for i := range rapid.IntRange(1, 20).Draw(t, "samples") {
			s := score.Sample{
				ID: rapid.StringMatching(`[^\x00]{1,12}`).Draw(t, "id"), Question: text.Draw(t, "question"),
				Golds: rapid.SliceOfN(text, 0, 3).Draw(t, "golds"), Response: text.Draw(t, "response"),
				Outcome: rapid.SampledFrom([]score.Outcome{score.Correct, score.Wrong, score.Abstained, score.Invalid}).Draw(t, "outcome"),
				Model:   rapid.SampledFrom([]string{"", "m", "gpt-4o"}).Draw(t, "model"), Reason: text.Draw(t, "reason"),
			}
			if len(s.Golds) == 0 {
				s.Golds = nil
			}
			if rapid.Bool().Draw(t, "confidence") {
				c := unit.Draw(t, "c")
				s.Confidence = &c
			}
			if rapid.Bool().Draw(t, "target") {
				v := min(unit.Draw(t, "t"), 0.9999999999999999)
				s.Target = &v
			}
			s.Source = score.Source{File: "run.jsonl", Line: i + 1}
			wrote = append(wrote, s)
			if s.Outcome == score.Invalid && s.Reason == "" {
				s.Reason = "graded invalid by the log"
			}
			want = append(want, s)
		}
		var b bytes.Buffer
		w := NewRunWriter(&b)
		for i := range wrote {
			if err := w.Write(&wrote[i]); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		var got []score.Sample
		if _, err := ReadRun(&b, "run.jsonl", func(s *score.Sample) error {
			c := *s
			c.Golds = append([]string(nil), s.Golds...)
			if len(c.Golds) == 0 {
				c.Golds = nil
			}
			got = append(got, c)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("read back\n%+v\nwrote\n%+v", got, want)
		}
	})
}
