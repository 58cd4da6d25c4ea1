package grade

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// A Detector recognises abstentions: responses that decline to answer
// (paper.md §6.1's A_c, "I don't know" and its variants). It works on
// normalised text (see Normalize), so case, punctuation and apostrophes do
// not matter.
//
// A response is an abstention when it contains one of Phrases as a run of
// whole words, or equals one of Whole, and contains none of Guesses: "I'm
// not sure, but I think it's Paris" is a hedged answer, not an abstention.
// (Matcher also counts a response as an answer when, the abstention phrases
// cut out, what remains matches the gold.)
type Detector struct {
	Phrases []string // abstain when contained
	Whole   []string // abstain when the whole response
	Guesses []string // markers of a hedged answer, which cancel an abstention

	phrases, guesses [][]string
	whole            map[string]bool
}

// DefaultPhrases is the built-in abstention phrase set, in the text format
// ParseDetector reads: one phrase per line; "=phrase" matches only the
// whole response; "!phrase" marks a hedged guess, which cancels an
// abstention; "#" starts a comment. `hallu score --abstain-phrases FILE`
// replaces it.
const DefaultPhrases = `# Declining to answer, anywhere in the response.
i dont know
i do not know
dont know the answer
no idea
not sure
unsure
not certain
cannot answer
cant answer
unable to answer
unable to determine
unable to find
unable to provide
cannot determine
cant determine
cannot be determined
cannot say
cant say
cannot provide
cant provide
cannot confirm
cant confirm
not able to answer
not able to determine
not able to provide
dont have enough information
do not have enough information
not enough information
insufficient information
dont have information
do not have information
dont have access
do not have access
no reliable information
have no comment
no comment
have to look it up
have to look that up
need to look it up
would need to check
i decline to answer
refrain from answering
rather not guess
not confident enough
cannot confidently
cant confidently
have no certainty
# Only when they are the whole response.
=idk
=unknown
=unsure
=none
=n a
=no answer
=not known
=pass
# A hedged guess is an answer, not an abstention.
!i think
!i believe
!my guess
!best guess
!i would guess
!id guess
!i would say
!id say
!probably
!most likely
!it might be
!it may be
!it could be
!perhaps
!maybe
!possibly
!might have
!may have
!could have
!ill say
!i will say
!seems
`

// NewDetector returns a Detector for the given lists, normalising each
// phrase with Normalize.
func NewDetector(phrases, whole, guesses []string) *Detector {
	d := &Detector{Phrases: phrases, Whole: whole, Guesses: guesses, whole: map[string]bool{}}
	for _, p := range phrases {
		if ts := tokens(p); len(ts) > 0 {
			d.phrases = append(d.phrases, ts)
		}
	}
	for _, p := range guesses {
		if ts := tokens(p); len(ts) > 0 {
			d.guesses = append(d.guesses, ts)
		}
	}
	for _, p := range whole {
		if n := Normalize(p); n != "" {
			d.whole[n] = true
		}
	}
	return d
}

// DefaultDetector returns the Detector of DefaultPhrases.
func DefaultDetector() *Detector {
	d, err := ParseDetector(strings.NewReader(DefaultPhrases))
	if err != nil {
		panic("grade: DefaultPhrases: " + err.Error())
	}
	return d
}

// ParseDetector reads a phrase file in DefaultPhrases' format.
func ParseDetector(r io.Reader) (*Detector, error) {
	var phrases, whole, guesses []string
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		switch {
		case s == "" || strings.HasPrefix(s, "#"):
			continue
		case strings.HasPrefix(s, "="):
			whole = append(whole, s[1:])
		case strings.HasPrefix(s, "!"):
			guesses = append(guesses, s[1:])
		default:
			phrases = append(phrases, s)
		}
		if Normalize(strings.TrimLeft(s, "=!")) == "" {
			return nil, fmt.Errorf("line %d: phrase %q is empty once normalised", line, s)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return NewDetector(phrases, whole, guesses), nil
}

// Abstains reports whether response is an abstention, and the phrase that
// made it one.
func (d *Detector) Abstains(response string) (bool, string) {
	ok, phrase, _ := d.abstains(tokens(response))
	return ok, phrase
}

// abstains works on normalised tokens; it also returns the tokens with
// every abstention phrase cut out, so that a hedged answer ("I'm unsure,
// but it was Massimo Mastrorillo") can still be matched against the gold.
func (d *Detector) abstains(ts []string) (bool, string, []string) {
	if len(ts) == 0 {
		return false, "", ts
	}
	if n := strings.Join(ts, " "); d.whole[n] {
		return true, n, nil
	}
	phrase := ""
	rest := ts
	for _, p := range d.phrases {
		if !containsSeq(rest, p) {
			continue
		}
		if phrase == "" {
			phrase = strings.Join(p, " ")
		}
		rest = cutSeq(rest, p)
	}
	if phrase == "" {
		return false, "", ts
	}
	for _, g := range d.guesses {
		if containsSeq(ts, g) {
			return false, "", ts
		}
	}
	return true, phrase, rest
}

// cutSeq returns hay without the occurrences of needle.
func cutSeq(hay, needle []string) []string {
	out := make([]string, 0, len(hay))
	for i := 0; i < len(hay); {
		if i+len(needle) <= len(hay) && containsSeq(hay[i:i+len(needle)], needle) {
			i += len(needle)
			continue
		}
		out = append(out, hay[i])
		i++
	}
	return out
}
