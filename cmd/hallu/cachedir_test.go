package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDefaultCacheInUserCacheDir checks that a response cache opened
// without --cache lands in hallu's folder of the user cache directory and
// nowhere near the working directory, and that --cache overrides it.
func TestDefaultCacheInUserCacheDir(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", t.TempDir())
	c, err := openCache("", "hallu-bound.cache.db", false)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if _, err := os.Stat(filepath.Join(cache, "hallu", "hallu-bound.cache.db")); err != nil {
		t.Errorf("default cache not in the user cache directory: %v", err)
	}
	own := filepath.Join(t.TempDir(), "mine.db")
	if c, err = openCache(own, "hallu-bound.cache.db", false); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if _, err := os.Stat(own); err != nil {
		t.Errorf("--cache FILE not used: %v", err)
	}
	if c, err = openCache("", "x.db", true); c != nil || err != nil {
		t.Errorf("--no-cache opened %v, %v", c, err)
	}
	// One cache per run file, named after it.
	if a, b := runCacheName("a/run.jsonl"), runCacheName("b/run.jsonl"); a == b || filepath.Dir(a) != "." {
		t.Errorf("run caches %q and %q", a, b)
	}
}
