package evallog

import (
	"errors"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/score"
)

// readMapped reads log with the column map text m and returns its samples.
func readMapped(t *testing.T, log, m string, opt Options) ([]score.Sample, Stats, error) {
	t.Helper()
	if m != "" {
		var err error
		if opt.Map, err = DefaultColumns.With(m); err != nil {
			t.Fatal(err)
		}
	}
	var out []score.Sample
	st, err := Read(strings.NewReader(log), "log.jsonl", opt, func(s *score.Sample) error {
		c := *s
		c.Golds = append([]string(nil), s.Golds...)
		out = append(out, c)
		return nil
	})
	return out, st, err
}

func TestDottedColumns(t *testing.T) {
	log := `{"q":"1","meta":{"provider":"acme","grade":{"label":"correct"}},"r":"Paris"}
{"q":"2","meta":{"provider":"zeta","grade":{"label":"wrong"}},"r":"Rome","meta.provider":"literal"}
`
	got, _, err := readMapped(t, log, "id=q,response=r,model=meta.provider,grade=meta.grade.label", Options{Format: JSONL})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Model != "acme" || got[0].Outcome != score.Correct || got[1].Outcome != score.Wrong {
		t.Fatalf("%+v", got)
	}
	// A literal top-level key of the same name is read too; the last one
	// in the line wins, as for any repeated key.
	if got[1].Model != "literal" {
		t.Errorf("model %q, want the literal key's value", got[1].Model)
	}
}

func TestColumnChecks(t *testing.T) {
	for _, c := range []struct {
		name, log, m string
		field, col   string
		fragments    []string
	}{
		{"misspelt column", `{"id":"1","answer":"x","golds":["x"]}`, "response=answr", "response", "answr", []string{`["id" "answer" "golds"]`}},
		{"nothing to score", `{"a":1}`, "", "", "", []string{"nothing to score", `["a"]`}},
		{"no gold, no grade", `{"id":"1","response":"x"}`, "", "", "", []string{"gold answer"}},
		{"unknown grades", "{\"response\":\"x\",\"outcome\":\"maybe\"}\n{\"response\":\"x\",\"outcome\":\"maybe\"}\n{\"response\":\"x\",\"outcome\":\"hmm\"}", "", "grade", "outcome", []string{`"maybe" (2), "hmm" (1)`, "3 of 3 records"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := readMapped(t, c.log+"\n", c.m, Options{Format: Auto})
			var ce *ColumnError
			if !errors.As(err, &ce) || ce.Field != c.field || ce.Column != c.col {
				t.Fatalf("err %v, want a ColumnError on field %q column %q", err, c.field, c.col)
			}
			for _, f := range c.fragments {
				if !strings.Contains(err.Error(), f) {
					t.Errorf("%v lacks %q", err, f)
				}
			}
		})
	}
}

func TestGradeValuesAndSkipBad(t *testing.T) {
	log := "{\"response\":\"x\",\"hallucinated\":\"yes\"}\n{\"response\":\"x\",\"hallucinated\":true}\n{\"response\":\"x\",\"hallucinated\":\"NO\"}\n{\"response\":\"x\",\"hallucinated\":\"maybe\"}\n"
	gv, err := ParseGradeValues("yes=wrong, true=wrong ,no=correct")
	if err != nil {
		t.Fatal(err)
	}
	got, st, err := readMapped(t, log, "grade=hallucinated", Options{Format: JSONL, GradeValues: gv, SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []score.Outcome{score.Wrong, score.Wrong, score.Correct, score.Invalid}
	for i, s := range got {
		if s.Outcome != want[i] {
			t.Errorf("line %d: %v, want %v", i+1, s.Outcome, want[i])
		}
	}
	if len(st.Notes) != 1 || !strings.Contains(st.Notes[0], `1 records have a grade hallu does not read, counted invalid: "maybe" (1)`) {
		t.Errorf("notes %q", st.Notes)
	}
	if _, err := ParseGradeValues("yes=hallucinated"); err == nil {
		t.Error("an unknown outcome was accepted")
	}
}

func TestColumnMapPrecedence(t *testing.T) {
	m, err := DefaultColumns.With("gold=target")
	if err != nil || m.Gold != "target" || m.Target != "" {
		t.Errorf("gold=target: %+v, %v; want golds from target and no target column", m, err)
	}
	if _, err := DefaultColumns.With("gold=x,response=x"); err == nil {
		t.Error("two mapped fields on one column were accepted")
	}
}
