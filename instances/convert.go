package instances

import (
	"fmt"
	"strings"
)

// ConvertStats counts what a converter to candidate sets made and left
// out, with the reason for each kind of omission.
type ConvertStats struct {
	Sets    int            `json:"sets"`
	Skipped map[string]int `json:"skipped,omitempty"` // reason → count
}

func (st *ConvertStats) skip(reason string) {
	if st.Skipped == nil {
		st.Skipped = map[string]int{}
	}
	st.Skipped[reason]++
}

// QAPrompt is the context of a question in the candidate sets the
// converters build; each candidate is " " + answer after it.
func QAPrompt(question string) string {
	return "Q: " + strings.TrimSpace(question) + "\nA:"
}

// answerSet collects distinct candidates (compared case-insensitively,
// after trimming) in order of first appearance.
type answerSet struct {
	seen map[string]bool
	list []string
}

func (a *answerSet) add(s string) bool {
	s = strings.TrimSpace(s)
	key := strings.ToLower(s)
	if s == "" || a.seen[key] {
		return false
	}
	if a.seen == nil {
		a.seen = map[string]bool{}
	}
	a.seen[key] = true
	a.list = append(a.list, s)
	return true
}

func (a *answerSet) has(s string) bool { return a.seen[strings.ToLower(strings.TrimSpace(s))] }

// spaced returns the answers as continuations of a prompt.
func spaced(answers []string) []string {
	out := make([]string, len(answers))
	for i, a := range answers {
		out[i] = " " + a
	}
	return out
}

func fieldErr(name string, line int, field, format string, args ...any) error {
	return fmt.Errorf("%s line %d: field %s: %s", name, line, field, fmt.Sprintf(format, args...))
}
