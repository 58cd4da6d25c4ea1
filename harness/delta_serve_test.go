package harness

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/internal/servetest"
	"github.com/hallu-dev/hallu/ngram"
)

// TestMeasureDeltaReferenceThroughServe: a reference answer that ends a
// sentence ("Ahab did.") is echoed by hallu serve with a sentence boundary
// after it. Its log-probability is the answer's tokens' without that
// boundary, the end of the answer that sampled answers do not carry either;
// an answer without final punctuation has none to leave out. (Before
// llm.ContinuationLogprob, such questions failed as "does not echo".)
func TestMeasureDeltaReferenceThroughServe(t *testing.T) {
	tr := ngram.NewTrainer()
	if err := tr.AddText(strings.NewReader("Question: Who hunted the whale?\nAnswer: Ahab did.\n\nQuestion: Who told the tale?\nAnswer: Ishmael\n\n")); err != nil {
		t.Fatal(err)
	}
	m, err := tr.Train(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	client := servetest.Client(t, m, "tiny")
	qs := []Question{{ID: "1", Text: "Who hunted the whale?", Golds: []string{"Ahab did."}}, {ID: "2", Text: "Who told the tale?", Golds: []string{"Ishmael"}}}
	seed := int64(1)
	meas, err := MeasureDelta(context.Background(), DeltaConfig{Client: client, Model: "tiny", Questions: qs, Samples: 2, MaxTokens: 4, Seed: &seed, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(meas.Failed) != 0 || len(meas.Observations) != 2 {
		t.Fatalf("failed %q, %d observations", meas.Failed, len(meas.Observations))
	}
	for i, q := range qs {
		sc := m.Score(DeltaPrompt(q), " "+q.Golds[0])
		want := sc.LogProb
		if last := sc.Tokens[len(sc.Tokens)-1]; last.Token.Word == ngram.EOS {
			if i != 0 {
				t.Fatalf("%q ends with a boundary", q.Golds[0])
			}
			want -= last.LogProb
		} else if i == 0 {
			t.Fatalf("%q has no boundary after it", q.Golds[0])
		}
		if got := meas.Observations[i].Reference; math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: reference %v, want %v", q.ID, got, want)
		}
	}
}

// TestMeasureDeltaGoldWithSpaces: a gold answer with white space around
// it (" Ishmael \n" in a dataset) is the answer "Ishmael": hallu serve's
// tokenizer gives the space no token, and the question used to be left out
// as if the server did not support echo.
func TestMeasureDeltaGoldWithSpaces(t *testing.T) {
	tr := ngram.NewTrainer()
	if err := tr.AddText(strings.NewReader("Question: Who told the tale?\nAnswer: Ishmael\n\n")); err != nil {
		t.Fatal(err)
	}
	m, err := tr.Train(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	client := servetest.Client(t, m, "tiny")
	q := Question{ID: "1", Text: "Who told the tale?", Golds: []string{"Ishmael"}}
	var refs []float64
	for _, gold := range []string{"Ishmael", "Ishmael ", " Ishmael\t\n"} {
		q.Golds = []string{gold}
		meas, err := MeasureDelta(context.Background(), DeltaConfig{Client: client, Model: "tiny", Questions: []Question{q}, Samples: 1, MaxTokens: 2, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(meas.Failed) != 0 || len(meas.Observations) != 1 {
			t.Fatalf("gold %q: failed %q", gold, meas.Failed)
		}
		refs = append(refs, meas.Observations[0].Reference)
	}
	if refs[0] != refs[1] || refs[0] != refs[2] {
		t.Errorf("references %v differ with the spaces around the gold", refs)
	}
}
