package grade

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// numberRe matches a decimal number with optional thousands separators,
// optionally followed by a scale word.
var numberRe = regexp.MustCompile(`(?i)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(\s*(?:thousand|million|billion|trillion)\b)?`)

var scales = map[string]float64{"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}

// numbers returns the numbers written in s, in digits ("1,234.5", "−3",
// "2 million") or in English words ("one thousand, nine hundred and
// forty-seven").
func numbers(s string) []float64 {
	var out []float64
	for _, n := range numberSpans(s) {
		out = append(out, n.v)
	}
	return out
}

// A number is a number read from text: its value and half a unit of its
// last written digit ("2.4 billion": 0.05 billion; "1968": 0.5), the
// precision its writer stated.
type number struct{ v, half float64 }

// numberSpans returns the numbers of s (see numbers) with their precision.
func numberSpans(s string) []number {
	var out []number
	if strings.IndexFunc(s, unicode.IsDigit) >= 0 {
		out = digitNumbers(norm.NFKC.String(s))
	}
	for _, v := range wordNumbers(tokens(s)) {
		out = append(out, number{v, 0.5})
	}
	return out
}

// digitNumbers returns the numbers written in digits in s (NFKC-folded).
func digitNumbers(s string) []number {
	var out []number
	for _, m := range numberRe.FindAllStringSubmatchIndex(s, -1) {
		digits := strings.ReplaceAll(s[m[2]:m[3]], ",", "")
		half := 0.5
		if m[4] >= 0 {
			digits += s[m[4]:m[5]]
			half = 0.5 * math.Pow(10, -float64(m[5]-m[4]-1))
		}
		v, err := strconv.ParseFloat(digits, 64)
		if err != nil {
			continue
		}
		if m[6] >= 0 {
			scale := scales[strings.ToLower(strings.TrimSpace(s[m[6]:m[7]]))]
			v *= scale
			half = max(half*scale, precision(s[m[0]:m[1]]))
		}
		// A minus sign counts only where it cannot be a hyphen or a range
		// dash ("1990-95", "COVID-19").
		if i := m[0]; i > 0 {
			prev := s[:i]
			for _, minus := range []string{"-", "−"} {
				if strings.HasSuffix(prev, minus) {
					before := strings.TrimSuffix(prev, minus)
					if before == "" || strings.HasSuffix(before, " ") || strings.HasSuffix(before, "(") {
						v = -v
					}
				}
			}
		}
		out = append(out, number{v, half})
	}
	return out
}

var (
	units = map[string]float64{
		"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
		"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
		"fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
		"nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
		"seventy": 70, "eighty": 80, "ninety": 90,
	}
)

// wordNumbers parses runs of English number words in normalised tokens.
func wordNumbers(ts []string) []float64 {
	var out []float64
	total, cur, in := 0.0, 0.0, false
	flush := func() {
		if in {
			out = append(out, total+cur)
		}
		total, cur, in = 0, 0, false
	}
	for _, w := range ts {
		switch u, isUnit := units[w]; {
		case isUnit:
			cur += u
			in = true
		case w == "hundred" && in:
			cur *= 100
		case scales[w] > 0 && in:
			total += cur * scales[w]
			cur = 0
		case w == "and" && in:
		default:
			flush()
		}
	}
	flush()
	return out
}

// numericGold describes a gold answer that is a number: the interval a
// response's number must fall in and, for a gold that says it is
// approximate ("around 2.45 billion"), its value.
type numericGold struct {
	lo, hi float64
	approx bool
	v      float64
	why    string // how a number matches it, for the grade's reason
}

// matches reports whether the response number n states the gold: it lies
// in the gold's interval or, when the gold is approximate, the gold rounds
// to n at n's own precision ("2.4 billion" for "around 2.45 billion").
func (g numericGold) matches(n number) bool {
	const eps = 1e-9 // decimal halves are not exact in binary
	return n.v >= g.lo && n.v <= g.hi || g.approx && math.Abs(n.v-g.v) <= n.half*(1+eps)
}

// rangeRe finds SimpleQA Verified's "(acceptable range: anything between
// 208 and 214)".
var rangeRe = regexp.MustCompile(`(?i)\(?\s*acceptable range:?\s*(?:anything\s+)?between\s+(.+?)\s+and\s+([^)]+)\)?`)

// approximate are the qualifiers by which a gold says its number is
// approximate.
var approximate = set("around", "about", "approximately", "roughly", "nearly", "almost", "circa", "c", "ca", "some")

// bounds are the words by which a gold gives a bound rather than a value
// ("more than 80"): the response's number must lie beyond it. open says
// the bound itself is excluded.
var bounds = []struct {
	words []string
	lower bool
	open  bool
}{
	{[]string{"more", "than"}, true, true}, {[]string{"greater", "than"}, true, true},
	{[]string{"over"}, true, true}, {[]string{"at", "least"}, true, false},
	{[]string{"in", "excess", "of"}, true, true}, {[]string{"upwards", "of"}, true, true},
	{[]string{"less", "than"}, false, true}, {[]string{"fewer", "than"}, false, true},
	{[]string{"under"}, false, true}, {[]string{"below"}, false, true},
	{[]string{"at", "most"}, false, false}, {[]string{"up", "to"}, false, false},
}

// parseNumericGold reports whether gold is a number and the interval that
// matches it: the stated acceptable range if any, else value ± relTol·|value|.
// A gold is a number when it is digits (with separators and an optional
// sign, currency or percent sign) followed by at most two unit words ("168
// acres", "5109 m", "12%"), or only English number words ("forty-seven"),
// after leading qualifiers ("in", "late", "around": see qualifiers). A gold
// opened by a bound ("more than 80", "at least 3 times") matches the
// numbers beyond it.
func parseNumericGold(gold string, relTol float64) (numericGold, bool) {
	if m := rangeRe.FindStringSubmatchIndex(gold); m != nil {
		lo, hi := numbers(gold[m[2]:m[3]]), numbers(gold[m[4]:m[5]])
		if len(lo) > 0 && len(hi) > 0 && lo[0] <= hi[0] {
			return numericGold{lo: lo[0], hi: hi[0], why: "within its acceptable range"}, true
		}
		gold = gold[:m[0]]
	}
	g := strings.TrimSpace(norm.NFKC.String(gold))
	g, approx, bound := qualified(g)
	var v, prec float64
	if m := numberRe.FindStringIndex(g); m != nil {
		if strings.Trim(g[:m[0]], "$€£¥~≈−-+ ") != "" {
			return numericGold{}, false
		}
		rest := tokens(g[m[1]:])
		if len(rest) > 2 || strings.ContainsAny(g[m[1]:], "0123456789") {
			return numericGold{}, false
		}
		approx = approx || strings.ContainsAny(g[:m[0]], "~≈")
		v = numbers(g)[0]
		prec = precision(g[m[0]:m[1]])
	} else {
		// Number words, then at most two unit words written in lower
		// case ("four years"; "Three Dog Night" is a name).
		fs := strings.Fields(g)
		n := 0
		for n < len(fs) && numberWord(tokens(fs[n])) {
			n++
		}
		if n == 0 || len(fs)-n > 2 || strings.ToLower(strings.Join(fs[n:], " ")) != strings.Join(fs[n:], " ") {
			return numericGold{}, false
		}
		ws := wordNumbers(tokens(strings.Join(fs[:n], " ")))
		if len(ws) != 1 {
			return numericGold{}, false
		}
		v = ws[0]
	}
	if bound >= 0 && v > 0 {
		// A bound also names a magnitude: "more than 80" is not 914, and
		// "fewer than 10" is not 2. A response number must lie beyond the
		// bound and within a factor of two of it.
		b := bounds[bound]
		if b.lower {
			lo := v
			if b.open {
				lo = math.Nextafter(v, math.Inf(1))
			}
			return numericGold{lo: lo, hi: 2 * v, why: "beyond its bound, within a factor of two"}, true
		}
		hi := v
		if b.open {
			hi = math.Nextafter(v, math.Inf(-1))
		}
		return numericGold{lo: v / 2, hi: hi, why: "beyond its bound, within a factor of two"}, true
	}
	if bound >= 0 {
		return numericGold{}, false
	}
	d := max(relTol*math.Abs(v), prec)
	why := "to its precision"
	if approx {
		why = "to its precision, or it rounds to the response's"
	}
	return numericGold{lo: v - d, hi: v + d, approx: approx, v: v, why: why}, true
}

// qualified strips the leading qualifiers of gold (see qualifiers) and a
// bound; approx reports an approximation qualifier, bound the index in
// bounds of the bound (or -1).
func qualified(gold string) (rest string, approx bool, bound int) {
	for {
		ws := strings.Fields(strings.ToLower(gold))
		for i, b := range bounds {
			if len(ws) > len(b.words) && slices.Equal(ws[:len(b.words)], b.words) {
				return strings.Join(strings.Fields(gold)[len(b.words):], " "), approx, i
			}
		}
		if len(ws) < 2 || !qualifiers[strings.TrimRight(ws[0], ".,:")] {
			return gold, approx, -1
		}
		approx = approx || approximate[strings.TrimRight(ws[0], ".,:")]
		_, gold, _ = strings.Cut(gold, " ")
		gold = strings.TrimSpace(gold)
	}
}

// numberWord reports whether ts, the words of one field of text, are
// English number words ("forty-seven": forty, seven).
func numberWord(ts []string) bool {
	for _, w := range ts {
		if _, ok := units[w]; !ok && w != "hundred" && w != "and" && scales[w] == 0 {
			return false
		}
	}
	return len(ts) > 0
}

// seqWords may join the numbers of a numeric-sequence gold.
var seqWords = map[string]bool{"to": true, "and": true, "or": true, "from": true, "between": true}

// numericSequenceGold reports whether gold is two to four numbers joined
// only by separators or the words of seqWords, and at most two unit words
// after them ("2008-2013", "1995 to 1997", "3, 5 and 8", "10–12 years"),
// and returns them.
func numericSequenceGold(gold string) ([]float64, bool) {
	if rangeRe.MatchString(gold) {
		return nil, false
	}
	ns := numbers(gold)
	if len(ns) < 2 || len(ns) > 4 {
		return nil, false
	}
	ts := tokens(gold)
	last := len(ts) - 1
	for last >= 0 && len(ts)-1-last < 2 && !isDigits(ts[last]) {
		last--
	}
	for _, t := range ts[:last+1] {
		if !isDigits(t) && !seqWords[t] {
			return nil, false
		}
	}
	for i := range ns {
		ns[i] = math.Abs(ns[i]) // "2008-2013": the dash is not a sign
	}
	return ns, true
}

func isDigits(t string) bool {
	_, err := strconv.ParseFloat(t, 64)
	return err == nil
}

// quantityRangeRe is a gold of two numbers joined by a dash or "to" and
// at most two unit words after them ("10–12 years", "3 to 5.5 m").
var quantityRangeRe = regexp.MustCompile(`^\s*(\d+(?:\.\d+)?)\s*(?:-|–|—|to)\s*(\d+(?:\.\d+)?)(?:\s+\pL+\.?){0,2}\s*$`)

// quantityRange reports whether gold is a range of quantities ("10–12
// years"), which any number within it states, and returns its ends. A
// span of years ("2008-2013", "1900 to 1946"), whose ends are both whole
// numbers from 1000 to 2999, is not one: it asks for both ends.
func quantityRange(gold string) (lo, hi float64, ok bool) {
	m := quantityRangeRe.FindStringSubmatch(gold)
	if m == nil {
		return 0, 0, false
	}
	lo, _ = strconv.ParseFloat(m[1], 64)
	hi, _ = strconv.ParseFloat(m[2], 64)
	return lo, hi, lo < hi && !(isYear(lo) && isYear(hi))
}

// containsNumbers reports whether seq occurs in order, contiguously, in
// have (absolute values compared, within relative tolerance tol).
func containsNumbers(have []number, seq []float64, tol float64) bool {
outer:
	for i := 0; i+len(seq) <= len(have); i++ {
		for j, v := range seq {
			if math.Abs(math.Abs(have[i+j].v)-v) > tol*v {
				continue outer
			}
		}
		return true
	}
	return false
}

// precision returns half a unit of the last significant digit of a number
// written with a decimal part or a scale word: SimpleQA's grader takes an
// answer as correct "to the last significant figure in the gold answer"
// (gold 2.45 billion: 2.445 to 2.455 billion; gold 120 thousand: 115 to 125
// thousand). Integers without a scale word are exact (0).
func precision(num string) float64 {
	m := numberRe.FindStringSubmatch(num)
	if m == nil {
		return 0
	}
	scale := 1.0
	if m[3] != "" {
		scale = scales[strings.ToLower(strings.TrimSpace(m[3]))]
	}
	if m[2] != "" {
		return 0.5 * math.Pow(10, -float64(len(m[2])-1)) * scale
	}
	if m[3] == "" {
		return 0
	}
	digits := strings.ReplaceAll(m[1], ",", "")
	tz := len(digits) - len(strings.TrimRight(digits, "0"))
	return 0.5 * math.Pow(10, float64(tz)) * scale
}
