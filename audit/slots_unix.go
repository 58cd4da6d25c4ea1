//go:build unix

package audit

import (
	"syscall"
	"unsafe"
)

// mapZeroed maps size bytes of fresh zeroed memory for one array alone, or
// returns false if it cannot.
func mapZeroed(size int) (unsafe.Pointer, bool) {
	b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, false
	}
	return unsafe.Pointer(unsafe.SliceData(b)), true
}

// unmap gives back memory from mapZeroed.
func unmap(p unsafe.Pointer, size int) {
	syscall.Munmap(unsafe.Slice((*byte)(p), size))
}
