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

// affixes are words that may stand before or after a name without changing
// whom or what it names: honorifics and titles, generational suffixes, and
// company or club forms. They are dropped at the edges of a gold answer and
// anywhere in a response.
var affixes = map[string]bool{
	"dr": true, "doctor": true, "mr": true, "mrs": true, "ms": true, "miss": true, "mx": true,
	"prof": true, "professor": true, "sir": true, "dame": true, "lord": true, "lady": true,
	"rev": true, "reverend": true, "fr": true, "st": true, "saint": true, "hon": true,
	"president": true, "king": true, "queen": true, "prince": true, "princess": true,
	"emperor": true, "empress": true, "pope": true, "general": true, "gen": true,
	"captain": true, "capt": true, "colonel": true, "col": true, "lt": true, "sgt": true,
	"senator": true, "sen": true, "governor": true, "gov": true, "judge": true, "justice": true,
	"bishop": true, "cardinal": true, "rabbi": true, "imam": true, "sheikh": true,
	"jr": true, "sr": true, "phd": true, "md": true,
	"fc": true, "afc": true, "cf": true, "sc": true, "ac": true, "fk": true, "bk": true,
	"inc": true, "incorporated": true, "ltd": true, "limited": true, "llc": true, "plc": true,
	"corp": true, "corporation": true, "co": true, "company": true, "gmbh": true, "ag": true,
	"sa": true, "bv": true, "nv": true, "spa": true, "srl": true, "pty": true,
}

// qualifiers may open a gold answer without being part of it ("in the
// s-block", "around 2.45 billion years ago", "Typically, no").
var qualifiers = map[string]bool{
	"in": true, "on": true, "at": true, "by": true, "to": true, "from": true, "during": true,
	"around": true, "about": true, "approximately": true, "roughly": true, "nearly": true,
	"almost": true, "circa": true, "c": true, "ca": true, "typically": true, "usually": true,
	"generally": true, "mostly": true,
}

// core returns gold tokens without leading qualifiers and without affixes
// at either end; it keeps at least one word.
func core(gt []string) []string {
	for len(gt) > 1 && (qualifiers[gt[0]] || affixes[gt[0]]) {
		gt = gt[1:]
	}
	for len(gt) > 1 && affixes[gt[len(gt)-1]] {
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
