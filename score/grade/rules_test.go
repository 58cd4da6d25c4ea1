package grade

import (
	"fmt"
	"math/big"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/hallu-dev/hallu/score"
)

// TestMatcherRules covers the rules added from reading NQ301's
// disagreements with its human raters, each with cases that must match and
// cases that must not.
func TestMatcherRules(t *testing.T) {
	m := &Matcher{Abstention: DefaultDetector()}
	for _, tc := range []struct {
		question, response, gold string
		want                     score.Outcome
	}{
		// titles stand before a name, suffixes after it
		{"", "District and Sessions judge", "District Judge", score.Wrong},
		{"", "Judge Dredd", "Dredd", score.Correct},
		{"", "Barcelona", "FC Barcelona", score.Correct},
		// qualifiers of the gold
		{"", "1968", "late 1968", score.Correct},
		{"", "1967", "late 1968", score.Wrong},
		// approximate golds, to the response's precision
		{"", "2.4 billion years ago", "around 2.45 billion years ago", score.Correct},
		{"", "2.3 billion years ago", "around 2.45 billion years ago", score.Wrong},
		{"", "2.4 billion years ago", "2.45 billion years ago", score.Wrong}, // not approximate
		// bounds
		{"", "89", "more than 80", score.Correct},
		{"", "80", "more than 80", score.Wrong},
		{"", "80", "at least 80", score.Correct},
		{"", "12 ships", "fewer than 10 ships", score.Wrong},
		{"", "9 ships", "fewer than 10 ships", score.Correct},
		{"", "914", "more than 80", score.Wrong}, // another magnitude
		{"", "4 years", "four years", score.Correct},
		{"", "5 years", "four years", score.Wrong},
		{"", "3", "Three Dog Night", score.Wrong},
		// ranges of quantities, not spans of years
		{"", "11.3 years", "10–12 years", score.Correct},
		{"", "13 years", "10–12 years", score.Wrong},
		{"", "2010", "2008-2013", score.Wrong},
		{"", "3:30", "3:37", score.Wrong},
		{"", "10 466", "10 423", score.Wrong},
		// acronyms
		{"", "your local Department of Motor Vehicles", "DMV", score.Correct},
		{"", "the Department of Labor", "DMV", score.Wrong},
		{"", "the USPS", "United States Postal Service", score.Correct},
		{"", "India and Bangladesh", "IB", score.Wrong}, // two letters are too few
		{"What does CYAN stand for?", "CYAN is an AI", "Caldera of Yellowstone Analytic Nexus", score.Wrong},
		// key parts of a gold
		{"", "Camping World Stadium", "Camping World Stadium in Orlando", score.Correct},
		{"", "first published", "first published in 1890", score.Wrong},
		{"", "the ARPANET", "the ARPANET project", score.Correct},
		{"", "Hudson Bay", "Hudson River", score.Wrong},
		{"a good that can be used in place of another good", "substitute", "substitute good", score.Correct},
		{"what culture region is germany a part of", "Central Europe", "Central Germany", score.Wrong},
		{"", "substitute", "substitute good", score.Wrong}, // the question does not ask for a good
		// a description's words in order, qualifiers between
		{"", "the local licensing authority", "local authorities", score.Correct},
		{"", "local councils or regional authorities", "local authorities", score.Wrong},
		{"", "local government of the state authorities", "local authorities", score.Wrong}, // too far apart
		// ordinals and eras
		{"", "in the ninth grade", "9th", score.Correct},
		{"", "in the eighth grade", "9th", score.Wrong},
		{"", "in the 6th century BC", "the late 6th century BCE", score.Correct},
		{"", "Dark Souls II weighs 3.0", "2", score.Wrong}, // Roman numerals stay words
		// compounds spaced differently
		{"", "Steam Ship", "Steamship", score.Correct},
		{"", "FedEx Field", "FedExField", score.Correct},
		{"", "steamships", "steam ship", score.Wrong},
		{"", "Orlando, Florida", "Camping World Stadium in Orlando", score.Wrong}, // coarser: lenient only
	} {
		if got, why := m.GradeQuestion(tc.question, tc.response, []string{tc.gold}); got != tc.want {
			t.Errorf("GradeQuestion(%q, %q, %q) = %v (%s), want %v", tc.question, tc.response, tc.gold, got, why, tc.want)
		}
	}
}

func TestDescriptive(t *testing.T) {
	for gold, want := range map[string]bool{"local authorities": true, "collect menstrual flow": true,
		"New York": false, "authorities": false, "in 1990 games": false, "Local authorities": false} {
		if got := descriptive(gold); got != want {
			t.Errorf("descriptive(%q) = %v, want %v", gold, got, want)
		}
	}
}

// TestCoarse checks the lenient rules (Matcher.Coarse) and that the
// strict matcher does not apply them.
func TestCoarse(t *testing.T) {
	strict, lenient := &Matcher{}, &Matcher{Coarse: true}
	for _, tc := range []struct {
		response, gold string
		lenient        score.Outcome
	}{
		{"1965", "1 August 1965", score.Correct},
		{"August 1965", "1 August 1965", score.Correct},
		{"in the 16th century", "1524", score.Correct},
		{"in the 15th century", "1524", score.Wrong},
		{"in the early 16th century", "1524", score.Correct},
		{"in the late 16th century", "1524", score.Wrong},
		{"the late 19th century", "1900", score.Wrong}, // 1900 is commonly the 20th century's
		{"the 20th century", "1900", score.Correct},
		{"1966", "1 August 1965", score.Wrong},
		{"on 3 May 1965", "1 August 1965", score.Wrong}, // the year, but a contradicting date
		{"1965", "1965", score.Correct},
		{"Orlando, Florida", "Camping World Stadium in Orlando", score.Correct},
	} {
		if got, why := lenient.GradeQuestion("When did it end?", tc.response, []string{tc.gold}); got != tc.lenient {
			t.Errorf("lenient Grade(%q, %q) = %v (%s), want %v", tc.response, tc.gold, got, why, tc.lenient)
		}
		if tc.response != tc.gold {
			if got, why := strict.Grade(tc.response, []string{tc.gold}); got != score.Wrong {
				t.Errorf("strict Grade(%q, %q) = %v (%s), want wrong", tc.response, tc.gold, got, why)
			}
		}
	}
}

// TestCoarseQuestionYear: a year the question states is not an answer.
func TestCoarseQuestionYear(t *testing.T) {
	m := &Matcher{Coarse: true}
	q := "When does the 2017 college football season end?"
	if got, why := m.GradeQuestion(q, "The 2017 season ends on January 8, 2018.", []string{"December 9, 2017"}); got != score.Wrong {
		t.Errorf("%v (%s), want wrong", got, why)
	}
	if got, why := m.GradeQuestion(q, "It ends in 2017.", []string{"December 9, 2017"}); got != score.Wrong {
		t.Errorf("%v (%s), want wrong: 2017 is the question's", got, why)
	}
}

// TestBoundsProperty checks bound golds against exact rational comparison:
// "more than N" / "at least N" / "fewer than N" / "at most N" match a
// response number exactly when it lies beyond the bound and within a
// factor of two of it.
func TestBoundsProperty(t *testing.T) {
	m := &Matcher{}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 100000).Draw(t, "n")
		r := rapid.IntRange(0, 100000).Draw(t, "r")
		rc := rapid.IntRange(0, 99).Draw(t, "rc") // hundredths of the response
		b := rapid.SampledFrom([]string{"more than", "at least", "fewer than", "at most"}).Draw(t, "bound")
		resp := new(big.Rat).Add(big.NewRat(int64(r), 1), big.NewRat(int64(rc), 100))
		cmp := resp.Cmp(big.NewRat(int64(n), 1))
		want := map[string]bool{"more than": cmp > 0, "at least": cmp >= 0, "fewer than": cmp < 0, "at most": cmp <= 0}[b]
		if b == "more than" || b == "at least" {
			want = want && resp.Cmp(big.NewRat(int64(2*n), 1)) <= 0
		} else {
			want = want && resp.Cmp(big.NewRat(int64(n), 2)) >= 0
		}
		text := fmt.Sprintf("%d.%02d units", r, rc)
		got, why := m.Grade(text, []string{fmt.Sprintf("%s %d units", b, n)})
		if (got == score.Correct) != want {
			t.Fatalf("%q against %q: %v (%s), want correct=%v", text, b+fmt.Sprint(" ", n), got, why, want)
		}
	})
}

// TestAcronymProperty: a multi-word name matches its spelled-out acronym
// and the acronym matches the name, for any words of letters; changing the
// acronym's first letter breaks the match.
func TestAcronymProperty(t *testing.T) {
	m := &Matcher{}
	word := rapid.StringMatching(`[A-Z][a-z]{3,8}`) // never a word the acronym skips ("of", "and")
	rapid.Check(t, func(t *rapid.T) {
		ws := rapid.SliceOfN(word, 3, 6).Draw(t, "words")
		name := strings.Join(ws, " ")
		var acr strings.Builder
		for _, w := range ws {
			acr.WriteByte(w[0])
		}
		if got, why := m.Grade("It is the "+name+".", []string{acr.String()}); got != score.Correct {
			t.Fatalf("%q against %q: %v (%s)", name, acr.String(), got, why)
		}
		if got, why := m.Grade("It is "+acr.String()+".", []string{name}); got != score.Correct {
			t.Fatalf("%q against %q: %v (%s)", acr.String(), name, got, why)
		}
		bad := string(rune((ws[0][0]-'A'+1)%26+'A')) + acr.String()[1:]
		if got, why := m.Grade("It is the "+name+".", []string{bad}); got == score.Correct {
			t.Fatalf("%q against %q: %v (%s), want wrong", name, bad, got, why)
		}
	})
}

// BenchmarkMatcher grades a mix of short and long responses against golds
// of the classes above (names, numbers, dates, acronyms, key parts).
func BenchmarkMatcher(b *testing.B) {
	m := &Matcher{Abstention: DefaultDetector()}
	cases := [][3]string{
		{"", "The Washington Redskins are based out of Landover, Maryland.", "FedExField in Landover, Maryland"},
		{"", "You can get a state-issued ID from your local Department of Motor Vehicles.", "DMV"},
		{"", "around 2.4 billion years ago", "around 2.45 billion years ago"},
		{"", "The Jacksonville Jaguars last won a playoff game on January 14, 2018, when they defeated the Pittsburgh Steelers 45-42.", "2017"},
		{"", "George Barnes", "George Warren Barnes"},
		{"a good that can be used in place of another good", "substitute", "substitute good"},
		{"", "I'm not sure, but I think it's Paris.", "Lyon"},
		{"", "11.3 years", "Median 10–12 years"},
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		c := cases[i%len(cases)]
		m.GradeQuestion(c[0], c[1], []string{c[2]})
	}
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "responses/cpu-s")
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
}

func TestTypos(t *testing.T) {
	m := &Matcher{}
	for _, tc := range []struct {
		response, gold string
		want           score.Outcome
	}{
		{"Yevgenia Medvedeva", "Evgenia Medvedeva", score.Correct},
		{"Doug Graner", "Doug Garner", score.Correct},           // neighbours transposed
		{"Yevgenia Medvedev", "Evgenia Medvedeva", score.Wrong}, // two typos
		{"Joan Smith", "John Smith", score.Wrong},               // a short name is not a typo
		{"Paris", "Parid", score.Wrong},                         // not a person's name
	} {
		if got, why := m.Grade(tc.response, []string{tc.gold}); got != tc.want {
			t.Errorf("Grade(%q, %q) = %v (%s), want %v", tc.response, tc.gold, got, why, tc.want)
		}
	}
	// oneEdit against an independent edit distance, over random words.
	rapid.Check(t, func(t *rapid.T) {
		a := rapid.StringMatching(`[abc]{0,6}`).Draw(t, "a")
		b := rapid.StringMatching(`[abc]{0,6}`).Draw(t, "b")
		if want := a != b && osa(a, b) == 1; oneEdit(a, b) != want {
			t.Fatalf("oneEdit(%q, %q) = %v, want %v", a, b, !want, want)
		}
	})
}

// osa is the optimal string alignment distance (Levenshtein with
// transpositions of neighbours), by dynamic programming.
func osa(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
