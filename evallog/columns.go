package evallog

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/hallu-dev/hallu/score"
)

// ColumnMap names the columns (CSV header names or top-level JSON keys) a
// generic log keeps each sample field in. An empty name means the log has
// no such column.
type ColumnMap struct {
	ID         string // question id; default: the line number
	Question   string
	Gold       string // the gold answer: a string or a JSON list of aliases
	Aliases    string // more gold aliases: a JSON list, or ";"-separated in CSV
	Response   string
	Grade      string // see score.ParseOutcome; absent = ungraded
	Confidence string // a probability in [0,1], after division by ConfidenceScale
	// ConfidenceScale divides the confidence column (e.g. 100 for
	// percentages; written "confidence=column/100" in a map); 0 means 1.
	ConfidenceScale float64
	Model           string
	Target          string // the confidence target the response was produced under
	Reason          string

	// given marks the fields named by the map text (With), bit i for
	// field i of fieldNames: a column the user named must be found.
	given uint16
}

// DefaultColumns are hallu's run-file keys (score.Sample's JSON names).
var DefaultColumns = ColumnMap{
	ID: "id", Question: "question", Gold: "golds", Aliases: "aliases", Response: "response",
	Grade: "outcome", Confidence: "confidence", Model: "model", Target: "target", Reason: "reason",
}

// ParseColumnMap reads "field=column,…" pairs over DefaultColumns, e.g.
// "id=qid,response=answer,gold=target,grade=label". Fields: id, question,
// gold, aliases, response, grade, confidence, model, target, reason. An
// empty column ("confidence=") removes a field; "confidence=p/100" reads a
// percentage.
func ParseColumnMap(s string) (ColumnMap, error) { return DefaultColumns.With(s) }

// With returns m with the "field=column,…" pairs of s applied.
func (m ColumnMap) With(s string) (ColumnMap, error) {
	if strings.TrimSpace(s) == "" {
		return m, nil
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return m, fmt.Errorf("column map item %q is not field=column", kv)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if k == "confidence" {
			m.ConfidenceScale = 0
			if col, scale, ok := strings.Cut(v, "/"); ok {
				f, err := strconv.ParseFloat(scale, 64)
				if err != nil || !(f > 0) || math.IsInf(f, 0) {
					return m, fmt.Errorf("column map: confidence scale %q is not a positive number", scale)
				}
				v, m.ConfidenceScale = col, f
			}
		}
		p := m.field(k)
		if p == nil {
			return m, fmt.Errorf("column map: unknown field %q (want id, question, gold, aliases, response, grade, confidence, model, target or reason)", k)
		}
		*p = v
		if v != "" {
			m.given |= 1 << fieldIndex(k)
		} else {
			m.given &^= 1 << fieldIndex(k)
		}
	}
	// A column the map names for one field is no longer read for another
	// by default: "gold=target" reads golds from "target", and targets
	// from nowhere. Two fields the map itself names are an error.
	names := m.names()
	for i := range names {
		for j := range names {
			if i == j || names[i] == "" || names[i] != names[j] || m.given&(1<<i) == 0 {
				continue
			}
			if m.given&(1<<j) != 0 {
				return m, fmt.Errorf("column map: %s and %s both read column %q", fieldNames[i], fieldNames[j], names[i])
			}
			*m.field(fieldNames[j]) = ""
			names[j] = ""
		}
	}
	return m, nil
}

// fieldIndex is the index in fieldNames of a field name With accepts.
func fieldIndex(name string) int {
	switch name {
	case "golds":
		name = "gold"
	case "outcome":
		name = "grade"
	}
	for i, n := range fieldNames {
		if n == name {
			return i
		}
	}
	return -1
}

func (m *ColumnMap) field(name string) *string {
	switch name {
	case "id":
		return &m.ID
	case "question":
		return &m.Question
	case "gold", "golds":
		return &m.Gold
	case "aliases":
		return &m.Aliases
	case "response":
		return &m.Response
	case "grade", "outcome":
		return &m.Grade
	case "confidence":
		return &m.Confidence
	case "model":
		return &m.Model
	case "target":
		return &m.Target
	case "reason":
		return &m.Reason
	}
	return nil
}

// fieldOf is the field read from column col, or −1.
func (m ColumnMap) fieldOf(col string) int {
	for i, c := range m.names() {
		if c != "" && c == col {
			return i
		}
	}
	return -1
}

// hasPath reports whether some column is a dotted path under prefix
// (which ends in ".").
func (m ColumnMap) hasPath(prefix string) bool {
	for _, c := range m.names() {
		if strings.HasPrefix(c, prefix) {
			return true
		}
	}
	return false
}

func (m ColumnMap) orDefault() ColumnMap {
	if m == (ColumnMap{}) {
		return DefaultColumns
	}
	return m
}

// ParseGradeValues reads "value=outcome,…" pairs, e.g.
// "yes=wrong,no=correct,maybe=abstained", for Options.GradeValues. The
// outcomes are those score.ParseOutcome reads (correct, wrong, abstained,
// invalid, …); values are compared lower-cased and trimmed.
func ParseGradeValues(s string) (map[string]score.Outcome, error) {
	m := map[string]score.Outcome{}
	for _, kv := range strings.Split(s, ",") {
		v, o, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("%q is not value=outcome", kv)
		}
		out, err := score.ParseOutcome(o)
		if err != nil || out == score.Ungraded {
			return nil, fmt.Errorf("%q: outcome %q is not correct, wrong, abstained or invalid", kv, o)
		}
		m[strings.ToLower(strings.TrimSpace(v))] = out
	}
	return m, nil
}
