package pipeline

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/hallu-dev/hallu/audit"
)

func genCount() *rapid.Generator[audit.PromptCount] {
	return rapid.Custom(func(t *rapid.T) audit.PromptCount {
		p := audit.PromptCount{Answered: rapid.Int64Range(0, 1<<40).Draw(t, "n"), Conflict: rapid.Bool().Draw(t, "conflict")}
		if p.Answered > 0 {
			p.Answer = rapid.Uint32().Draw(t, "answer")
		}
		return p
	})
}

func TestCountEncodingRoundTrips(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genCount().Draw(t, "p")
		if got := decodeCount(encodeCount(p)); got != p {
			t.Fatalf("decode(encode(%+v)) = %+v", p, got)
		}
		q := genCount().Draw(t, "q")
		if got, want := decodeCount(mergeCounts(encodeCount(p), encodeCount(q))), p.Merge(q); got != want {
			t.Fatalf("mergeCounts = %+v, PromptCount.Merge = %+v", got, want)
		}
	})
}

func TestKeyEncodingRoundTripsAndOrdersByHash(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := audit.Hash128{Hi: rapid.Uint64().Draw(t, "ahi"), Lo: rapid.Uint64().Draw(t, "alo")}
		b := audit.Hash128{Hi: rapid.Uint64().Draw(t, "bhi"), Lo: rapid.Uint64().Draw(t, "blo")}
		ga, gb := rapid.String().Draw(t, "ga"), rapid.String().Draw(t, "gb")
		ka, kb := promptKey(a, []byte(ga)), promptKey(b, []byte(gb))
		if h, g := splitKey(ka); h != a || g != ga {
			t.Fatalf("splitKey(promptKey(%v, %q)) = %v, %q", a, ga, h, g)
		}
		if lessKey(ka, kb) != (a.Compare(b) < 0) {
			t.Fatalf("lessKey(%v, %v) = %v, Hash128.Compare = %d", a, b, lessKey(ka, kb), a.Compare(b))
		}
		j := rapid.Int64Range(conflictClass, 1<<50).Draw(t, "j")
		if gj, gg, err := splitTallyKey(tallyKey(j, ga)); err != nil || gj != j || gg != ga {
			t.Fatalf("splitTallyKey(tallyKey(%d, %q)) = %d, %q, %v", j, ga, gj, gg, err)
		}
	})
}

func TestEncodedSizes(t *testing.T) {
	for _, tc := range []struct {
		p    audit.PromptCount
		want int64
	}{
		{audit.PromptCount{}, 2},                        // an abstention: length and one varint byte
		{audit.PromptCount{Answered: 1, Answer: 7}, 6},  // length, varint, fingerprint
		{audit.PromptCount{Answered: 64, Answer: 7}, 7}, // 128 needs two varint bytes
	} {
		if got := encodedLen(encodeCount(tc.p)); got != tc.want {
			t.Errorf("encoded %+v: %d bytes, want %d", tc.p, got, tc.want)
		}
	}
	if got := encodedLen(promptKey(audit.Hash128{}, []byte("P19"))); got != 20 {
		t.Errorf("encoded key of group P19: %d bytes, want 1+16+3", got)
	}
	for _, bad := range []string{"", "x", "1", "-2\tg"} {
		if _, _, err := splitTallyKey(bad); err == nil {
			t.Errorf("splitTallyKey(%q): no error", bad)
		}
	}
}
