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
