package grade

import (
	"regexp"
	"strings"
)

// acronymRe finds an acronym as written: two to six capital letters
// ("DMV", "USPS"), optionally with periods ("U.S.").
var acronymRe = regexp.MustCompile(`\b(?:[A-Z]\.?){2,6}\b`)

// acronymGlue are the words an acronym skips ("Department of Motor
// Vehicles": DMV).
var acronymGlue = set("of", "and", "for")

// initials returns the first letters (bytes) of ws, normalised words,
// skipping acronymGlue.
func initials(ws []string) string {
	var b strings.Builder
	for _, w := range ws {
		if !acronymGlue[w] {
			b.WriteByte(w[0])
		}
	}
	return b.String()
}

// acronymFor returns the lower-case letters of s when s, trimmed, is an
// acronym as written.
func acronymFor(s string) string {
	s = strings.TrimSpace(s)
	if !acronymRe.MatchString(s) || acronymRe.FindString(s) != s {
		return ""
	}
	return strings.ToLower(strings.ReplaceAll(s, ".", ""))
}

// expandsAcronym reports whether consecutive words of rt, starting and
// ending with a word that is not glue, have the initials acr ("department
// of motor vehicles" for "dmv").
func expandsAcronym(rt []string, acr string) bool {
	for i, w := range rt {
		if acronymGlue[w] || w[0] != acr[0] {
			continue
		}
		n := 0
		for j := i; j < len(rt) && n < len(acr); j++ {
			if acronymGlue[rt[j]] {
				continue
			}
			if rt[j][0] != acr[n] {
				break
			}
			if n++; n == len(acr) {
				return true
			}
		}
	}
	return false
}

// minAcronym is the fewest letters of an acronym matched: two letters
// spell too many pairs of words by chance ("India and Bangladesh": IB).
const minAcronym = 3

// acronymMatch reports whether the response states gold g by an acronym
// of at least minAcronym letters: g is an acronym whose words the response
// spells out ("Department of Motor Vehicles" for "DMV"), or the response
// writes the acronym of g's words ("USPS" for "United States Postal
// Service") and the question does not (a response that repeats the
// acronym asked about, as in "What does CYAN stand for?", has not
// expanded it).
func acronymMatch(question, response string, rt []string, g string, gt []string) (string, bool) {
	if acr := acronymFor(g); len(acr) >= minAcronym && expandsAcronym(rt, acr) {
		return "spells out the acronym of gold " + quote(g), true
	}
	if len(gt) < minAcronym || !strings.ContainsAny(response, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		return "", false
	}
	want := initials(gt)
	if len(want) < minAcronym {
		return "", false
	}
	for _, a := range acronymRe.FindAllString(response, -1) {
		if strings.ToLower(strings.ReplaceAll(a, ".", "")) == want && !strings.Contains(question, a) {
			return "writes gold " + quote(g) + " as its acronym " + a, true
		}
	}
	return "", false
}
