package llm

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// Key identifies a request in the cache: the SHA-256 of the method, the
// endpoint URL, the canonical JSON body (which names the model) and the
// draw number. It never depends on the API key.
type Key [sha256.Size]byte

// String returns the key in hex.
func (k Key) String() string { return hex.EncodeToString(k[:]) }

// keyDomain versions the key derivation: changing what goes into a key
// must change it, so that old cache entries are never matched wrongly.
const keyDomain = "hallu/llm request v1"

// RequestKey returns the cache key of a request: method and endpoint URL
// (scheme, host and path, without user info or query), the canonical JSON
// body as sent, and draw (see ChatRequest.Draw). The endpoint's host is
// part of the key because two servers may serve different models under one
// name; answers from one must not stand in for the other's.
func RequestKey(method, endpoint string, body []byte, draw int) Key {
	h := sha256.New()
	field := func(b []byte) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	field([]byte(keyDomain))
	field([]byte(method))
	field([]byte(endpoint))
	field(body)
	var d [8]byte
	binary.BigEndian.PutUint64(d[:], uint64(int64(draw)))
	h.Write(d[:])
	var k Key
	h.Sum(k[:0])
	return k
}

// canonicalJSON marshals v with object keys sorted at every level, numbers
// kept as written and no HTML escaping, so that equal requests give equal
// bytes whatever the order of fields in the Go types that built them.
func canonicalJSON(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("marshal request: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, fmt.Errorf("canonicalise request: %w", err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(tree); err != nil { // maps encode with sorted keys
		return nil, fmt.Errorf("canonicalise request: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
