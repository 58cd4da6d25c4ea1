package score

import (
	"fmt"
	"strconv"
)

// A Sample is one graded (or yet ungraded) response to one question: what
// evallog's readers produce, what `hallu run` writes one per line of its run
// file, and what Dataset.Add accepts.
//
// Its JSON form is hallu's run-file record (evallog.ReadRun reads it):
//
//	{"id":"q17","question":"…","golds":["Paris"],"response":"Paris.",
//	 "outcome":"correct","confidence":0.83,"model":"gpt-x","target":0.75}
type Sample struct {
	// ID names the question; samples of different models that share an
	// ID are paired by the leaderboard's bootstrap.
	ID       string   `json:"id"`
	Question string   `json:"question,omitempty"`
	Golds    []string `json:"golds,omitempty"` // gold answer and its aliases
	Response string   `json:"response"`
	Outcome  Outcome  `json:"outcome"`
	// Confidence, when known, is the model's probability in [0,1] that
	// its response is correct (stated, or derived from log-probabilities).
	Confidence *float64 `json:"confidence,omitempty"`
	Model      string   `json:"model,omitempty"`
	// Target, when set, is the confidence target t in [0,1) stated in the
	// instructions the response was produced under (Section 4.2 of arXiv:2509.04664).
	Target *float64 `json:"target,omitempty"`
	// Reason says why a sample is invalid or how its outcome was decided,
	// e.g. "API error: 429" or "abstention phrase \"i don't know\"".
	Reason string `json:"reason,omitempty"`
	// Source is where the sample was read from; readers fill it in.
	Source Source `json:"-"`
}

// Source locates a sample in its input: a file and either a line number
// (line-oriented formats) or an entry name (ZIP members, JSON array items).
type Source struct {
	File  string
	Line  int    // 1-based; 0 when not line-oriented
	Entry string // e.g. "samples/3_epoch_1.json"
}

// String formats the source as "file:line", "file[entry]" or "file".
func (s Source) String() string {
	switch {
	case s.Line > 0 && s.Entry != "":
		return s.File + ":" + strconv.Itoa(s.Line) + "[" + s.Entry + "]"
	case s.Line > 0:
		return s.File + ":" + strconv.Itoa(s.Line)
	case s.Entry != "":
		return s.File + "[" + s.Entry + "]"
	}
	return s.File
}

// Check reports the first field of s that scoring cannot accept: an
// outcome out of range, or a confidence or target out of range.
func (s *Sample) Check() error {
	if s.Outcome > Invalid {
		return fmt.Errorf("field outcome: invalid value %d", s.Outcome)
	}
	if c := s.Confidence; c != nil && !(*c >= 0 && *c <= 1) {
		return fmt.Errorf("field confidence: %v is not in [0,1]", *c)
	}
	if t := s.Target; t != nil {
		if err := CheckTarget(*t); err != nil {
			return fmt.Errorf("field target: %w", err)
		}
	}
	return nil
}
