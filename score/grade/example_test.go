package grade_test

import (
	"fmt"

	"github.com/hallu-dev/hallu/score/grade"
)

func ExampleMatcher_Grade() {
	m := &grade.Matcher{Abstention: grade.DefaultDetector()}
	for _, resp := range []string{"It was Michio Sugeno.", "Lotfi Zadeh", "I don't know.", ""} {
		o, why := m.Grade(resp, []string{"Michio Sugeno"})
		fmt.Printf("%-22q %-9s %s\n", resp, o, why)
	}
	// Output:
	// "It was Michio Sugeno." correct   contains gold "Michio Sugeno"
	// "Lotfi Zadeh"          wrong     matches no gold
	// "I don't know."        abstained abstention "i dont know" (en.txt:78)
	// ""                     invalid   empty response
}
