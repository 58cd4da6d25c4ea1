package grade

import (
	"slices"
	"strconv"
)

// wordForms maps words written two ways to one form, so that a response
// and a gold compare equal however each writes them: ordinals in words
// and in digits ("sixth", "6th") and the eras BCE and BC. (Roman numerals
// are not folded: "Dark Souls II" would then contain the gold "2".)
var wordForms = func() map[string]string {
	m := map[string]string{"bce": "bc"}
	ordinals := []string{"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
		"ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
		"seventeenth", "eighteenth", "nineteenth", "twentieth"}
	suffix := func(n int) string {
		switch {
		case n%100 >= 11 && n%100 <= 13:
			return "th"
		case n%10 == 1:
			return "st"
		case n%10 == 2:
			return "nd"
		case n%10 == 3:
			return "rd"
		}
		return "th"
	}
	for i, o := range ordinals {
		n := i + 1
		m[o] = strconv.Itoa(n) + suffix(n)
	}
	return m
}()

// fold returns ts with each word in wordForms replaced by its one form; ts
// itself when none is.
func fold(ts []string) []string {
	out := ts
	for i, t := range ts {
		f, ok := wordForms[t]
		if !ok {
			continue
		}
		if &out[0] == &ts[0] {
			out = slices.Clone(ts)
		}
		out[i] = f
	}
	return out
}
