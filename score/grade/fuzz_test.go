package grade

import (
	"testing"

	"github.com/hallu-dev/hallu/score"
)

// FuzzGrade checks that the matcher never panics and always decides.
func FuzzGrade(f *testing.F) {
	f.Add("He was born on August 15, 1947.", "15 August 1947")
	f.Add("10.5 million", "10,990,502 (acceptable range: anything between 10,440,976 and 11,540,028)")
	f.Add("I'm not sure, but I think it's -3.5e4", "forty-seven thousand")
	f.Add("13/13/2020", "1.0495 (acceptable range: anything between 1.04 and 1.06)")
	m := &Matcher{NumTol: 0.01, Abstention: DefaultDetector()}
	f.Fuzz(func(t *testing.T, response, gold string) {
		o, why := m.Grade(response, []string{gold})
		if o == score.Ungraded || o > score.Invalid || why == "" {
			t.Fatalf("Grade(%q, %q) = %v %q", response, gold, o, why)
		}
	})
}
