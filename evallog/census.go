package evallog

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/hallu-dev/hallu/score"
)

// A ColumnError says that a generic log (hallu's run format, JSONL or CSV)
// cannot be scored as mapped: a column the map names is in no record, the
// records have nothing to score, or grades are not ones hallu knows.
// Seen lists what the file does have, so that the message says what to map.
type ColumnError struct {
	File   string
	Format Format
	Field  string // the sample field, e.g. "response"
	Column string // the column it was read from, if one
	Reason string
	Seen   string // the keys of the first record, or the unknown values with their counts
}

func (e *ColumnError) Error() string {
	format := string(e.Format)
	if e.Format == Run {
		format = "hallu's run format"
	}
	s := fmt.Sprintf("%s (read as %s): ", e.File, format)
	if e.Column != "" {
		s += fmt.Sprintf("field %s (column %q): ", e.Field, e.Column)
	} else if e.Field != "" {
		s += "field " + e.Field + ": "
	}
	s += e.Reason
	if e.Seen != "" {
		s += "; " + e.Seen
	}
	return s
}

// census counts, over the samples of a generic log, those with a value in
// each field, and the grade values that could not be read.
type census struct {
	defaultModel string // the model of samples whose record names none
	samples      int
	has          [nFields]int
	unknown      map[string]int // unreadable grade text → samples, for the first 20 texts
	unread       int            // samples with an unreadable grade
}

// unknownGrade prefixes the reason of a sample whose grade text is not
// one score.ParseOutcome knows; census reads the text back from it.
const unknownGrade = "unparseable grade "

func (c *census) add(s *score.Sample) {
	c.samples++
	if s.ID != "" && !(strings.HasPrefix(s.ID, "line ") && s.ID[len("line "):] == strconv.Itoa(s.Source.Line)) {
		c.has[fID]++
	}
	if s.Question != "" {
		c.has[fQuestion]++
	}
	if len(s.Golds) > 0 {
		c.has[fGold]++
	}
	if s.Response != "" {
		c.has[fResponse]++
	}
	if s.Outcome != score.Ungraded {
		c.has[fGrade]++
	}
	if s.Confidence != nil {
		c.has[fConfidence]++
	}
	if s.Target != nil {
		c.has[fTarget]++
	}
	if s.Reason != "" {
		c.has[fReason]++
	}
	if s.Model != c.defaultModel {
		c.has[fModel]++
	}
	if text, ok := strings.CutPrefix(s.Reason, unknownGrade); ok && s.Outcome == score.Invalid {
		c.unread++
		if c.unknown == nil {
			c.unknown = map[string]int{}
		}
		if _, seen := c.unknown[text]; seen || len(c.unknown) < 20 {
			c.unknown[text]++
		}
	}
}

// check returns a *ColumnError when the log, as mapped by m, cannot mean
// what its scores would say: a column the map names holds no value in any
// record; no record has a response or a grade; responses are to be
// graded but no record has a gold answer; or grades hallu does not know.
// head is the start of the file, for the keys the message lists. With
// skipBad, unknown grades are counted invalid and noted in st instead.
func (c *census) check(name string, f Format, m ColumnMap, head []byte, opt Options, st *Stats) error {
	if c.samples == 0 {
		return nil // "no samples" is the caller's to report
	}
	names := m.names()
	if m.given&(1<<fGrade) != 0 && names[fGrade] != "" && opt.GradeValues == nil && c.has[fGrade] > 0 {
		st.note("column %q read as correctness: yes/true/1/correct are correct, no/false/0/wrong are wrong; if it says whether an answer is wrong (e.g. hallucinated), give Options.GradeValues yes=wrong,no=correct", names[fGrade])
	}
	seen := func() string { return firstKeys(head, f) }
	for i, col := range names {
		if m.given&(1<<i) != 0 && col != "" && c.has[i] == 0 && i != fAliases {
			return &ColumnError{File: name, Format: f, Field: fieldNames[i], Column: col,
				Reason: fmt.Sprintf("no value in any of the %d records; check the spelling in Options.Map", c.samples), Seen: seen()}
		}
	}
	if c.has[fResponse] == 0 && c.has[fGrade] == 0 {
		return &ColumnError{File: name, Format: f,
			Reason: fmt.Sprintf("none of the %d records has a response (column %q) or a grade (column %q): nothing to score; name the columns with Options.Map response=COLUMN,grade=COLUMN",
				c.samples, names[fResponse], names[fGrade]), Seen: seen()}
	}
	if c.has[fGrade] == 0 && c.has[fGold] == 0 {
		return &ColumnError{File: name, Format: f,
			Reason: fmt.Sprintf("none of the %d records has a grade (column %q) or a gold answer (column %q) to grade its response against; name one with Options.Map grade=COLUMN or Options.Map gold=COLUMN",
				c.samples, names[fGrade], names[fGold]), Seen: seen()}
	}
	if total := c.unread; total > 0 {
		if opt.SkipBad {
			st.note("%d records have a grade hallu does not read, counted invalid: %s", total, counted(c.unknown))
			return nil
		}
		hint := ""
		for v := range c.unknown {
			if u := strings.ToUpper(strings.TrimSpace(v)); u == `"A"` || u == `"B"` {
				hint = `; A and B look like SimpleQA's grader letters (A correct, B incorrect, C not attempted), which hallu would misread (it reads c as correct): give Options.GradeValues a=correct,b=wrong,c=abstained`
			}
		}
		return &ColumnError{File: name, Format: f, Field: "grade", Column: names[fGrade],
			Seen: "values seen: " + counted(c.unknown) + hint,
			Reason: fmt.Sprintf("%d of %d records have a grade hallu does not read (it reads correct/right/true/yes/1/c, wrong/incorrect/false/no/0/i, abstained/not_attempted/idk/n, invalid/error); name their outcomes with Options.GradeValues (e.g. maybe=abstained), or give Options.SkipBad to count them invalid",
				total, c.samples)}
	}
	return nil
}

// counted lists values with their counts, most frequent first.
func counted(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(m[b]-m[a], strings.Compare(a, b)) })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s (%d)", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// firstKeys describes the columns of a generic log from its first bytes:
// the keys of the first JSON line (with one level of nested keys written
// as dotted paths, which --map accepts) or the CSV header.
func firstKeys(head []byte, f Format) string {
	head = bytes.TrimLeft(head, " \t\r\n")
	head = bytes.TrimPrefix(head, []byte("\ufeff"))
	line, _, _ := bytes.Cut(head, []byte("\n"))
	line = bytes.TrimSpace(line)
	if f == CSV {
		header, err := csv.NewReader(bytes.NewReader(line)).Read()
		if err != nil {
			return ""
		}
		return fmt.Sprintf("the header's columns are %q", header)
	}
	var keys []string
	err := members(jsontext.Value(line), func(name string, v jsontext.Value) error {
		keys = append(keys, name)
		if v.Kind() == '{' {
			members(v, func(sub string, _ jsontext.Value) error {
				keys = append(keys, name+"."+sub)
				return nil
			})
		}
		return nil
	})
	if err != nil || len(keys) == 0 {
		return ""
	}
	return fmt.Sprintf("the first record's keys are %q", keys)
}
