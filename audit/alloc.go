package audit

import "unsafe"

// The tables' arrays are mapped for themselves alone where the system
// allows (mapZeroed), so that a shard that doubles gives its old arrays
// back at once: left to the garbage collector, they would let the heap grow
// to twice the live tables before being collected. They hold no pointers,
// so the collector need not see them.

// array is a slice and whether it was mapped.
type array[T any] struct {
	s      []T
	mapped bool
}

func allocArray[T any](n int) array[T] {
	var zero T
	if n > 0 {
		if p, ok := mapZeroed(n * int(unsafe.Sizeof(zero))); ok {
			return array[T]{unsafe.Slice((*T)(p), n), true}
		}
	}
	return array[T]{make([]T, n), false}
}

// free gives the array back; nothing may use it afterwards.
func (a *array[T]) free() {
	if a.mapped && len(a.s) > 0 {
		var zero T
		unmap(unsafe.Pointer(unsafe.SliceData(a.s)), len(a.s)*int(unsafe.Sizeof(zero)))
	}
	*a = array[T]{}
}
