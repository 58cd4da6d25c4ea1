package audit

import (
	"testing"

	"pgregory.net/rapid"
)

// TestSpillEntryRoundTrip: decodeEntry reads back every entry encodeEntry
// writes to a spill file, every bit of it (the conflict bit of count
// included).
func TestSpillEntryRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		e := entry{
			key:   Hash128{rapid.Uint64().Draw(t, "hi"), rapid.Uint64().Draw(t, "lo")},
			count: rapid.Uint64().Draw(t, "count"),
			ans:   rapid.Uint32().Draw(t, "ans"),
			group: rapid.Uint32().Draw(t, "group"),
		}
		var b [entryBytes]byte
		encodeEntry(&b, e)
		if got := decodeEntry(&b); got != e {
			t.Fatalf("decoded %+v, encoded %+v", got, e)
		}
	})
}
