//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package main

import (
	"encoding/binary"
	"fmt"
	"runtime"

	"golang.org/x/sys/unix"
)

// physicalMemory asks sysctl(3) for the physical memory: hw.memsize on
// macOS, hw.physmem64 on NetBSD, hw.physmem elsewhere (on OpenBSD
// golang.org/x/sys maps that name to HW_PHYSMEM64). The value is a
// 32- or 64-bit integer in the machine's byte order.
func physicalMemory() (int64, error) {
	name := "hw.physmem"
	switch runtime.GOOS {
	case "darwin":
		name = "hw.memsize"
	case "netbsd":
		name = "hw.physmem64"
	}
	b, err := unix.SysctlRaw(name)
	if err != nil {
		return 0, fmt.Errorf("sysctl %s: %w", name, err)
	}
	switch len(b) {
	case 4:
		return int64(binary.NativeEndian.Uint32(b)), nil
	case 8:
		return int64(binary.NativeEndian.Uint64(b)), nil
	}
	return 0, fmt.Errorf("sysctl %s: %d bytes, want 4 or 8", name, len(b))
}
