package llm

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func top(pairs ...any) *ChatLogprobs {
	var alts []TopLogprob
	for i := 0; i < len(pairs); i += 2 {
		alts = append(alts, TopLogprob{Token: pairs[i].(string), Logprob: pairs[i+1].(float64)})
	}
	return &ChatLogprobs{Content: []TokenLogprob{{Token: alts[0].Token, Logprob: alts[0].Logprob, TopLogprobs: alts}}}
}

func TestReadChoiceProbsByHand(t *testing.T) {
	ln := math.Log
	// A 0.5 (0.4 as "A" + 0.1 as " A"), B 0.2, "the" 0.1 (outside), C not listed.
	lp := top("A", ln(0.4), "B", ln(0.2), " A", ln(0.1), "the", ln(0.1))
	cp, err := ReadChoiceProbs(lp, []string{"A", "B", "C"}, 4, false)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(cp.Logprob[0]-ln(0.5)) > 1e-12 || math.Abs(cp.Logprob[1]-ln(0.2)) > 1e-12 || !math.IsInf(cp.Logprob[2], -1) {
		t.Errorf("logprobs %v", cp.Logprob)
	}
	if cp.Missing != 1 || cp.Listed[2] || math.Abs(cp.Floor-0.1) > 1e-12 || math.Abs(cp.Outside-0.3) > 1e-12 {
		t.Errorf("got %+v; want Missing 1, Floor 0.1, Outside 0.3", cp)
	}
	// Case folding matches hallu serve's lower-case words to option labels.
	cp, err = ReadChoiceProbs(top("paris", ln(0.6), "lyon", ln(0.3)), []string{"Paris", "Lyon"}, 2, true)
	if err != nil || cp.Missing != 0 || math.Abs(cp.Outside-0.1) > 1e-12 {
		t.Errorf("fold case: %+v, %v", cp, err)
	}
}

func TestReadChoiceProbsBadReplies(t *testing.T) {
	ln := math.Log
	for _, tc := range []struct {
		name string
		lp   *ChatLogprobs
		k    int
		want ReplyProblem
	}{
		{"nil", nil, 2, NoLogprobs},
		{"empty content", &ChatLogprobs{}, 2, NoLogprobs},
		{"no alternatives", &ChatLogprobs{Content: []TokenLogprob{{Token: "A", Logprob: -1}}}, 2, NoLogprobs},
		{"short", top("A", ln(0.5)), 2, ShortTopLogprobs},
		{"NaN", top("A", math.NaN(), "B", -1.0), 2, NonFinite},
		{"+Inf", top("A", math.Inf(1), "B", -1.0), 2, NonFinite},
		{"-Inf", top("A", math.Inf(-1), "B", -1.0), 2, NonFinite},
		{"positive", top("A", 0.5, "B", -1.0), 2, NonFinite},
		{"sum above 1", top("A", ln(0.7), "B", ln(0.7)), 2, NonFinite},
		{"split label", top("Par", ln(0.7), "Lyon", ln(0.2)), 2, LabelSplit},
		{"prefix of a listed label is fine", top("Par", ln(0.1), "Paris", ln(0.7), "Lyon", ln(0.2)), 3, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			labels := []string{"A", "B"}
			if tc.lp != nil && len(tc.lp.Content) > 0 && strings.HasPrefix(tc.lp.Content[0].Token, "Par") {
				labels = []string{"Paris", "Lyon"}
			}
			_, err := ReadChoiceProbs(tc.lp, labels, tc.k, false)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var re *ReplyError
			if !errors.As(err, &re) || re.Problem != tc.want {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// TestReadChoiceProbsProperty draws a distribution over a vocabulary that
// holds the option labels, lists its k most probable tokens in a random
// order, and checks: a listed option gets exactly its probability, an
// option not listed is at most Floor, Outside is the rest.
func TestReadChoiceProbsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nOpt := rapid.IntRange(2, 5).Draw(t, "options")
		vocab := rapid.IntRange(nOpt, 30).Draw(t, "vocab")
		w := rapid.SliceOfN(rapid.IntRange(1, 1000), vocab, vocab).Draw(t, "weights")
		var sum float64
		for _, x := range w {
			sum += float64(x)
		}
		tok := func(i int) string {
			if i < nOpt {
				return string(rune('A' + i))
			}
			return fmt.Sprintf("w%d", i)
		}
		order := make([]int, vocab)
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return w[b] - w[a] })
		k := rapid.IntRange(1, vocab).Draw(t, "k")
		listed := rapid.Permutation(order[:k]).Draw(t, "listed")
		var alts []any
		for _, i := range listed {
			alts = append(alts, tok(i), math.Log(float64(w[i])/sum))
		}
		labels := make([]string, nOpt)
		for i := range labels {
			labels[i] = tok(i)
		}
		cp, err := ReadChoiceProbs(top(alts...), labels, k, false)
		if err != nil {
			t.Fatal(err)
		}
		inTop := map[int]bool{}
		for _, i := range order[:k] {
			inTop[i] = true
		}
		var inside float64
		for i := range nOpt {
			p := float64(w[i]) / sum
			if inTop[i] {
				if !cp.Listed[i] || math.Abs(math.Exp(cp.Logprob[i])-p) > 1e-12 {
					t.Fatalf("option %d: got %v, want %v", i, math.Exp(cp.Logprob[i]), p)
				}
				inside += p
			} else if cp.Listed[i] || p > cp.Floor+1e-15 {
				t.Fatalf("option %d not listed: p %v above floor %v", i, p, cp.Floor)
			}
		}
		if cp.Missing == 0 && math.Abs(cp.Outside-(1-inside)) > 1e-9 {
			t.Fatalf("outside %v, want %v", cp.Outside, 1-inside)
		}
	})
}
