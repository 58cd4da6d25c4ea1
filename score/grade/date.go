package grade

import (
	"regexp"
	"strconv"
	"strings"
)

// date is a calendar date with unknown fields 0 ("March 1947" has Day 0).
type date struct{ Year, Month, Day int }

var months = map[string]int{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
	"may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
	"september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
	"december": 12, "dec": 12,
}

const monthRe = `(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?`

var (
	isoDateRe   = regexp.MustCompile(`\b(\d{4})-(\d{1,2})-(\d{1,2})\b`)
	dmyRe       = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+` + monthRe + `,?\s+(?:(?:of|in)\s+)?(\d{4})\b`)
	mdyRe       = regexp.MustCompile(`(?i)\b` + monthRe + `\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(?:(?:of|in)\s+)?(\d{4})\b`)
	myRe        = regexp.MustCompile(`(?i)\b` + monthRe + `,?\s+(?:of\s+)?(\d{4})\b`)
	slashDateRe = regexp.MustCompile(`\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b`)
)

// dates returns the dates written in s in these forms (month names in
// English, full or abbreviated, any case):
//
//	1947-08-15            ISO 8601
//	15 August 1947        also "15th of August, 1947"
//	August 15, 1947       also "Aug. 15th 1947"
//	August 1947           month and year
//	15/08/1947, 08/15/1947 numeric, read day-first and month-first when
//	                      both are possible
//
// A bare year is a number and is compared as one (see numbers).
func dates(s string) []date {
	if !strings.ContainsAny(s, "0123456789") {
		return nil // every form has a year in digits
	}
	var out []date
	atoi := func(x string) int { n, _ := strconv.Atoi(x); return n }
	valid := func(d date) bool { return d.Month >= 1 && d.Month <= 12 && d.Day >= 0 && d.Day <= 31 }
	add := func(d date) {
		if valid(d) {
			out = append(out, d)
		}
	}
	full := map[[2]int]bool{} // spans already read as full dates
	for _, m := range isoDateRe.FindAllStringSubmatchIndex(s, -1) {
		add(date{atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]])})
	}
	for _, m := range dmyRe.FindAllStringSubmatchIndex(s, -1) {
		add(date{atoi(s[m[6]:m[7]]), months[strings.ToLower(s[m[4]:m[5]])], atoi(s[m[2]:m[3]])})
		full[[2]int{m[4], m[7]}] = true
	}
	for _, m := range mdyRe.FindAllStringSubmatchIndex(s, -1) {
		add(date{atoi(s[m[6]:m[7]]), months[strings.ToLower(s[m[2]:m[3]])], atoi(s[m[4]:m[5]])})
		full[[2]int{m[2], m[7]}] = true
	}
	for _, m := range myRe.FindAllStringSubmatchIndex(s, -1) {
		if !full[[2]int{m[2], m[5]}] {
			add(date{atoi(s[m[4]:m[5]]), months[strings.ToLower(s[m[2]:m[3]])], 0})
		}
	}
	for _, m := range slashDateRe.FindAllStringSubmatchIndex(s, -1) {
		a, b, y := atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]])
		add(date{y, b, a})
		if a != b {
			add(date{y, a, b})
		}
	}
	return out
}

// covers reports whether response date r states gold date g: same year,
// and the same month and day wherever g gives them.
func (g date) covers(r date) bool {
	return g.Year == r.Year && (g.Month == 0 || g.Month == r.Month) && (g.Day == 0 || g.Day == r.Day)
}
