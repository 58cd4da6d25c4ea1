//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package harness

import (
	"errors"
	"os"
	"syscall"
)

// errLocked reports that another process holds the lock.
var errLocked = errors.New("in use by another hallu process")

// lockFile takes an exclusive advisory lock on f without waiting. The
// kernel releases it when the process ends, however it ends.
func lockFile(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errLocked
	}
	return err
}
