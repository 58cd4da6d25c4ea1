package harness

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
)

// lockPath is where the lock of the run file at path lives: in a locks
// folder of hallu's folder in the user's cache directory, named after the
// run file's absolute path (its folder's symbolic links resolved), so that
// no lock file is left beside the run file. Without a usable cache
// directory the lock goes beside the run file, as path + ".lock".
func lockPath(path string) string {
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return path + ".lock"
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return path + ".lock"
	}
	locks := filepath.Join(cache, "hallu", "locks")
	if err := os.MkdirAll(locks, 0o700); err != nil {
		return path + ".lock"
	}
	sum := sha256.Sum256([]byte(filepath.Join(dir, filepath.Base(path))))
	return filepath.Join(locks, filepath.Base(path)+"-"+hex.EncodeToString(sum[:8])+".lock")
}
