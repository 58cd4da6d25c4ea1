package main

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestMemTotalLinux checks sysinfo(2)'s answer against the kernel's other
// report of the same number, MemTotal in /proc/meminfo (in KiB).
func TestMemTotalLinux(t *testing.T) {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		t.Skipf("no /proc/meminfo to check against: %v", err)
	}
	var want int64
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				t.Fatalf("/proc/meminfo: %q: %v", line, err)
			}
			want = kb << 10
		}
	}
	if want == 0 {
		t.Skip("/proc/meminfo has no MemTotal line")
	}
	got, err := memTotal()
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("memTotal() = %d, /proc/meminfo MemTotal = %d", got, want)
	}
}
