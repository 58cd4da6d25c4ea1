package iiv

import (
	"strings"
	"testing"
)

// A huge context is quoted in an error by its first bytes and its size, never
// whole.
func TestErrorQuotesHugeContextClipped(t *testing.T) {
	ctx := strings.Repeat("é", 1<<20)
	var acc Accumulator[Float]
	if err := acc.Add(Row[Float]{Context: ctx, Response: "a", Label: Valid, Phat: 0.5, Line: 1}); err != nil {
		t.Fatal(err)
	}
	err := acc.Add(Row[Float]{Context: ctx, Response: "a", Label: Error, Phat: 0.5, Line: 2})
	if err == nil {
		t.Fatal("a repeated response: no error")
	}
	if len(err.Error()) > 1000 || !strings.Contains(err.Error(), "(2097152 bytes)") {
		t.Fatalf("error of %d bytes: %.300s", len(err.Error()), err)
	}
}
