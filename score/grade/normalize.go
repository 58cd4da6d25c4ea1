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
	ts, _ := tokenize(s, false)
	return ts
}

// tokenize returns the words of Normalize(s) in one pass over s and, when
// sentences is set, the number of words before each sentence end: a ".",
// "?", "!", ";" or line break, where a "." counts only when followed by
// white space or the end and not ending an initial ("J. Smith", "D.C.").
func tokenize(s string, sentences bool) ([]string, []int) {
	buf := make([]byte, 0, len(s))
	spans := make([]int, 0, len(s)/3+2) // start and end in buf of each word
	var ends []int
	start := -1
	finish := func() {
		if start < 0 {
			return
		}
		if w := string(buf[start:]); w == "a" || w == "an" || w == "the" {
			buf = buf[:start]
		} else {
			spans = append(spans, start, len(buf))
		}
		start = -1
	}
	word := func() {
		if start < 0 {
			start = len(buf)
		}
	}
	skipS := false
	for i, r := range s {
		if skipS {
			skipS = false
			continue
		}
		switch {
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'):
			word()
			buf = append(buf, byte(r))
		case r < utf8.RuneSelf && 'A' <= r && r <= 'Z':
			word()
			buf = append(buf, byte(r+'a'-'A'))
		case r == '\'' || r == '’' || r == 'ʼ' || r == '‘':
			skipS = start >= 0 && possessive(s[i+utf8.RuneLen(r):]) // "Purnell's" → "purnell"
		case r >= utf8.RuneSelf && unicode.Is(unicode.Mn, r):
		case r < foldMax && folded[r] != "":
			word()
			buf = append(buf, folded[r]...)
		case r >= utf8.RuneSelf && decomposes(r):
			// NFKD rune by rune: "é" → "e" + a mark, "ﬁ" → "fi".
			for _, d := range norm.NFKD.String(string(r)) {
				switch {
				case unicode.Is(unicode.Mn, d):
				case unicode.IsLetter(d) || unicode.IsDigit(d):
					word()
					buf = utf8.AppendRune(buf, unicode.ToLower(d))
				default:
					finish()
				}
			}
		case r == '&':
			finish()
			spans = append(spans, len(buf), len(buf)+3)
			buf = append(buf, "and"...)
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			word()
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		default:
			finish()
			if sentences && sentenceEnd(s, i) {
				ends = append(ends, len(spans)/2)
			}
		}
	}
	finish()
	all := string(buf)
	out := make([]string, len(spans)/2)
	for k := range out {
		out[k] = all[spans[2*k]:spans[2*k+1]]
	}
	return out, ends
}

// foldMax bounds the runes of the folded table: Latin-1 Supplement and
// Latin Extended-A and -B, where the accented letters of most European
// languages live.
const foldMax = 0x250

// folded[r] is the lower-case letters of the NFKD form of r without its
// combining marks ("é" → "e", "Ǆ" → "dz"), for each r below foldMax whose
// decomposition is letters and marks only; "" elsewhere.
var folded = func() (t [foldMax]string) {
	for r := rune(0x80); r < foldMax; r++ {
		if !decomposes(r) {
			continue
		}
		var b []byte
		ok := true
		for _, d := range norm.NFKD.String(string(r)) {
			switch {
			case unicode.Is(unicode.Mn, d):
			case unicode.IsLetter(d) || unicode.IsDigit(d):
				b = utf8.AppendRune(b, unicode.ToLower(d))
			default:
				ok = false
			}
		}
		if ok && len(b) > 0 {
			t[r] = string(b)
		}
	}
	return t
}()

// decomposes reports whether r has a compatibility decomposition.
func decomposes(r rune) bool {
	var b [utf8.UTFMax]byte
	n := utf8.EncodeRune(b[:], r)
	return len(norm.NFKD.Properties(b[:n]).Decomposition()) > 0
}

// abbreviations end with a period that does not end a sentence.
var abbreviations = map[string]bool{"dr": true, "prof": true, "mr": true, "mrs": true, "ms": true, "st": true,
	"jr": true, "sr": true, "vs": true, "etc": true, "no": true, "inc": true, "ltd": true, "co": true,
	"gen": true, "col": true, "lt": true, "mt": true, "ft": true, "approx": true, "ca": true, "e.g": true,
	"i.e": true, "fig": true, "vol": true, "ed": true, "rev": true, "sv": true, "tzv": true, "atd": true, "apod": true}

// sentenceEnd reports whether the byte s[i] ends a sentence (see tokenize).
func sentenceEnd(s string, i int) bool {
	switch s[i] {
	case '?', '!', ';', '\n':
		return true
	case '.':
		if i+1 < len(s) && s[i+1] != ' ' && s[i+1] != '\n' {
			return false // "2.45", "D.C"
		}
		if i >= 2 && 'A' <= s[i-1] && s[i-1] <= 'Z' && (s[i-2] == ' ' || s[i-2] == '.') {
			return false // "J. Smith", "D.C."
		}
		w := strings.LastIndexAny(s[:i], " \n\t(\"")
		return !abbreviations[strings.ToLower(s[w+1:i])] // "Prof. Rao", "Inc. was"
	}
	return false
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
