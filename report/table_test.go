package report

import (
	"strings"
	"testing"
)

func TestTableAlignsNumbersRight(t *testing.T) {
	tb := Table{Header: []string{"name", "value"}}
	tb.AddRow("err", 0.5)
	tb.AddRow("delta_max_z", 0.125)
	var b strings.Builder
	if err := tb.Render(&b); err != nil {
		t.Fatal(err)
	}
	want := "" +
		"name         value\n" +
		"-----------  -----\n" +
		"err            0.5\n" +
		"delta_max_z  0.125\n"
	if got := b.String(); got != want {
		t.Errorf("Render:\n%s\nwant:\n%s", got, want)
	}
}

func TestStackedTable(t *testing.T) {
	tb := Table{Title: "2 disagreements", Header: []string{"id", "question", "why"}, Stacked: true,
		Rows: [][]string{{"q1", "", "no gold matched"}, {"q2", "What is p̂?", "abstained"}}}
	var b strings.Builder
	if err := tb.Render(&b); err != nil {
		t.Fatal(err)
	}
	want := "2 disagreements\n" +
		"\n" +
		"  id:       q1\n" +
		"  why:      no gold matched\n" +
		"\n" +
		"  id:       q2\n" +
		"  question: What is p̂?\n" +
		"  why:      abstained\n"
	if got := b.String(); got != want {
		t.Errorf("Render:\n%s\nwant:\n%s", got, want)
	}
}
