//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package harness

import "os"

// lockFile does nothing where flock(2) is not available: two runs on one
// run file are then not prevented.
func lockFile(*os.File) error { return nil }
