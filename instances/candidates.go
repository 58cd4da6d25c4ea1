package instances

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/hallu-dev/hallu/evallog"
)

// A CandidateSet is one context with the plausible responses a model is
// asked to score: the valid ones V_c and the erroneous ones E_c (Section 3.2
// of arXiv:2509.04664). One JSON object per line:
//
//	{"context":"Question: What is the capital of France?\nAnswer:","valid":[" Paris"],"errors":[" Lyon"," Nice"]}
//
// Fields: context (string, required: the prompt the candidates continue);
// valid (strings, at least one); errors (strings, at least one); p
// (numbers, optional, one per valid candidate, summing to 1: the data
// distribution p(r|c); when absent it is uniform over valid, 1/|V_c| each).
// Unknown fields are ignored. A candidate is scored as the text that
// follows the context verbatim, so it usually starts with a space.
type CandidateSet struct {
	Context string    `json:"context"`
	Valid   []string  `json:"valid"`
	Errors  []string  `json:"errors"`
	P       []float64 `json:"p,omitempty"`
	// Line is the set's line in its file (1-based), 0 if built in memory.
	Line int `json:"-"`
}

// probTolerance is how far the p of a set's valid candidates may sum from 1.
const probTolerance = 1e-6

// Check reports the first problem that makes s unusable as an instance
// context, naming the field.
func (s *CandidateSet) Check() error {
	if s.Context == "" {
		return errors.New("field context: missing or empty")
	}
	if n := len(s.Valid) + len(s.Errors); n == 1 {
		return fmt.Errorf("field valid/errors: a candidate set of one: p̂ normalised over one candidate is 1 whatever the model says, and the reduction needs valid and erroneous candidates")
	}
	if len(s.Valid) == 0 {
		return errors.New("field valid: no valid candidate (the data distribution p(·|c) needs one)")
	}
	if len(s.Errors) == 0 {
		return errors.New("field errors: no erroneous candidate (E_c must not be empty, Section 3.1 of arXiv:2509.04664)")
	}
	seen := make(map[string]string, len(s.Valid)+len(s.Errors))
	for _, part := range []struct {
		name  string
		cands []string
	}{{"valid", s.Valid}, {"errors", s.Errors}} {
		for i, c := range part.cands {
			where := fmt.Sprintf("%s[%d]", part.name, i)
			if c == "" {
				return fmt.Errorf("field %s: empty candidate", where)
			}
			if prev, dup := seen[c]; dup {
				return fmt.Errorf("field %s: candidate %q is also %s", where, c, prev)
			}
			seen[c] = where
		}
	}
	if s.P == nil {
		return nil
	}
	if len(s.P) != len(s.Valid) {
		return fmt.Errorf("field p: %d probabilities for %d valid candidates", len(s.P), len(s.Valid))
	}
	var sum float64
	for i, p := range s.P {
		if math.IsNaN(p) || p < 0 || p > 1 {
			return fmt.Errorf("field p[%d]: %v is not a probability", i, p)
		}
		sum += p
	}
	if math.Abs(sum-1) > probTolerance {
		return fmt.Errorf("field p: sums to %v, not 1 (tolerance %g)", sum, probTolerance)
	}
	return nil
}

// ReadCandidates reads the candidate sets of r (named name in errors), one
// JSON object per line (see CandidateSet), each checked. Blank lines are
// skipped. Errors name the file, line and field; a line longer than
// lim.MaxLine is an error naming the file and line.
func ReadCandidates(r io.Reader, name string, lim evallog.Limits) ([]CandidateSet, error) {
	var out []CandidateSet
	err := lim.EachLine(r, name, func(line int, raw []byte) error {
		var s CandidateSet
		if err := json.Unmarshal(raw, &s); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) && te.Field != "" {
				return fmt.Errorf("%s line %d: field %s: %s is not %s", name, line, te.Field, te.Value, te.Type)
			}
			return fmt.Errorf("%s line %d: not a JSON object: %w", name, line, err)
		}
		s.Line = line
		if err := s.Check(); err != nil {
			return fmt.Errorf("%s line %d: %w", name, line, err)
		}
		out = append(out, s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// WriteCandidates writes sets as JSONL, one set per line.
func WriteCandidates(w io.Writer, sets []CandidateSet) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range sets {
		if err := enc.Encode(&sets[i]); err != nil {
			return err
		}
	}
	return bw.Flush()
}
