package audit

import (
	"bytes"
	"testing"

	"pgregory.net/rapid"
)

// scanLine agrees with the obvious byte-by-byte reading on any input.
func TestScanLineMatchesNaive(t *testing.T) {
	alphabet := []byte("ab\t\n\x08\x09\x0a\x0b\xc3\xa9\x80\xff\x01\x00")
	rapid.Check(t, func(t *rapid.T) {
		data := rapid.SliceOf(rapid.SampledFrom(alphabet)).Draw(t, "data")
		k := rapid.IntRange(0, 5).Draw(t, "k")
		tabs := make([]int, k)
		end, ntabs, ascii := scanLine(data, tabs)
		wantEnd := bytes.IndexByte(data, '\n')
		if wantEnd < 0 {
			wantEnd = len(data)
		}
		line := data[:wantEnd]
		var wantTabs []int
		for i, c := range line {
			if c == '\t' {
				wantTabs = append(wantTabs, i)
			}
		}
		wantASCII := true
		for _, c := range line {
			if c >= 0x80 {
				wantASCII = false
			}
		}
		if end != wantEnd || ntabs != len(wantTabs) || ascii != wantASCII {
			t.Fatalf("scanLine(%q) = %d, %d, %v; want %d, %d, %v", data, end, ntabs, ascii, wantEnd, len(wantTabs), wantASCII)
		}
		for i := range min(k, len(wantTabs)) {
			if tabs[i] != wantTabs[i] {
				t.Fatalf("tab %d at %d, want %d", i, tabs[i], wantTabs[i])
			}
		}
	})
}

func BenchmarkScanLine(b *testing.B) {
	line := []byte("Q2258362\tbirth_date\t1840-05-06\nQ1\t")
	tabs := make([]int, 3)
	b.SetBytes(int64(bytes.IndexByte(line, '\n') + 1))
	for b.Loop() {
		scanLine(line, tabs)
	}
}

func BenchmarkIndexByteLine(b *testing.B) {
	line := []byte("Q2258362\tbirth_date\t1840-05-06\nQ1\t")
	b.SetBytes(int64(bytes.IndexByte(line, '\n') + 1))
	for b.Loop() {
		e := bytes.IndexByte(line, '\n')
		l := line[:e]
		i := bytes.IndexByte(l, '\t')
		j := bytes.IndexByte(l[i+1:], '\t')
		_ = j
	}
}
