package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
)

// cachePath is where a default cache file named name lives: in hallu's
// folder of the user's cache directory (os.UserCacheDir: $XDG_CACHE_HOME
// or ~/.cache on Linux, ~/Library/Caches on macOS, %LocalAppData% on
// Windows), created if needed, so that no command leaves a cache in the
// working directory. The --cache flags put a cache elsewhere.
func cachePath(name string) (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no user cache directory for %s (%v): give --cache FILE or --no-cache", name, err)
	}
	dir = filepath.Join(dir, "hallu")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("cache directory: %w; give --cache FILE or --no-cache", err)
	}
	return filepath.Join(dir, name), nil
}

// runCacheName names the default response cache of the run file at path:
// one per run file (so that two run files of one benchmark sample their
// answers independently), named after it and its absolute path.
func runCacheName(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	sum := sha256.Sum256([]byte(abs))
	return fmt.Sprintf("run-%s-%s.cache.db", filepath.Base(path), hex.EncodeToString(sum[:6]))
}
