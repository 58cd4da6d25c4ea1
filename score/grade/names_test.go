package grade

import (
	"testing"

	"github.com/hallu-dev/hallu/score"
)

// TestMatcherClasses covers the classes of issue 13 one case each, both
// ways where the rule is symmetric.
func TestMatcherClasses(t *testing.T) {
	m := &Matcher{Abstention: DefaultDetector()}
	for _, tc := range []struct {
		response, gold string
		want           score.Outcome
	}{
		{"Elizabeth Dennis", "Dr. Elizabeth Dennis", score.Correct},                // honorific on the gold
		{"It was awarded to Prof. Michio Sugeno.", "Michio Sugeno", score.Correct}, // title on the response
		{"George Barnes", "George Warren Barnes", score.Correct},                   // middle name left out
		{"John F. Kennedy", "John Kennedy", score.Correct},                         // middle initial added
		{"J. Kennedy", "John Kennedy", score.Correct},                              // initial
		{"John Smith", "John Kennedy", score.Wrong},
		{"Kennedy", "John Fitzgerald Kennedy", score.Correct}, // surname alone
		{"John", "John Fitzgerald Kennedy", score.Wrong},
		{"Arsenal", "Arsenal FC", score.Correct},
		{"Apple Inc.", "Apple", score.Correct},
		{"Elizabeth I", "Elizabeth II", score.Wrong}, // regnal numbers name different people
		{"Portland, OR", "Portland, Oregon", score.Correct},
		{"Austin, Texas", "Austin, TX", score.Correct},
		{"Jech Doab", "Chaj Doab (Jech Doab)", score.Correct}, // bracketed alternative
		{"Chaj Doab", "Chaj Doab (Jech Doab)", score.Correct},
		{"It was Paris or Lyon.", "Paris", score.Wrong}, // hedged between candidates
		{"either Lyon or Paris", "Paris", score.Wrong},
		{"around 2.45 billion years ago", "around 2.45Â\u00a0billion years ago", score.Correct}, // mis-decoded gold
		{"Dáin", "DÃ¡in", score.Correct},
		{"thylakoid membrane", "on the thylakoid membranes", score.Correct},
		{"Landover, Maryland", "FedExField in Landover, Maryland", score.Correct},
		{"579", "2,579", score.Wrong},
		{"August 15, 1947", "15 August 1947", score.Correct},
		{"1947-08-15", "August 15, 1947", score.Correct},
		{"born on the 31st of January in 1948", "31 January 1948", score.Correct},
		{"Jóhanna", "Johanna", score.Correct},
		{"124 thousand", "120 thousand", score.Correct}, // numbers to the gold's precision
		{"113 thousand", "120 thousand", score.Wrong},
		{"2.45 billion", "2.4 billion", score.Correct},
		{"2.5 billion", "2.4 billion", score.Wrong},
		{"1948", "1947", score.Wrong},
	} {
		if got, why := m.Grade(tc.response, []string{tc.gold}); got != tc.want {
			t.Errorf("Grade(%q, %q) = %v (%s), want %v", tc.response, tc.gold, got, why, tc.want)
		}
	}
}
