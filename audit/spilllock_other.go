//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package audit

import (
	"errors"
	"os"
)

// tryLock is unavailable without flock(2): no spill directory is ever
// taken for stale, and none is removed by a later run.
func tryLock(*os.File) (bool, error) { return false, errors.New("no flock") }
