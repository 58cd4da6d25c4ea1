package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestResultBeforePage: a --html page that cannot be written fails the
// command, but only after the result has been printed.
func TestResultBeforePage(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "no-such-dir", "page.html")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"floor", "--n", "1000", "--sr", "0.3", "--min-errors", "364"}, "Theorem 2 for N = 1000"},
		{[]string{"sim", "--answers", "365", "--prompts", "100", "--n", "200", "--runs", "1"}, "calibrated"},
		{[]string{"ngram", "cor2", "--orders", "3"}, "Corollary 2"},
	} {
		out, err := execHallu(t, append(c.args, "--html", bad)...)
		if err == nil || !strings.Contains(err.Error(), "page.html") {
			t.Errorf("hallu %v: error %v, want one naming the page", c.args, err)
		}
		if !strings.Contains(out, c.want) {
			t.Errorf("hallu %v: the result was not printed before the page failed:\n%s", c.args, out)
		}
	}
}
