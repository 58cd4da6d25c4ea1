package grade

import (
	"math"
	"regexp"
	"strconv"
	"strings"

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
	s = norm.NFKC.String(s)
	var out []float64
	for _, m := range numberRe.FindAllStringSubmatchIndex(s, -1) {
		digits := strings.ReplaceAll(s[m[2]:m[3]], ",", "")
		if m[4] >= 0 {
			digits += s[m[4]:m[5]]
		}
		v, err := strconv.ParseFloat(digits, 64)
		if err != nil {
			continue
		}
		if m[6] >= 0 {
			v *= scales[strings.ToLower(strings.TrimSpace(s[m[6]:m[7]]))]
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
		out = append(out, v)
	}
	return append(out, wordNumbers(tokens(s))...)
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

// numericGold describes a gold answer that is a number: its value and the
// interval a response's number must fall in.
type numericGold struct {
	lo, hi float64
}

// rangeRe finds SimpleQA Verified's "(acceptable range: anything between
// 208 and 214)".
var rangeRe = regexp.MustCompile(`(?i)\(?\s*acceptable range:?\s*(?:anything\s+)?between\s+(.+?)\s+and\s+([^)]+)\)?`)

// parseNumericGold reports whether gold is a number and the interval that
// matches it: the stated acceptable range if any, else value ± relTol·|value|.
// A gold is a number when it is digits (with separators and an optional
// sign, currency or percent sign) followed by at most two unit words ("168
// acres", "5109 m", "12%"), or only English number words ("forty-seven").
func parseNumericGold(gold string, relTol float64) (numericGold, bool) {
	if m := rangeRe.FindStringSubmatchIndex(gold); m != nil {
		lo, hi := numbers(gold[m[2]:m[3]]), numbers(gold[m[4]:m[5]])
		if len(lo) > 0 && len(hi) > 0 && lo[0] <= hi[0] {
			return numericGold{lo[0], hi[0]}, true
		}
		gold = gold[:m[0]]
	}
	g := strings.TrimSpace(norm.NFKC.String(gold))
	var v, prec float64
	if m := numberRe.FindStringIndex(g); m != nil {
		if strings.Trim(g[:m[0]], "$€£¥~≈−-+ ") != "" {
			return numericGold{}, false
		}
		rest := tokens(g[m[1]:])
		if len(rest) > 2 || strings.ContainsAny(g[m[1]:], "0123456789") {
			return numericGold{}, false
		}
		v = numbers(g)[0]
		prec = precision(g[m[0]:m[1]])
	} else {
		ts := tokens(g)
		ws := wordNumbers(ts)
		if len(ws) != 1 {
			return numericGold{}, false
		}
		for _, w := range ts {
			if _, ok := units[w]; !ok && w != "hundred" && w != "and" && scales[w] == 0 {
				return numericGold{}, false
			}
		}
		v = ws[0]
	}
	d := max(relTol*math.Abs(v), prec)
	return numericGold{v - d, v + d}, true
}

// seqWords may join the numbers of a numeric-sequence gold.
var seqWords = map[string]bool{"to": true, "and": true, "or": true, "from": true, "between": true}

// numericSequenceGold reports whether gold is two to four numbers joined
// only by separators or the words of seqWords ("2008-2013", "1995 to
// 1997", "3, 5 and 8"), and returns them.
func numericSequenceGold(gold string) ([]float64, bool) {
	if rangeRe.MatchString(gold) {
		return nil, false
	}
	ns := numbers(gold)
	if len(ns) < 2 || len(ns) > 4 {
		return nil, false
	}
	for _, t := range tokens(gold) {
		if _, err := strconv.ParseFloat(t, 64); err != nil && !seqWords[t] {
			return nil, false
		}
	}
	for i := range ns {
		ns[i] = math.Abs(ns[i]) // "2008-2013": the dash is not a sign
	}
	return ns, true
}

// containsNumbers reports whether seq occurs in order, contiguously, in
// have (absolute values compared, within relative tolerance tol).
func containsNumbers(have, seq []float64, tol float64) bool {
outer:
	for i := 0; i+len(seq) <= len(have); i++ {
		for j, v := range seq {
			if math.Abs(math.Abs(have[i+j])-v) > tol*v {
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
