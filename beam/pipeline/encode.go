package pipeline

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/hallu-dev/hallu/audit"
)

// What crosses the shuffle per record is a prompt key and a count:
//
//	key   = the 128-bit hash of the prompt key (audit.HashKey), big-endian
//	        Hi then Lo, followed by the group value when grouping
//	value = uvarint(answered<<1 | conflict), then, if answered > 0, the
//	        first answer's 32-bit fingerprint, big-endian
//
// Both are []byte, which Beam encodes as a varint length and the bytes, so
// an ungrouped record costs 17 + 2 bytes for an abstention and 17 + 6 for
// an answer seen once.
const hashBytes = 16

// promptKey encodes the shuffle key of a record.
func promptKey(h audit.Hash128, group []byte) []byte {
	k := make([]byte, hashBytes, hashBytes+len(group))
	binary.BigEndian.PutUint64(k, h.Hi)
	binary.BigEndian.PutUint64(k[8:], h.Lo)
	return append(k, group...)
}

// splitKey decodes a shuffle key into its hash and group.
func splitKey(k []byte) (audit.Hash128, string) {
	if len(k) < hashBytes {
		panic(fmt.Sprintf("hallu-beam: prompt key of %d bytes, want at least %d", len(k), hashBytes))
	}
	return audit.Hash128{Hi: binary.BigEndian.Uint64(k), Lo: binary.BigEndian.Uint64(k[8:])}, string(k[hashBytes:])
}

// encodeCount encodes a PromptCount as the shuffle value.
func encodeCount(p audit.PromptCount) []byte {
	v := uint64(p.Answered) << 1
	if p.Conflict {
		v |= 1
	}
	b := binary.AppendUvarint(make([]byte, 0, binary.MaxVarintLen64+4), v)
	if p.Answered > 0 {
		b = binary.BigEndian.AppendUint32(b, p.Answer)
	}
	return b
}

// decodeCount decodes a shuffle value. The values are the pipeline's own,
// so a malformed one is a bug, not bad input.
func decodeCount(b []byte) audit.PromptCount {
	v, n := binary.Uvarint(b)
	if n <= 0 {
		panic(fmt.Sprintf("hallu-beam: malformed prompt count %x", b))
	}
	p := audit.PromptCount{Answered: int64(v >> 1), Conflict: v&1 != 0}
	if p.Answered > 0 {
		if len(b) != n+4 {
			panic(fmt.Sprintf("hallu-beam: malformed prompt count %x", b))
		}
		p.Answer = binary.BigEndian.Uint32(b[n:])
	}
	return p
}

// mergeCounts merges the encoded counts of one prompt key: the combiner of
// the CombinePerKey.
func mergeCounts(a, b []byte) []byte { return encodeCount(decodeCount(a).Merge(decodeCount(b))) }

// encodedLen is the size of b as Beam's bytes coder writes it.
func encodedLen(b []byte) int64 {
	return int64(len(binary.AppendUvarint(nil, uint64(len(b))))) + int64(len(b))
}

// A tally key names one number of a group's GroupCounts, which the
// pipeline adds up with SumPerKey: "j<TAB>group" counts the group's
// prompts with answered count j (j = 0: seen only with abstentions), and
// conflictClass in place of j counts its conflicting prompts. Groups cannot
// hold a TAB (audit.Key refuses it), so the encoding is unambiguous.
const conflictClass = -1

func tallyKey(j int64, group string) string { return strconv.FormatInt(j, 10) + "\t" + group }

func splitTallyKey(k string) (int64, string, error) {
	js, group, ok := strings.Cut(k, "\t")
	j, err := strconv.ParseInt(js, 10, 64)
	if !ok || err != nil || j < conflictClass {
		return 0, "", fmt.Errorf("malformed tally key %q", k)
	}
	return j, group, nil
}
