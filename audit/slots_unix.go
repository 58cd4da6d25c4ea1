//go:build unix

package audit

import (
	"syscall"
	"unsafe"
)

// allocSlots returns n zeroed slots in memory mapped for them alone, so
// that freeSlots can give it back to the system at once: a table that
// doubles would otherwise leave its old arrays to the garbage collector,
// which lets the heap grow to twice the live tables before collecting.
// Slots hold no pointers, so the collector need not see them. If mapping
// fails, the slots come from the heap (mapped is then false).
func allocSlots(n int) (s []slot, mapped bool) {
	b, err := syscall.Mmap(-1, 0, n*int(slotBytes), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]slot, n), false
	}
	return unsafe.Slice((*slot)(unsafe.Pointer(unsafe.SliceData(b))), n), true
}

// freeSlots unmaps slots from allocSlots; nothing may use them afterwards.
func freeSlots(s []slot, mapped bool) {
	if mapped && len(s) > 0 {
		syscall.Munmap(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*int(slotBytes)))
	}
}
