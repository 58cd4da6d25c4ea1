package evallog

import (
	"fmt"
	"strconv"
)

// An Error is a record a reader could not read: where it is and which field
// was wrong.
type Error struct {
	File  string
	Line  int    // 1-based line, 0 if the format is not line-oriented
	Entry string // ZIP member, array index or sample id, if any
	Field string // the offending field, if known
	Err   error
}

func (e *Error) Error() string {
	s := e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	if e.Entry != "" {
		s += " [" + e.Entry + "]"
	}
	if e.Field != "" {
		s += ": field " + e.Field
	}
	return fmt.Sprintf("%s: %v", s, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Stats reports what a reader read and what it could not.
type Stats struct {
	// Format is the format read (after detection).
	Format Format `json:"format"`
	// Samples is the number of samples handed to the callback.
	Samples int `json:"samples"`
	// Skipped counts records skipped as unreadable (Options.SkipBad);
	// Problems holds the first few of their errors.
	Skipped  int      `json:"skipped"`
	Problems []string `json:"problems,omitempty"`
	// Notes records what the reader decided on the user's behalf (which
	// filter, metric or scorer it used, rows it ignored and why).
	Notes []string `json:"notes,omitempty"`
	// Provenance holds facts from the log about how it was produced
	// (model, task, tool version, dates), for the report.
	Provenance map[string]string `json:"provenance,omitempty"`
}

const maxProblems = 10

// bad handles an unreadable record: an error, or with skip a count.
func (st *Stats) bad(skip bool, err error) error {
	if !skip {
		return err
	}
	st.Skipped++
	if len(st.Problems) < maxProblems {
		st.Problems = append(st.Problems, err.Error())
	}
	return nil
}

func (st *Stats) note(format string, args ...any) {
	st.Notes = append(st.Notes, fmt.Sprintf(format, args...))
}

func (st *Stats) prov(key, value string) {
	if value == "" {
		return
	}
	if st.Provenance == nil {
		st.Provenance = map[string]string{}
	}
	st.Provenance[key] = value
}
