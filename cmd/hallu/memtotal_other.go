//go:build !(linux || windows || darwin || dragonfly || freebsd || netbsd || openbsd)

package main

// physicalMemory has no source on this operating system.
func physicalMemory() (int64, error) { return 0, errMemUnknown }
