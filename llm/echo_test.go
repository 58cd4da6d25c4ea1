package llm

import (
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"
)

// echoed lays out tokens as an echoing server does, with offsets counted
// by unit (len for bytes, utf8.RuneCountInString for characters); a
// SentenceBoundary occupies no text. The first token has no
// log-probability, as OpenAI returns it.
func echoed(tokens []string, lps []float64, unit func(string) int) *CompletionLogprobs {
	lp := &CompletionLogprobs{Tokens: tokens}
	off := 0
	for i, tok := range tokens {
		lp.TextOffset = append(lp.TextOffset, off)
		if tok != SentenceBoundary {
			off += unit(tok)
		}
		if i == 0 {
			lp.TokenLogprobs = append(lp.TokenLogprobs, nil)
		} else {
			v := lps[i]
			lp.TokenLogprobs = append(lp.TokenLogprobs, &v)
		}
	}
	return lp
}

func bytesLen(s string) int { return len(s) }

var units = map[string]func(string) int{"bytes": bytesLen, "characters": utf8.RuneCountInString}

// By hand: the answer " A Paris painter" is the last three tokens,
// −0.5 − 0.25 − 0.125 = −0.875, whether offsets count bytes or characters
// (the prompt's "Zoë" tells them apart).
func TestContinuationLogprobByHand(t *testing.T) {
	prompt := "Question: Who was Zoë?\nAnswer:"
	full := prompt + " A Paris painter"
	tokens := []string{"Question", ":", " Who", " was", " Zoë", "?", "\n", "Answer", ":", " A", " Paris", " painter"}
	lps := []float64{0, -1, -2, -3, -4, -5, -6, -7, -8, -0.5, -0.25, -0.125}
	for name, unit := range units {
		got, err := ContinuationLogprob(echoed(tokens, lps, unit), prompt, full)
		if err != nil || got != (Continuation{Text: -0.875}) || got.LogProb() != -0.875 {
			t.Errorf("%s: %+v, %v; want −0.875", name, got, err)
		}
	}
}

// Sentence boundaries, as hallu serve echoes them: one at exactly the end
// of the context closes the context's sentence and is left out; one after
// the last word is the continuation's end, kept apart in End; one inside
// the continuation is part of Text.
func TestContinuationLogprobBoundaries(t *testing.T) {
	const b = SentenceBoundary
	context := "The whale was white."
	full := context + " It swam. Far."
	tokens := []string{"The", " whale", " was", " white", ".", b, " It", " swam", ".", b, " Far", ".", b}
	lps := []float64{0, -1, -1, -1, -1, -100, -0.5, -0.25, -0.125, -2, -4, -8, -16}
	for name, unit := range units {
		got, err := ContinuationLogprob(echoed(tokens, lps, unit), context, full)
		if want := (Continuation{Text: -0.5 - 0.25 - 0.125 - 2 - 4 - 8, End: -16}); err != nil || got != want {
			t.Errorf("%s: %+v, %v; want %+v", name, got, err, want)
		}
		if got.LogProb() != -30.875 {
			t.Errorf("%s: LogProb %v, want −30.875", name, got.LogProb())
		}
	}
}

func TestContinuationLogprobErrors(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	prompt := "Question: Who was Zoë?\nAnswer:"
	full := prompt + " A Paris painter"
	merged := echoed([]string{"Question", ":", " Who", " was", " Zoë", "?", "\n", "Answer", ": A", " Paris", " painter"},
		[]float64{0, -1, -2, -3, -4, -5, -6, -7, -8, -0.5, -0.25}, bytesLen)
	for _, tc := range []struct {
		name, context, full string
		lp                  *CompletionLogprobs
		want                string
	}{
		{"no logprobs", "a", "abcd", nil, "does not echo"},
		{"no echo", "a", "abcd", &CompletionLogprobs{Tokens: []string{"!"}, TokenLogprobs: []*float64{f(-1)}, TextOffset: []int{0}}, "does not echo"},
		{"lengths disagree", "a", "ab", &CompletionLogprobs{Tokens: []string{"a", "b"}, TokenLogprobs: []*float64{nil}, TextOffset: []int{0, 1}}, "does not echo"},
		{"completion instead of echo", prompt, full, echoed([]string{" x"}, []float64{0}, bytesLen), "does not echo"},
		{"straddling token", "abc", "abcd", &CompletionLogprobs{Tokens: []string{"ab", "cd"}, TokenLogprobs: []*float64{nil, f(-1)}, TextOffset: []int{0, 2}}, `token "cd" runs across the end of the context`},
		{"merged boundary token", prompt, full, merged, `token ": A" runs across`},
		{"missing log-probability", "a", "abcd", &CompletionLogprobs{Tokens: []string{"a", "b", "cd"}, TokenLogprobs: []*float64{nil, nil, f(-1)}, TextOffset: []int{0, 1, 2}}, `token 1 ("b") has no log-probability`},
		{"empty context", "", "abcd", &CompletionLogprobs{Tokens: []string{"ab", "cd"}, TokenLogprobs: []*float64{nil, f(-1)}, TextOffset: []int{0, 2}}, "first token has no context"},
		{"empty continuation", "ab.", "ab.", &CompletionLogprobs{Tokens: []string{"ab", ".", SentenceBoundary}, TokenLogprobs: []*float64{nil, f(-1), f(-2)}, TextOffset: []int{0, 2, 3}}, "no token of the continuation"},
	} {
		_, err := ContinuationLogprob(tc.lp, tc.context, tc.full)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
		if strings.Contains(tc.want, "does not echo") && !errors.Is(err, ErrNoEcho) {
			t.Errorf("%s: %v is not ErrNoEcho", tc.name, err)
		}
	}
}

// Property: however a context and a continuation are cut into tokens, with
// or without sentence boundaries after either, and whichever unit the
// offsets count, the result is the continuation's tokens' log-probabilities
// (the boundary after the context excluded, the one after the continuation
// in End).
func TestContinuationLogprobProperty(t *testing.T) {
	word := rapid.StringMatching(`[ a-zé.]{1,4}`)
	rapid.Check(t, func(t *rapid.T) {
		ctxToks := rapid.SliceOfN(word, 1, 6).Draw(t, "context")
		contToks := rapid.SliceOfN(word, 1, 6).Draw(t, "continuation")
		unitName := rapid.SampledFrom([]string{"bytes", "characters"}).Draw(t, "unit")
		closeCtx := rapid.Bool().Draw(t, "boundary after context")
		closeCont := rapid.Bool().Draw(t, "boundary after continuation")
		tokens := append([]string(nil), ctxToks...)
		if closeCtx {
			tokens = append(tokens, SentenceBoundary)
		}
		start := len(tokens)
		tokens = append(tokens, contToks...)
		if closeCont {
			tokens = append(tokens, SentenceBoundary)
		}
		lps := make([]float64, len(tokens))
		var want Continuation
		for i := range lps {
			lps[i] = -math.Ldexp(1, -i) // distinct powers of two: sums are exact
			switch {
			case i >= start && i < start+len(contToks):
				want.Text += lps[i]
			case i >= start+len(contToks):
				want.End += lps[i]
			}
		}
		context, cont := strings.Join(ctxToks, ""), strings.Join(contToks, "")
		got, err := ContinuationLogprob(echoed(tokens, lps, units[unitName]), context, context+cont)
		if err != nil || got != want {
			t.Fatalf("tokens %q: %+v, %v; want %+v", tokens, got, err, want)
		}
	})
}
