package main

import (
	"strings"
	"testing"
)

// TestVersion runs hallu version in the test binary, which the go command
// builds without VCS stamping: it must say that nothing was recorded and
// why, not only "devel".
func TestVersion(t *testing.T) {
	out, err := execHallu(t, "version")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"hallu devel\n", "no version or commit recorded", "built with go"} {
		if !strings.Contains(out, want) {
			t.Errorf("hallu version printed %q, lacks %q", out, want)
		}
	}
}
