package ngram

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func words(toks []Token) string {
	var w []string
	for _, t := range toks {
		w = append(w, t.Word)
	}
	return strings.Join(w, " ")
}

func TestTokenize(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"  \n\n ", ""},
		{"Hello, World", "hello , world"},
		{"She lost it and was completely out of", "she lost it and was completely out of"},
		{"It ended. Then", "it ended . </s> then"},
		{"Really?! Yes", "really ? ! </s> yes"},
		{`"Stop!" he said.`, `" stop ! " </s> he said . </s>`},
		{"(as it was.) Next", "( as it was . ) </s> next"},
		{"don't well-known 3.14 1,000 a,b", "don't well-known 3.14 1,000 a , b"},
		{"sailors' 'tis", "sailors ' ' tis"},
		{"Mr. Smith met Dr. Jones", "mr. smith met dr. jones"},
		{"J. F. Kennedy", "j. f. kennedy"},
		{"So am I. And a U.S. ship.", "so am i . </s> and a u.s. ship . </s>"},
		{"e.g. this", "e.g. this"},
		{"Wait... what", "wait ... what"},
		{"mind—then -- now - here", "mind -- then -- now - here"},
		{"“Quoted” ‘single’ ``brown'' it’s", `" quoted " ' single ' " brown " it's`},
		{"line one\nline two", "line one line two"},
		{"para one\n\npara two", "para one </s> para two"},
		{"end.\n\n\nnext", "end . </s> next"},
		{"\n\nleading", "leading"},
		{"a\r\n\r\nb", "a </s> b"},
		{"\ufeffBOM\u200bzero", "bom zero"},
		{"ÉCOLE Naïve", "école naïve"},
		{"$5 & 10%", "$ 5 & 10 %"},
	} {
		if got := words(Tokenize(c.in)); got != c.want {
			t.Errorf("Tokenize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestTokenizeOffsets: every token's span is where it came from, spans are
// in order and do not overlap, and a boundary has no width.
func TestTokenizeOffsets(t *testing.T) {
	text := "Mr. Smith—“Stop!” he said…  It’s 3.14.\n\nNext"
	prevEnd := 0
	for _, tok := range Tokenize(text) {
		if tok.Start < prevEnd || tok.End < tok.Start || tok.End > len(text) {
			t.Fatalf("token %+v out of order or range (previous end %d)", tok, prevEnd)
		}
		span := text[tok.Start:tok.End]
		switch {
		case tok.Word == EOS && span != "":
			t.Errorf("boundary %+v has width", tok)
		case tok.Word != EOS && (span == "" || !utf8.ValidString(span)):
			t.Errorf("token %+v spans %q", tok, span)
		}
		prevEnd = tok.End
	}
}

func TestSpacing(t *testing.T) {
	toks := []string{"she", "said", ",", "(", "quietly", ")", "that", "it", "ended", "."}
	var b strings.Builder
	prev := ""
	for _, w := range toks {
		b.WriteString(Spacing(prev, w) + w)
		prev = w
	}
	if got, want := b.String(), "she said, (quietly) that it ended."; got != want {
		t.Errorf("rendered %q, want %q", got, want)
	}
}

// FuzzTokenize checks the invariants of TestTokenizeOffsets on any input,
// and that no token is empty and no two boundaries are adjacent.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"", "a. b", "Mr. X!\"' ) y", "\n\n.\n\n", "3.14,1,000", "—–―--", "``''`'", "\xff\xfe", "e.g.. U.S.A."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		toks := Tokenize(text)
		prevEnd := 0
		for i, tok := range toks {
			if tok.Word == "" {
				t.Fatalf("empty token at %d", i)
			}
			if tok.Start < prevEnd || tok.End < tok.Start || tok.End > len(text) {
				t.Fatalf("token %d %+v out of order or range", i, tok)
			}
			if tok.Word == EOS && (i == 0 || toks[i-1].Word == EOS || tok.Start != tok.End) {
				t.Fatalf("boundary %d misplaced: %v", i, words(toks))
			}
			prevEnd = tok.End
		}
		if !slices.Equal(toks, Tokenize(text)) {
			t.Fatal("Tokenize is not deterministic")
		}
	})
}
