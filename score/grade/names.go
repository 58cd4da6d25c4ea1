package grade

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// The rules below follow how SimpleQA's grader (Wei et al. 2024, "Measuring
// short-form factuality in large language models", the grader template of
// openai/simple-evals) and human raters accept a short answer: a title, an
// honorific, a middle name or a company or club suffix present on one side
// only does not make the answer different; nor does a state written out
// against its postal abbreviation.

// titles are honorifics and titles: they stand before a name ("Dr.
// Elizabeth Dennis", "King Dinis"), so a gold answer sheds them only at its
// start ("District Judge" keeps "judge").
var titles = set("dr", "doctor", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sir", "dame",
	"lord", "lady", "rev", "reverend", "fr", "st", "saint", "hon", "president", "king", "queen",
	"prince", "princess", "emperor", "empress", "pope", "general", "gen", "captain", "capt",
	"colonel", "col", "lt", "sgt", "senator", "sen", "governor", "gov", "judge", "justice",
	"bishop", "cardinal", "rabbi", "imam", "sheikh")

// suffixes follow a name: generational and academic suffixes and company
// forms ("Apple Inc."); a gold answer sheds them only at its end.
var suffixes = set("jr", "sr", "phd", "md", "inc", "incorporated", "ltd", "limited", "llc", "plc",
	"corp", "corporation", "co", "company", "gmbh", "ag", "sa", "bv", "nv", "spa", "srl", "pty")

// clubForms stand before or after a club's name ("FC Barcelona", "Arsenal
// FC").
var clubForms = set("fc", "afc", "cf", "sc", "ac", "fk", "bk")

// affixes are the words of titles, suffixes and clubForms: a response is
// searched for a gold without them wherever they stand.
var affixes = union(titles, suffixes, clubForms)

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

func union(ms ...map[string]bool) map[string]bool {
	u := map[string]bool{}
	for _, m := range ms {
		for w := range m {
			u[w] = true
		}
	}
	return u
}

// qualifiers may open a gold answer without being part of it ("in the
// s-block", "around 2.45 billion years ago", "Typically, no").
var qualifiers = map[string]bool{
	"in": true, "on": true, "at": true, "by": true, "to": true, "from": true, "during": true,
	"around": true, "about": true, "approximately": true, "roughly": true, "nearly": true,
	"almost": true, "circa": true, "c": true, "ca": true, "some": true, "typically": true, "usually": true,
	"generally": true, "mostly": true, "early": true, "late": true, "mid": true,
}

// core returns gold tokens without leading qualifiers, titles and club
// forms, and without trailing suffixes and club forms; it keeps at least
// one word.
func core(gt []string) []string {
	for len(gt) > 1 && (qualifiers[gt[0]] || titles[gt[0]] || clubForms[gt[0]]) {
		gt = gt[1:]
	}
	for len(gt) > 1 && (suffixes[gt[len(gt)-1]] || clubForms[gt[len(gt)-1]]) {
		gt = gt[:len(gt)-1]
	}
	return gt
}

// withoutAffixes returns ts without affix words.
func withoutAffixes(ts []string) []string {
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		if !affixes[t] {
			out = append(out, t)
		}
	}
	return out
}

// isName reports whether gold looks like a proper name: two to five
// words, each alphabetic and starting with a capital letter, apart from
// particles ("de", "van", "von", "of", "bin", "da").
func isName(gold string) bool {
	ws := strings.Fields(gold)
	if len(ws) < 2 || len(ws) > 5 {
		return false
	}
	for _, w := range ws {
		w = strings.Trim(w, ".,'’\"")
		switch strings.ToLower(w) {
		case "de", "da", "di", "van", "von", "der", "den", "del", "la", "le", "of", "bin", "ibn", "al":
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			return false
		}
		for _, c := range w {
			if !unicode.IsLetter(c) && c != '-' && c != '.' && c != '\'' && c != '’' {
				return false
			}
		}
	}
	return true
}

// sameName reports whether name words a and b can be the same: equal, or
// one an initial of the other ("j" and "john").
func sameName(a, b string) bool {
	return a == b || len(a) == 1 && strings.HasPrefix(b, a) || len(b) == 1 && strings.HasPrefix(a, b)
}

// nameIn reports whether the name gt (core tokens of a name gold) occurs
// in rt allowing for middle names: the first and last names must appear in
// order, as words or initials, with at most two words between them that
// are the gold's own middle names, initials of them, or (at most one)
// a middle name the gold leaves out ("George Barnes" for "George Warren
// Barnes", "John F. Kennedy" for "John Kennedy"). It returns where the
// match ends.
func nameIn(rt, gt []string) (int, int, bool) {
	first, last := gt[0], gt[len(gt)-1]
	middle := gt[1 : len(gt)-1]
	for i, w := range rt {
		if !sameName(w, first) {
			continue
		}
		for j := i + 1; j < len(rt) && j <= i+1+len(middle)+1; j++ {
			if !sameName(rt[j], last) || len(rt[j]) == 1 && len(last) > 1 {
				continue
			}
			extra, k := 0, 0
			ok := true
			for _, m := range rt[i+1 : j] {
				for k < len(middle) && !sameName(m, middle[k]) {
					k++
				}
				if k < len(middle) {
					k++
					continue
				}
				if extra++; extra > 1 {
					ok = false
				}
			}
			if ok {
				return i, j + 1, true
			}
		}
	}
	return 0, 0, false
}

// alternatives returns the forms a gold answer accepts: itself, without a
// parenthetical, the parenthetical alone ("Chaj Doab (Jech Doab)"), and
// each side of " / " or " or " when the gold is a list of alternatives.
// Text mis-decoded as Latin-1 ("2.45Â billion", "DÃ¡in") is repaired first.
func alternatives(gold string) []string {
	gold = repairMojibake(gold)
	out := []string{gold}
	if m := parenRe.FindStringSubmatchIndex(gold); m != nil && !rangeRe.MatchString(gold) {
		outside := strings.TrimSpace(gold[:m[0]] + " " + gold[m[1]:])
		inside := strings.TrimSpace(gold[m[2]:m[3]])
		for _, p := range []string{"or ", "also ", "aka ", "also known as ", "formerly ", "i.e. ", "alternatively "} {
			inside = strings.TrimPrefix(inside, p)
		}
		if tokens(outside) != nil {
			out = append(out, outside)
		}
		if tokens(inside) != nil {
			out = append(out, inside)
		}
	}
	for _, sep := range []string{" / ", " or "} {
		if strings.Contains(gold, sep) {
			for _, p := range strings.Split(gold, sep) {
				if tokens(p) != nil {
					out = append(out, strings.TrimSpace(p))
				}
			}
		}
	}
	return out
}

var parenRe = regexp.MustCompile(`\(([^()]+)\)`)

// repairMojibake undoes the commonest encoding error in eval data: UTF-8
// text decoded as Windows-1252 ("â€“" for "–", "Ã©" for "é"). s is
// returned as it is unless re-encoding it gives valid UTF-8 that differs.
func repairMojibake(s string) string {
	if !strings.ContainsAny(s, "ÃÂâ") {
		return s
	}
	b, err := charmap.Windows1252.NewEncoder().String(s)
	if err != nil || !utf8.ValidString(b) || b == s {
		return s
	}
	return b
}

// usStates maps postal abbreviations to state names.
var usStates = map[string]string{
	"AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
	"CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
	"HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
	"KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
	"MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
	"NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
	"NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
	"OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
	"SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
	"VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
	"DC": "District of Columbia",
}

// stateRe finds a postal abbreviation after a comma ("Portland, OR") or
// written with periods ("N.Y.").
var stateRe = regexp.MustCompile(`(,\s*)([A-Z]{2})\b|\b([A-Z])\.([A-Z])\.`)

// expandStates writes US postal abbreviations out ("Austin, TX" → "Austin,
// Texas"); it reports whether it changed s.
func expandStates(s string) (string, bool) {
	if !capitalPair(s) {
		return s, false
	}
	changed := false
	out := stateRe.ReplaceAllStringFunc(s, func(m string) string {
		sm := stateRe.FindStringSubmatch(m)
		code := sm[2]
		if code == "" {
			code = sm[3] + sm[4]
		}
		name, ok := usStates[code]
		if !ok {
			return m
		}
		changed = true
		return sm[1] + name
	})
	return out, changed
}

// capitalPair reports whether s has two capital letters in a row or a
// capital letter followed by a period: what every postal abbreviation
// stateRe finds has.
func capitalPair(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' && ('A' <= s[i+1] && s[i+1] <= 'Z' || s[i+1] == '.') {
			return true
		}
	}
	return false
}

// hedgedBetween reports whether the words around a match at rt[i:j] offer
// another candidate beside it ("Paris or Lyon", "either Paris or Lyon"),
// which SimpleQA's grader counts as wrong.
func hedgedBetween(rt []string, i, j int) bool {
	near := func(k int) bool { return k >= 0 && k < len(rt) && rt[k] == "or" }
	return near(j) && j+1 < len(rt) || near(i-1) && i >= 2 || i > 0 && rt[i-1] == "either"
}

// indexSeq returns the start of the first occurrence of needle in hay, or
// -1.
func indexSeq(hay, needle []string) int {
	if len(needle) == 0 {
		return -1
	}
outer:
	for i := 0; i+len(needle) <= len(hay); i++ {
		for j, w := range needle {
			if hay[i+j] != w {
				continue outer
			}
		}
		return i
	}
	return -1
}

// singulars returns ts with English plural endings folded ("membranes" →
// "membrane", "stories" → "story"), for comparing words up to number.
func singulars(ts []string) []string {
	out := ts
	for i, t := range ts {
		s := singular(t)
		if s == t {
			continue
		}
		if &out[0] == &ts[0] {
			out = slices.Clone(ts)
		}
		out[i] = s
	}
	return out
}

func singular(w string) string {
	switch {
	case len(w) <= 3 || !strings.HasSuffix(w, "s") || strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "us") || strings.HasSuffix(w, "is"):
		return w
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	}
	return w[:len(w)-1]
}

func hasLetter(w string) bool {
	return strings.IndexFunc(w, unicode.IsLetter) >= 0
}

// typoIn reports whether the name gt (core tokens of a name gold, two or
// more words) occurs in rt with a typo: every word equal but at most one,
// and that one of five or more letters and one edit (an insertion,
// deletion, substitution or transposition of neighbours) away ("Yevgenia
// Medvedeva" for "Evgenia Medvedeva"). SimpleQA's grader does not punish
// "typos in people's name if it's clearly the same name". It returns where
// the match is.
func typoIn(rt, gt []string) (int, int, bool) {
	for i := 0; i+len(gt) <= len(rt); i++ {
		typos := 0
		for j, g := range gt {
			r := rt[i+j]
			if r == g {
				continue
			}
			if typos++; typos > 1 || len(g) < 5 || len(r) < 5 || !oneEdit(r, g) {
				typos = 2
				break
			}
		}
		if typos == 1 {
			return i, i + len(gt), true
		}
	}
	return 0, 0, false
}

// oneEdit reports whether a and b differ by one edit: an insertion,
// deletion or substitution of a byte, or a transposition of two
// neighbouring bytes.
func oneEdit(a, b string) bool {
	if a == b {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		if a[i+1:] == b[i+1:] {
			return true // substitution
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	}
	return a[i:] == b[i+1:] // insertion
}

// compoundIn reports whether the words gt occur in rt written with other
// spacing: joined, split or hyphenated differently ("steam ship" for
// "steamship", "FedEx Field" for "FedExField"). The joined gold must begin
// and end at word boundaries of the joined response.
func compoundIn(rt, gt []string) bool {
	g := strings.Join(gt, "")
	if len(gt) == 0 || len(g) < 6 {
		return false
	}
	for i := range rt {
		n := 0
		for j := i; j < len(rt) && n < len(g); j++ {
			if !strings.HasPrefix(g[n:], rt[j]) {
				break
			}
			if n += len(rt[j]); n == len(g) {
				return j > i || len(gt) > 1
			}
		}
	}
	return false
}
