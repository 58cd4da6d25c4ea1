package instances

import (
	"context"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/internal/servetest"
	"github.com/hallu-dev/hallu/ngram"
	"github.com/hallu-dev/hallu/ngram/corpus"
)

var (
	mobyOnce  sync.Once
	mobyModel *ngram.Model
	mobyErr   error
)

// moby is a trigram of the built-in Moby-Dick, the model hallu serve
// serves by default.
func moby(t *testing.T) *ngram.Model {
	t.Helper()
	mobyOnce.Do(func() {
		tr := ngram.NewTrainer()
		if mobyErr = tr.AddText(corpus.MobyDick()); mobyErr == nil {
			mobyModel, mobyErr = tr.Train(context.Background(), 3)
		}
	})
	if mobyErr != nil {
		t.Fatal(mobyErr)
	}
	return mobyModel
}

var scoringSets = []CandidateSet{
	{Context: "Q: What did Ahab hunt?\nA:", Valid: []string{" the white whale."}, Errors: []string{" a shark.", " the sea serpent.", " zebras and quokkas."}},
	{Context: "Call me", Valid: []string{" Ishmael"}, Errors: []string{" Ahab", " Queequeg", " Starbuck"}},
	// The context ends a sentence: the boundary token at its end belongs to it.
	{Context: "The whale was white.", Valid: []string{" It was huge.", " It swam."}, Errors: []string{" It was blue."}, P: []float64{0.75, 0.25}},
}

// Candidate scoring through hallu serve and the llm client (echo +
// logprobs) gives the n-gram model's own probabilities, and so the same
// instance as scoring in process.
func TestEndpointScorerMatchesNgram(t *testing.T) {
	m := moby(t)
	client := servetest.Client(t, m, "moby-3")
	ctx := context.Background()
	remote := EndpointScorer{Client: client, Model: "moby-3"}
	local := NgramScorer{Model: m}
	for _, s := range scoringSets {
		for j := range len(s.Valid) + len(s.Errors) {
			c := candidate(&s, j)
			got, err := remote.LogProb(ctx, s.Context, c)
			if err != nil {
				t.Fatalf("%q + %q: %v", s.Context, c, err)
			}
			if want := m.Score(s.Context, c).LogProb; math.Abs(got-want) > 1e-9 {
				t.Errorf("ln p̂(%q | %q): through serve %.12g, ngram %.12g", c, s.Context, got, want)
			}
		}
	}
	viaServe, err := Score[iiv.Float](ctx, scoringSets, remote, ScoreOptions{Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	inProcess, err := Score[iiv.Float](ctx, scoringSets, local, ScoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(viaServe) != 11 || len(inProcess) != 11 {
		t.Fatalf("%d and %d rows, want 11", len(viaServe), len(inProcess))
	}
	for i := range viaServe {
		a, b := viaServe[i], inProcess[i]
		if a.Response != b.Response || a.Label != b.Label || math.Abs(float64(a.Phat-b.Phat)) > 1e-9 {
			t.Errorf("row %d: %+v vs %+v", i, a, b)
		}
	}
	// p̂ of a set is the normalised model probability: p̂_j ∝ exp(Score).
	s := scoringSets[1]
	var z float64
	for j := range 4 {
		z += math.Exp(m.Score(s.Context, candidate(&s, j)).LogProb)
	}
	for j := range 4 {
		want := math.Exp(m.Score(s.Context, candidate(&s, j)).LogProb) / z
		if got := float64(inProcess[4+j].Phat); math.Abs(got-want) > 1e-12 {
			t.Errorf("p̂(%q) = %v, want %v", candidate(&s, j), got, want)
		}
	}
}

// fixedScorer returns the log-probability listed for each response.
type fixedScorer map[string]float64

func (f fixedScorer) LogProb(_ context.Context, _, r string) (float64, error) { return f[r], nil }

func TestScoreRows(t *testing.T) {
	sets := []CandidateSet{{Context: "c", Valid: []string{" a", " b"}, Errors: []string{" x"}, P: []float64{0.9, 0.1}, Line: 7}}
	rows, err := Score[iiv.Rat](context.Background(), sets, fixedScorer{" a": math.Log(0.2), " b": math.Log(0.3), " x": math.Log(0.1)}, ScoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		r     string
		label iiv.Label
		p     float64
		phat  float64
	}{{" a", iiv.Valid, 0.9, 1. / 3}, {" b", iiv.Valid, 0.1, 0.5}, {" x", iiv.Error, 0, 1. / 6}}
	for i, w := range want {
		r := rows[i]
		if r.Response != w.r || r.Label != w.label || r.Line != 7 || math.Abs(r.Phat.Float64()-w.phat) > 1e-12 ||
			r.HasP != (w.label == iiv.Valid) || math.Abs(r.P.Float64()-w.p) > 1e-15 {
			t.Errorf("row %d = %+v, want %+v", i, r, w)
		}
	}
}

// Bad log-probabilities are errors naming the set's line and the candidate.
func TestScoreBadLogProbs(t *testing.T) {
	sets := []CandidateSet{{Context: "c", Valid: []string{" a"}, Errors: []string{" x", " y"}, Line: 3}}
	for _, tc := range []struct {
		name string
		lps  fixedScorer
		want string
	}{
		{"NaN", fixedScorer{" a": -1, " x": math.NaN(), " y": -2}, `set at line 3, candidate " x": log-probability NaN is not a number ≤ 0`},
		{"+Inf", fixedScorer{" a": math.Inf(1), " x": -1, " y": -2}, `set at line 3, candidate " a": log-probability +Inf is not a number ≤ 0`},
		{"positive", fixedScorer{" a": -1, " x": -1, " y": 0.5}, `candidate " y": log-probability 0.5`},
		{"all −Inf", fixedScorer{" a": math.Inf(-1), " x": math.Inf(-1), " y": math.Inf(-1)}, "set at line 3: log-probabilities: all 3 entries are −Inf"},
	} {
		_, err := Score[iiv.Float](context.Background(), sets, tc.lps, ScoreOptions{Workers: 2})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	// −Inf for some candidates is probability 0, not an error.
	rows, err := Score[iiv.Float](context.Background(), sets, fixedScorer{" a": -1, " x": math.Inf(-1), " y": -1}, ScoreOptions{})
	if err != nil || rows[1].Phat != 0 || rows[0].Phat != 0.5 {
		t.Errorf("rows %+v, err %v", rows, err)
	}
}
