package instances

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/evallog"
)

func TestReadMultipleChoice(t *testing.T) {
	in := `{"question":"Capital of France?","choices":["Lyon","Paris","Nice"],"gold":1}

{"question":"Even numbers?","choices":["2","3","4"],"gold":[0,2]}
`
	sets, st, err := ReadMultipleChoice(strings.NewReader(in), "mc.jsonl", evallog.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []CandidateSet{
		{Context: "Q: Capital of France?\nA:", Valid: []string{" Paris"}, Errors: []string{" Lyon", " Nice"}, Line: 1},
		{Context: "Q: Even numbers?\nA:", Valid: []string{" 2", " 4"}, Errors: []string{" 3"}, Line: 3},
	}
	if !reflect.DeepEqual(sets, want) || st.Sets != 2 {
		t.Errorf("got %+v (%d)", sets, st.Sets)
	}
	for _, tc := range []struct{ line, want string }{
		{`{"choices":["a","b"],"gold":0}`, "mc.jsonl line 1: field question: missing"},
		{`{"question":"q","choices":["a","b"],"gold":2}`, "mc.jsonl line 1: field gold: index 2 is not one of the 2 choices"},
		{`{"question":"q","choices":["a","b"],"gold":"a"}`, "mc.jsonl line 1: field gold: want an index"},
		{`{"question":"q","choices":["a","b"],"gold":[0,1]}`, "mc.jsonl line 1: field errors: no erroneous candidate"},
		{`{"question":"q","choices":["a","a"],"gold":0}`, `is also valid[0]`},
		{`[1]`, "mc.jsonl line 1: not a multiple-choice item"},
	} {
		if _, _, err := ReadMultipleChoice(strings.NewReader(tc.line), "mc.jsonl", evallog.Limits{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.line, err, tc.want)
		}
	}
}
