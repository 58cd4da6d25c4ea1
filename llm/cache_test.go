package llm

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"pgregory.net/rapid"
)

// TestCacheRoundTrip: Get returns every answer store kept, byte for byte
// (empty, binary, NUL bytes), the last one for a key stored twice, both in
// the process that stored it and after the cache is closed and reopened;
// a request marked sent but not answered has no answer.
func TestCacheRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	c, err := OpenCache(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	want := map[Key][]byte{}
	var pending []Key
	keyGen := rapid.Custom(func(t *rapid.T) Key {
		var k Key
		copy(k[:], rapid.SliceOfN(rapid.Byte(), 1, 3).Draw(t, "key")) // few keys, so that some repeat
		return k
	})
	writes := 0
	rapid.Check(t, func(t *rapid.T) {
		if writes++; writes > 500 { // each write is an fsync: 500 of them cover the keys many times over
			return
		}
		k := keyGen.Draw(t, "k")
		if _, stored := want[k]; !stored && rapid.IntRange(0, 9).Draw(t, "in flight") == 0 {
			if _, err := c.markSent(k, "http://127.0.0.1/v1/completions", []byte(`{}`)); err != nil {
				t.Fatal(err)
			}
			pending = append(pending, k)
			return
		}
		resp := rapid.SliceOfN(rapid.Byte(), 0, 64).Draw(t, "response")
		if err := c.store(k, "http://127.0.0.1/v1/completions", []byte(`{"n":1}`), resp); err != nil {
			t.Fatal(err)
		}
		want[k] = resp
		got, ok, err := c.Get(ctx, k)
		if err != nil || !ok || !bytes.Equal(got, resp) {
			t.Fatalf("Get(%s) = %q, %v, %v; stored %q", k, got, ok, err, resp)
		}
	})
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c, err = OpenCache(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for k, resp := range want {
		if got, ok, err := c.Get(ctx, k); err != nil || !ok || !bytes.Equal(got, resp) {
			t.Errorf("after reopening, Get(%s) = %q, %v, %v; stored %q", k, got, ok, err, resp)
		}
	}
	for _, k := range pending {
		if _, stored := want[k]; stored {
			continue
		}
		if got, ok, err := c.Get(ctx, k); err != nil || ok {
			t.Errorf("Get(%s) of a request never answered = %q, %v, %v", k, got, ok, err)
		}
	}
}
