package grade

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A gold answer often says more than the answer it stands for: where the
// thing is ("Camping World Stadium in Orlando") or what kind of thing it is
// ("the ARPANET project", "substitute good" for "a good that can be used in
// place of another good"). People, and SimpleQA's grader, accept the thing
// named without that detail; the rules below find it.

// kinds are nouns that say what kind of thing a name is, which a gold may
// end with and an answer leave out ("Mississippi River": "Mississippi").
var kinds = set("project", "market", "river", "lake", "island", "islands", "mountain", "mountains",
	"city", "county", "province", "park", "stadium", "arena", "university", "college", "language",
	"people", "tribe", "band", "group", "team", "company", "bay", "sea", "ocean", "gulf", "strait",
	"valley", "desert", "forest", "glacier", "peninsula", "canal", "creek")

// places are the prepositions after which a gold says where its thing is.
var places = set("in", "at", "near")

// keyParts returns the shorter forms of gold g (core tokens c) that name
// the same thing: the part before "in", "at" or "near" when a proper name
// follows ("Camping World Stadium in Orlando": "camping world stadium"),
// c without a last word that is a kind noun ("the ARPANET project"), and c
// without a last word that is a common noun of the question, which need
// not be repeated ("substitute good" for "a good that can be used in place
// of another good").
//
// With coarse set, the place after "in", "at" or "near" is a key part too:
// a coarser answer ("Orlando" for "Camping World Stadium in Orlando").
func keyParts(g string, c []string, asked map[string]bool, coarse bool) [][]string {
	var out [][]string
	ws := strings.Fields(g)
	for i := 1; i < len(ws)-1; i++ {
		if places[ws[i]] && startsUpper(ws[i+1]) {
			if x := core(tokens(strings.Join(ws[:i], " "))); len(x) > 0 && len(x) < len(c) {
				out = append(out, x)
			}
			if y := tokens(strings.Join(ws[i+1:], " ")); coarse && len(y) > 0 {
				out = append(out, y)
			}
			break
		}
	}
	if n := len(c); n >= 2 && !asked[c[n-2]] {
		if kinds[c[n-1]] || asked[c[n-1]] && !startsUpper(ws[len(ws)-1]) {
			out = append(out, c[:n-1])
		}
	}
	return out
}

func startsUpper(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// partIn reports whether the response words ra hold the key part p of a
// gold as a whole: not followed by a different kind noun ("Hudson Bay" is
// not the "Hudson River"), and not beside another candidate. ok is false
// when p is absent.
func partIn(ra, p []string) (correct, ok bool) {
	i := indexSeq(ra, p)
	if i < 0 || !hasLetter(p[len(p)-1]) {
		return false, false
	}
	j := i + len(p)
	if j < len(ra) && kinds[ra[j]] {
		return false, false
	}
	return !hedgedBetween(ra, i, j), true
}

// descriptive reports whether gold is a description rather than a name: two
// or more words, all written in lower case ("local authorities", "collect
// menstrual flow").
func descriptive(gold string) bool {
	ws := strings.Fields(gold)
	if len(ws) < 2 {
		return false
	}
	for _, w := range ws {
		if strings.ToLower(w) != w || !hasLetter(w) {
			return false
		}
	}
	return true
}

// spreadIn reports whether the words of p occur in order in rt with at
// most two other words between them in all ("local licensing authority"
// for "local authority"), and returns where.
func spreadIn(rt, p []string) (int, int, bool) {
	for i, w := range rt {
		if w != p[0] {
			continue
		}
		k, j := 1, i+1
		for ; j < len(rt) && k < len(p) && j-i-k <= 2; j++ {
			if rt[j] == p[k] {
				k++
			}
		}
		if k == len(p) && j-i-len(p) <= 2 {
			return i, j, true
		}
	}
	return 0, 0, false
}
