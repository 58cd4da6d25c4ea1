package instances

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/evallog"
)

func TestCandidateReaderRoundTrip(t *testing.T) {
	in := `{"context":"Q: Capital of France?\nA:","valid":[" Paris"],"errors":[" Lyon"," Nice"],"source":"ignored"}

{"context":"c","valid":[" a"," b"],"errors":[" x"],"p":[0.25,0.75]}
`
	sets, err := ReadCandidates(strings.NewReader(in), "sets.jsonl", evallog.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []CandidateSet{
		{Context: "Q: Capital of France?\nA:", Valid: []string{" Paris"}, Errors: []string{" Lyon", " Nice"}, Line: 1},
		{Context: "c", Valid: []string{" a", " b"}, Errors: []string{" x"}, P: []float64{0.25, 0.75}, Line: 3},
	}
	if !reflect.DeepEqual(sets, want) {
		t.Fatalf("read %+v, want %+v", sets, want)
	}
	var buf bytes.Buffer
	if err := WriteCandidates(&buf, sets); err != nil {
		t.Fatal(err)
	}
	again, err := ReadCandidates(&buf, "again", evallog.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range again {
		again[i].Line = want[i].Line
	}
	if !reflect.DeepEqual(again, want) {
		t.Errorf("round trip %+v, want %+v", again, want)
	}
}

// Bad candidate sets give errors naming the file, line and field.
func TestCandidateReaderErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"context":"c","valid":[],"errors":[" x"," y"]}`, "f.jsonl line 1: field valid: no valid candidate"},
		{`{"context":"c","errors":[" x"," y"]}`, "f.jsonl line 1: field valid: no valid candidate"},
		{`{"context":"c","valid":[" a"]}`, "f.jsonl line 1: field valid/errors: a candidate set of one"},
		{`{"context":"c","valid":[],"errors":[" x"]}`, "field valid/errors: a candidate set of one"},
		{`{"context":"c","valid":[" a"," b"]}`, "field errors: no erroneous candidate"},
		{`{"valid":[" a"],"errors":[" x"]}`, "field context: missing or empty"},
		{`{"context":"c","valid":[" a"],"errors":[" a"]}`, `field errors[0]: candidate " a" is also valid[0]`},
		{`{"context":"c","valid":[""],"errors":[" a"]}`, "field valid[0]: empty candidate"},
		{`{"context":"c","valid":[" a"],"errors":[" x"],"p":[0.5]}`, "field p: sums to 0.5, not 1"},
		{`{"context":"c","valid":[" a"],"errors":[" x"],"p":[1,0]}`, "field p: 2 probabilities for 1 valid candidates"},
		{`{"context":"c","valid":[" a"],"errors":[" x"],"p":[-1]}`, "field p[0]: -1 is not a probability"},
		{`{"context":"c","valid":" a","errors":[" x"]}`, "f.jsonl line 1: field valid: string is not []string"},
		{`{"context":"c","valid":[" a"],"errors":[" x"],"p":["NaN"]}`, "f.jsonl line 1: field p: string is not float64"},
		{"\n\n" + `{"context":"c","valid":[" a"],"errors":[" x"],"p":[NaN]}`, "f.jsonl line 3: not a JSON object"},
		{`["c"]`, "f.jsonl line 1: not a JSON object"},
	} {
		_, err := ReadCandidates(strings.NewReader(tc.in), "f.jsonl", evallog.Limits{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.in, err, tc.want)
		}
	}
}

// FuzzCandidateReader checks that the reader never panics, that every set
// it returns passes Check, and that a set it accepts reads back the same
// after writing.
func FuzzCandidateReader(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.jsonl")
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		sets, err := ReadCandidates(bytes.NewReader(b), "fuzz", evallog.Limits{})
		if err != nil {
			return
		}
		for _, s := range sets {
			if err := s.Check(); err != nil {
				t.Fatalf("returned a set that fails Check: %v", err)
			}
			var buf bytes.Buffer
			if err := WriteCandidates(&buf, []CandidateSet{s}); err != nil {
				t.Fatal(err)
			}
			back, err := ReadCandidates(&buf, "back", evallog.Limits{})
			if err != nil || len(back) != 1 {
				t.Fatalf("written set does not read back: %v", err)
			}
			back[0].Line = s.Line
			if !reflect.DeepEqual(back[0], s) {
				t.Fatalf("read back %+v, want %+v", back[0], s)
			}
		}
	})
}
