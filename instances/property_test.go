package instances

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/internal/proptest"
	"pgregory.net/rapid"
)

func TestMain(m *testing.M) { proptest.Main(m, 2000) }

// shiftScorer adds shift to a table of log-probabilities keyed by context
// and response.
type shiftScorer struct {
	lp    map[[2]string]float64
	shift float64
}

func (s shiftScorer) LogProb(_ context.Context, c, r string) (float64, error) {
	return s.lp[[2]string{c, r}] + s.shift, nil
}

// Score's instance: per context p̂ sums to 1, ratios of p̂ are ratios of the
// model's probabilities, a log-probability shift common to a context (the
// sentence end that closes a context, say) changes nothing, and the result
// is an instance iiv accepts, with no unlisted mass, on which Theorems 1
// and 4 hold.
func TestScoreProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nsets := rapid.IntRange(1, 6).Draw(t, "sets")
		sets := make([]CandidateSet, nsets)
		lps := map[[2]string]float64{}
		maxValid := 0
		for i := range sets {
			s := &sets[i]
			s.Context = fmt.Sprintf("c%d", i)
			nv, ne := rapid.IntRange(1, 3).Draw(t, "valid"), rapid.IntRange(1, 6).Draw(t, "errors")
			maxValid = max(maxValid, nv)
			for j := range nv + ne {
				r := fmt.Sprintf(" r%d", j)
				if j < nv {
					s.Valid = append(s.Valid, r)
				} else {
					s.Errors = append(s.Errors, r)
				}
				lp := -rapid.Float64Range(0, 40).Draw(t, "lp")
				if j > 0 && rapid.IntRange(0, 9).Draw(t, "zero") == 0 {
					lp = math.Inf(-1) // probability 0, but never the whole set
				}
				lps[[2]string{s.Context, r}] = lp
			}
		}
		shift := -rapid.Float64Range(0, 30).Draw(t, "shift")
		rows, err := Score[iiv.Float](context.Background(), sets, shiftScorer{lps, 0}, ScoreOptions{Workers: 3})
		if err != nil {
			t.Fatal(err)
		}
		shifted, err := Score[iiv.Float](context.Background(), sets, shiftScorer{lps, shift}, ScoreOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sum := map[string]float64{}
		for i, r := range rows {
			sum[r.Context] += float64(r.Phat)
			if d := math.Abs(float64(r.Phat - shifted[i].Phat)); d > 1e-12 {
				t.Fatalf("row %d: p̂ %v, after a shift of %v %v", i, r.Phat, shift, shifted[i].Phat)
			}
			for _, o := range rows {
				if o.Context != r.Context || o.Phat == 0 || r.Phat == 0 {
					continue
				}
				want := lps[[2]string{r.Context, r.Response}] - lps[[2]string{o.Context, o.Response}]
				if got := math.Log(float64(r.Phat / o.Phat)); math.Abs(got-want) > 1e-9 {
					t.Fatalf("ln p̂(%s)/p̂(%s) = %v, want %v", r.Response, o.Response, got, want)
				}
			}
		}
		for c, s := range sum {
			if math.Abs(s-1) > 1e-12 {
				t.Fatalf("p̂ sums to %v over %s", s, c)
			}
		}
		var acc iiv.Accumulator[iiv.Float]
		for _, r := range rows {
			if err := acc.Add(r); err != nil {
				t.Fatal(err)
			}
		}
		res, err := acc.Result()
		if err != nil {
			t.Fatal(err)
		}
		if res.Contexts != nsets || res.MaxValid != maxValid || math.Abs(float64(res.Unlisted)) > 1e-12 {
			t.Fatalf("result %+v", res)
		}
		if res.Slack < -1e-9 || res.MultipleChoice && res.MCSlack < -1e-9 {
			t.Fatalf("a theorem fails: slack %v, multiple-choice slack %v", res.Slack, res.MCSlack)
		}
	})
}
