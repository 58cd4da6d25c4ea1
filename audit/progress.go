package audit

import "sync/atomic"

// Progress is updated while Run reads, for a caller that wants to show it.
// Bytes counts decompressed bytes read; Total is the sum of the sources'
// known sizes, or 0 when any is unknown.
type Progress struct {
	Bytes   atomic.Int64
	Records atomic.Int64
	Total   atomic.Int64
	Pass    atomic.Int32 // 1 while counting, 2 while collecting conflict examples
}
