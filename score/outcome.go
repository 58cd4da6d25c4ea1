package score

import (
	"fmt"
	"strings"
)

// Outcome is the grade of one response. The four graded outcomes are never
// merged: Observation 1 of arXiv:2509.04664 separates abstentions A_c from the other responses,
// and an invalid record (an unparseable grade, an API error, a failed
// extraction) is neither an answer nor an abstention.
type Outcome uint8

// The outcomes. Ungraded is the zero value: a sample read from a log that
// carries no grade, waiting for a grader (package grade). Scoring refuses
// ungraded samples.
const (
	Ungraded  Outcome = iota
	Correct           // the response is right: +1
	Wrong             // the response is wrong: −t/(1−t)
	Abstained         // the response is "I don't know" or equivalent: 0
	Invalid           // no usable response or grade
)

var outcomeNames = [...]string{"ungraded", "correct", "wrong", "abstained", "invalid"}

// String returns the outcome's canonical name: "correct", "wrong",
// "abstained", "invalid" or "ungraded".
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("Outcome(%d)", o)
}

// Attempted reports whether the outcome is an answer (correct or wrong).
func (o Outcome) Attempted() bool { return o == Correct || o == Wrong }

// MarshalText encodes the outcome as its canonical name.
func (o Outcome) MarshalText() ([]byte, error) {
	if int(o) >= len(outcomeNames) {
		return nil, fmt.Errorf("score: invalid outcome %d", o)
	}
	return []byte(outcomeNames[o]), nil
}

// UnmarshalText decodes any spelling ParseOutcome accepts.
func (o *Outcome) UnmarshalText(b []byte) error {
	v, err := ParseOutcome(string(b))
	if err != nil {
		return err
	}
	*o = v
	return nil
}

// ParseOutcome reads a grade as eval tools write it, case-insensitively:
//
//	correct, right, true, yes, 1, 1.0, C (Inspect's CORRECT)     → Correct
//	wrong, incorrect, false, no, 0, 0.0, I (Inspect's INCORRECT) → Wrong
//	abstained, abstain, not_attempted, not attempted, idk, N      → Abstained
//	invalid, error                                                → Invalid
//	ungraded, "" (empty)                                          → Ungraded
//
// SimpleQA's judge letters A/B/C mean something else (C is NOT_ATTEMPTED)
// and are read by evallog's SimpleQA reader, not here. Anything else is an
// error, which readers turn into an Invalid sample or a reported failure.
func ParseOutcome(s string) (Outcome, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "correct", "right", "true", "yes", "1", "1.0", "c":
		return Correct, nil
	case "wrong", "incorrect", "false", "no", "0", "0.0", "i":
		return Wrong, nil
	case "abstained", "abstain", "abstention", "not_attempted", "not attempted", "idk", "n":
		return Abstained, nil
	case "invalid", "error":
		return Invalid, nil
	case "ungraded", "":
		return Ungraded, nil
	}
	return Ungraded, fmt.Errorf("unrecognised grade %q", s)
}
