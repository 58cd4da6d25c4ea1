package instances

import (
	"os"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/evallog"
)

// The three samples of lm-eval's negotiationtom log in evallog's testdata
// ask one question (three golds): the first becomes a set with its gold
// valid, the two others are counted and left out.
func TestLMEvalSets(t *testing.T) {
	f, err := os.Open("../evallog/testdata/lmeval_mc_negotiationtom.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sets, st, err := LMEvalSets(f, "lmeval_mc_negotiationtom.jsonl", evallog.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 1 || st.Sets != 1 || len(st.Skipped) != 1 || sets[0].Valid[0] != " D" {
		t.Fatalf("%d sets, stats %+v", len(sets), st)
	}
	for _, s := range sets {
		if len(s.Valid) != 1 || len(s.Errors) < 1 || !strings.HasPrefix(s.Context, "Q: ") || s.Line == 0 {
			t.Errorf("set %+v", s)
		}
	}
	if _, _, err := LMEvalSets(strings.NewReader("{\"doc_id\":0}\n"), "bad.jsonl", evallog.Limits{}); err == nil || !strings.Contains(err.Error(), "bad.jsonl line 1") {
		t.Errorf("bad sample: %v", err)
	}
}
