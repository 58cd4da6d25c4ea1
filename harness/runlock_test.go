package harness

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLockInCacheDir checks that a run file's lock lives in the user's
// cache directory, not beside the run file, and still keeps a second
// process (here, a second open) out.
func TestLockInCacheDir(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", t.TempDir()) // macOS reads ~/Library/Caches
	dir := t.TempDir()
	path := filepath.Join(dir, "run.jsonl")
	rf, err := OpenRunFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer rf.Close()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "run.jsonl" {
			t.Errorf("left beside the run file: %s", e.Name())
		}
	}
	if lp := lockPath(path); !strings.HasPrefix(lp, cache) {
		t.Errorf("lock at %s, want it under %s", lp, cache)
	}
	if _, err := OpenRunFile(path, false); err == nil {
		t.Error("a second open of a locked run file succeeded")
	}
	// The same file by another path shares the lock.
	if lockPath(filepath.Join(dir, ".", "run.jsonl")) != lockPath(path) {
		t.Error("two paths of one run file have different locks")
	}
}
