//go:build !unix

package audit

import "unsafe"

// mapZeroed is unavailable here: arrays come from the heap.
func mapZeroed(int) (unsafe.Pointer, bool) { return nil, false }

func unmap(unsafe.Pointer, int) {}
