package grade

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns s in the form answers are compared in: Unicode
// compatibility-decomposed (NFKD) with combining marks removed (so "é"
// matches "e" and "ﬁ" matches "fi"), lower-cased, apostrophes removed ("don't"
// → "dont") and possessive 's dropped ("Purnell's" → "purnell"), "&" read
// as "and", every other punctuation or symbol turned into a space, the
// articles "a", "an" and "the" dropped, and runs of white space collapsed
// to one space. It follows the SQuAD answer normalisation (Rajpurkar et al.
// 2016, evaluate-v1.1.py) with Unicode folding added.
func Normalize(s string) string {
	return strings.Join(tokens(s), " ")
}

// tokens returns the words of Normalize(s).
func tokens(s string) []string {
	var b strings.Builder
	b.Grow(len(s))
	if !isASCII(s) { // NFKD leaves ASCII as it is; skip its copy
		s = norm.NFKD.String(s)
	}
	skipS := false
	for i, r := range s {
		if skipS {
			skipS = false
			continue
		}
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == '\'' || r == '’' || r == 'ʼ' || r == '‘':
			skipS = possessive(s[i+utf8.RuneLen(r):]) // "Purnell's" → "purnell"
		case r == '&':
			b.WriteString(" and ")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteByte(' ')
		}
	}
	fs := strings.Fields(b.String())
	out := fs[:0]
	for _, f := range fs {
		if f != "a" && f != "an" && f != "the" {
			out = append(out, f)
		}
	}
	return out
}

// possessive reports whether rest, the text after an apostrophe, is the
// "s" of a possessive: an s followed by a non-letter or the end.
func possessive(rest string) bool {
	if len(rest) == 0 || (rest[0] != 's' && rest[0] != 'S') {
		return false
	}
	r, _ := utf8.DecodeRuneInString(rest[1:])
	return len(rest) == 1 || !unicode.IsLetter(r)
}

// containsSeq reports whether needle occurs as a contiguous run of words in
// hay.
func containsSeq(hay, needle []string) bool {
	if len(needle) == 0 {
		return false
	}
outer:
	for i := 0; i+len(needle) <= len(hay); i++ {
		for j, w := range needle {
			if hay[i+j] != w {
				continue outer
			}
		}
		return true
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
