package ngram

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// EOS is the sentence-boundary token: it ends every sentence of the training
// stream, is predicted like a word, and ends a generated sample.
const EOS = "</s>"

// UNK stands for every word not seen in training.
const UNK = "<unk>"

// A Token is one word of a text: its normalised form and the bytes of the
// text it came from.
type Token struct {
	Word  string // the normalised word, or EOS for a sentence boundary
	Start int    // byte offset of the token's first byte in the text
	End   int    // byte offset just past its last byte; End == Start for EOS
}

// Tokenize splits text into words and sentence boundaries. The rules, in
// order:
//
//   - Whitespace separates tokens. Control and format characters (a byte
//     order mark, a zero-width space) separate tokens too but are otherwise
//     dropped.
//   - A word is a run of letters, digits and combining marks, joined across
//     a single apostrophe or hyphen ("don't", "well-known"), a period
//     ("3.14", "u.s") or, between digits, a comma ("1,000"). Words are
//     lower-cased; ’ inside a word becomes '.
//   - A period directly after an abbreviation is part of the word: a title
//     such as "mr", "dr", "st", "jr"; letters separated by periods ("u.s",
//     "e.g"); or a single capital letter other than I and A (an initial).
//   - Every other character is a token of its own, with these merged and
//     normalised: a run of two or more periods is "..."; a run of two or
//     more hyphens, and the dashes — – ―, is "--"; the double quotes “ ” „ « »,
//     two backquotes and two apostrophes are `"`; the single quotes ‘ ’ and a
//     lone backquote are '.
//   - A sentence ends after ".", "!" or "?" together with any of ! ? . " ' ) ]
//     that directly follow it, and at a paragraph break (a blank line). The
//     boundary is the token EOS, placed at the end of the sentence with no
//     width. Two boundaries never follow each other, and a text starting
//     with a paragraph break gets no boundary for it.
//
// The end of the text is not a boundary: a prompt is continued where it
// stops. Training appends a boundary after each text it is given.
func Tokenize(text string) []Token {
	var out []Token
	scan(text, true, func(word string, start, end int) {
		out = append(out, Token{Word: word, Start: start, End: end})
	})
	return out
}

// Spacing returns what goes between prev and word when generated words are
// rendered as text: nothing after an opening bracket or before closing
// punctuation, a single space otherwise. An empty prev is the start of the
// text.
func Spacing(prev, word string) string {
	if prev == "" {
		return ""
	}
	switch prev {
	case "(", "[", "{":
		return ""
	}
	switch word {
	case ".", ",", ";", ":", "!", "?", ")", "]", "}", "...", EOS:
		return ""
	}
	return " "
}

// abbreviations take a trailing period as part of the word.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "messrs": true, "dr": true, "prof": true,
	"st": true, "jr": true, "sr": true, "mt": true, "ft": true, "vs": true,
	"gen": true, "col": true, "capt": true, "lt": true, "sgt": true, "rev": true,
	"gov": true, "sen": true, "rep": true, "inc": true, "ltd": true, "corp": true, "co": true,
}

// scanner holds the state of one pass of scan over a text.
type scanner struct {
	text       string
	i          int
	boundaries bool // insert EOS after sentence-final punctuation and paragraph breaks
	emit       func(word string, start, end int)

	last    string // the last word emitted, "" if none
	lastEnd int
	pending bool // a sentence-final mark was emitted; the boundary is due
}

// scan calls emit for every token of text, in order. With boundaries false,
// no EOS is emitted (the caller knows where sentences end).
func scan(text string, boundaries bool, emit func(word string, start, end int)) {
	s := scanner{text: text, boundaries: boundaries, emit: emit}
	newlines := 0
	for s.i < len(s.text) {
		r, n := utf8.DecodeRuneInString(s.text[s.i:])
		switch {
		case unicode.IsSpace(r):
			s.flush()
			if r == '\n' {
				newlines++
				if newlines == 2 {
					s.boundary()
				}
			}
			s.i += n
			continue
		case unicode.In(r, unicode.Cc, unicode.Cf):
			s.i += n
			continue
		}
		newlines = 0
		if isWordRune(r) {
			s.word()
		} else {
			s.punct(r, n)
		}
	}
	s.flush()
}

// put emits one token, first closing the sentence if a boundary is due and
// the token does not belong to the sentence's closing punctuation.
func (s *scanner) put(word string, start, end int) {
	if s.pending && !closesSentence(word) {
		s.flush()
	}
	s.emit(word, start, end)
	s.last, s.lastEnd = word, end
	if s.boundaries && isTerminal(word) {
		s.pending = true
	}
}

// flush emits a boundary that is due.
func (s *scanner) flush() {
	if s.pending {
		s.pending = false
		s.boundary()
	}
}

// boundary emits EOS unless nothing precedes it or a boundary already does.
func (s *scanner) boundary() {
	if !s.boundaries || s.last == "" || s.last == EOS {
		return
	}
	s.emit(EOS, s.lastEnd, s.lastEnd)
	s.last = EOS
}

func isTerminal(w string) bool { return w == "." || w == "!" || w == "?" }

func closesSentence(w string) bool {
	switch w {
	case ".", "!", "?", `"`, "'", ")", "]":
		return true
	}
	return false
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// word scans a word starting at s.i.
func (s *scanner) word() {
	start := s.i
	j := s.i
	for j < len(s.text) {
		r, n := utf8.DecodeRuneInString(s.text[j:])
		if !isWordRune(r) && !s.joins(start, j, r, n) {
			break
		}
		j += n
	}
	raw := s.text[start:j]
	if j < len(s.text) && s.text[j] == '.' && isAbbreviation(raw) {
		j++
	}
	w := strings.ToLower(s.text[start:j])
	if strings.ContainsRune(w, '’') {
		w = strings.ReplaceAll(w, "’", "'")
	}
	s.i = j
	s.put(w, start, j)
}

// joins reports whether the rune r of n bytes at offset j continues the word
// that started at start: a joiner between two word characters.
func (s *scanner) joins(start, j int, r rune, n int) bool {
	prev, _ := utf8.DecodeLastRuneInString(s.text[start:j])
	next, m := utf8.DecodeRuneInString(s.text[j+n:])
	if m == 0 || !isWordRune(next) {
		return false
	}
	switch r {
	case '\'', '’', '-', '.':
		return true
	case ',':
		return unicode.IsDigit(prev) && unicode.IsDigit(next)
	}
	return false
}

// isAbbreviation reports whether a period after raw belongs to it.
func isAbbreviation(raw string) bool {
	if abbreviations[strings.ToLower(raw)] {
		return true
	}
	if utf8.RuneCountInString(raw) == 1 {
		r, _ := utf8.DecodeRuneInString(raw)
		return unicode.IsUpper(r) && r != 'I' && r != 'A'
	}
	if !strings.Contains(raw, ".") {
		return false
	}
	for _, part := range strings.Split(raw, ".") {
		if utf8.RuneCountInString(part) != 1 {
			return false
		}
	}
	return true
}

// punct scans a punctuation or symbol token starting at s.i with rune r of
// n bytes.
func (s *scanner) punct(r rune, n int) {
	start := s.i
	word := string(r)
	j := start + n
	switch r {
	case '.':
		j = s.run(start, func(r rune) bool { return r == '.' })
		if j-start > 1 {
			word = "..."
		}
	case '-', '—', '–', '―':
		j = s.run(start, func(r rune) bool { return r == '-' || r == '—' || r == '–' || r == '―' })
		if r != '-' || j-start > 1 {
			word = "--"
		}
	case '"', '“', '”', '„', '«', '»':
		word = `"`
	case '`', '\'', '‘', '’':
		word = "'"
		if next, m := utf8.DecodeRuneInString(s.text[j:]); m > 0 && (r == '`' && next == '`' || r == '\'' && next == '\'') {
			word, j = `"`, j+m
		}
	}
	s.i = j
	s.put(word, start, j)
}

// run returns the end of the run of runes satisfying in that starts at i.
func (s *scanner) run(i int, in func(rune) bool) int {
	for i < len(s.text) {
		r, n := utf8.DecodeRuneInString(s.text[i:])
		if !in(r) {
			break
		}
		i += n
	}
	return i
}
