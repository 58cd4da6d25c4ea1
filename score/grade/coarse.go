package grade

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// The rules below accept an answer coarser than the gold: a year for a
// full date ("1965" for "1 August 1965"), a month and year for a full
// date, a century for a year ("the 16th century" for "1524"). NQ's human
// raters accept such answers (Kamalloo et al. 2023, NQ301); SimpleQA's
// grader asks for the gold's precision. Matcher applies them only when
// Coarse is set (`hallu score --match lenient`).

// centuryRe finds "the 16th century", "late 19th-century", "mid-16th
// century".
var centuryRe = regexp.MustCompile(`(?i)\b(?:(early|mid|late)[\s-]+)?(\d{1,2})(?:st|nd|rd|th)[\s-]+century\b`)

// inCentury reports whether year y lies in the century "[part] Nth
// century", as the words are commonly used: the 20th century is 1900–1999,
// and early, mid and late are its thirds.
func inCentury(y, n int, part string) bool {
	if y/100+1 != n {
		return false
	}
	switch r := y % 100; strings.ToLower(part) {
	case "early":
		return r < 33
	case "mid":
		return r >= 33 && r < 67
	case "late":
		return r >= 67
	}
	return true
}

// goldYears returns the years a gold answer states: of its dates, or the
// gold itself when it is a whole number from 1000 to 2999.
func goldYears(g string, gds []date) []int {
	var ys []int
	for _, d := range gds {
		ys = append(ys, d.Year)
	}
	if len(ys) == 0 {
		if ng, ok := parseNumericGold(g, 0); ok && ng.lo == ng.hi && isYear(ng.lo) {
			ys = append(ys, int(ng.lo))
		}
	}
	return ys
}

func isYear(v float64) bool { return v == math.Trunc(v) && v >= 1000 && v <= 2999 }

// coarser reports whether the response to question, with numbers rnums
// and dates rdates, states the gold's date or year gd coarsely: a response
// date whose given fields agree with gd but which gives fewer of them, or
// the year of gd, not already in the question, with no response date of
// that year contradicting it, or the century of gd's year.
func coarser(question, response string, rnums []number, rdates []date, gd date) (string, bool) {
	contradicted := false
	for _, rd := range rdates {
		if rd.Year != gd.Year {
			continue
		}
		if (rd.Month == 0 || rd.Month == gd.Month) && (rd.Day == 0 || rd.Day == gd.Day) {
			if gd.Month != 0 && (rd.Month == 0 || gd.Day != 0 && rd.Day == 0) {
				return "a coarser date than gold", true
			}
		} else {
			contradicted = true
		}
	}
	if gd.Month != 0 && !contradicted && !strings.Contains(question, strconv.Itoa(gd.Year)) {
		for _, n := range rnums {
			if n.v == float64(gd.Year) {
				return "the year of gold", true
			}
		}
	}
	for _, m := range centuryRe.FindAllStringSubmatch(response, -1) {
		if c, _ := strconv.Atoi(m[2]); inCentury(gd.Year, c, m[1]) {
			return "the century of gold", true
		}
	}
	return "", false
}
