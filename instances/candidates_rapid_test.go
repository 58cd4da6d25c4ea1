package instances

import (
	"bytes"
	"reflect"
	"strconv"
	"testing"

	"github.com/hallu-dev/hallu/evallog"
	"pgregory.net/rapid"
)

// TestCandidatesRoundTripProperty: ReadCandidates reads back every valid
// candidate set WriteCandidates writes, field for field, whatever its text
// (quotes, newlines, HTML characters, non-ASCII) and probabilities.
func TestCandidatesRoundTripProperty(t *testing.T) {
	text := rapid.OneOf(rapid.StringMatching(`.{1,10}`), rapid.SampledFrom([]string{" Paris", "<b>&</b>", "\"q\"\n", "é 中文 🙂", "null"}))
	rapid.Check(t, func(t *rapid.T) {
		var sets []CandidateSet
		for i := range rapid.IntRange(0, 8).Draw(t, "sets") {
			s := CandidateSet{Context: text.Draw(t, "context"), Line: i + 1}
			// Distinct candidates: a drawn text with a unique suffix.
			n := 0
			cand := func() string { n++; return text.Draw(t, "candidate") + "#" + strconv.Itoa(n) }
			for range rapid.IntRange(1, 3).Draw(t, "valid") {
				s.Valid = append(s.Valid, cand())
			}
			for range rapid.IntRange(1, 3).Draw(t, "errors") {
				s.Errors = append(s.Errors, cand())
			}
			if rapid.Bool().Draw(t, "p") {
				// Probabilities summing to 1: the first takes what the others leave.
				s.P = make([]float64, len(s.Valid))
				rest := 1.0
				for k := 1; k < len(s.P); k++ {
					s.P[k] = rapid.SampledFrom([]float64{0, 0.125, 0.25}).Draw(t, "pk")
					rest -= s.P[k]
				}
				s.P[0] = rest
			}
			if err := s.Check(); err != nil {
				t.Fatalf("drew an invalid set %+v: %v", s, err)
			}
			sets = append(sets, s)
		}
		var b bytes.Buffer
		if err := WriteCandidates(&b, sets); err != nil {
			t.Fatal(err)
		}
		got, err := ReadCandidates(&b, "sets.jsonl", evallog.Limits{})
		if err != nil {
			t.Fatalf("%v reading\n%s", err, b.String())
		}
		if len(got) == 0 && len(sets) == 0 {
			return
		}
		if !reflect.DeepEqual(got, sets) {
			t.Fatalf("read back\n%+v\nwrote\n%+v", got, sets)
		}
	})
}
