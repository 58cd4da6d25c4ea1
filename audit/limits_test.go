package audit

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func TestRecordLimit(t *testing.T) {
	long := strings.Repeat("x", 3<<20)
	tsv := "a\tb\n" + "c\t" + long + "\n" + "d\te\n"
	csv := "a,b\nc,\"" + strings.Repeat("never closed\n", 300_000)
	for _, tc := range []struct {
		name   string
		cfg    Config
		in     string
		want   []string // fragments of the error; nil for success
		option string   // the field of Config that raises the limit
	}{
		{"under the limit", Config{Prompt: []string{"1"}, MaxRecord: 4 << 20}, tsv, nil, ""},
		{"over MaxRecord", Config{Prompt: []string{"1"}, MaxRecord: 1 << 20}, tsv,
			[]string{"in:2: record longer than the limit of 1MiB"}, "MaxRecord"},
		{"over the share of MemBytes", Config{Prompt: []string{"1"}, MemBytes: MinMem(2) + 8<<20, Workers: 2}, tsv,
			[]string{"in:2: record longer than the limit of 512KiB"}, "MemBytes"},
		{"a big MemBytes leaves MaxRecord", Config{Prompt: []string{"1"}, MemBytes: 1 << 30, MaxRecord: 1 << 20, Workers: 2}, tsv,
			[]string{"limit of 1MiB"}, "MaxRecord"},
		{"unterminated CSV quote", Config{Prompt: []string{"1"}, Format: CSV, MaxRecord: 1 << 20}, csv,
			[]string{"in:2: record longer than the limit", "a quote that is never closed"}, "MaxRecord"},
		{"the first record longer than the limit", Config{Prompt: []string{"1"}, MaxRecord: 1 << 20}, long + "\tb\n",
			[]string{"in:1: record longer than the limit"}, "MaxRecord"},
		{"skipping bad records does not skip it", Config{Prompt: []string{"1"}, MaxRecord: 1 << 20, SkipBad: true}, tsv,
			[]string{"in:2: record longer than the limit"}, "MaxRecord"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, workers := range []int{1, 4} {
				cfg := tc.cfg
				if cfg.Workers == 0 {
					cfg.Workers = workers
				}
				_, err := Run(context.Background(), cfg, []Source{bytesSource("in", []byte(tc.in))})
				if tc.want == nil {
					if err != nil {
						t.Fatalf("workers %d: %v", cfg.Workers, err)
					}
					continue
				}
				if !errors.Is(err, ErrTooLong) {
					t.Fatalf("workers %d: error %v, want ErrTooLong", cfg.Workers, err)
				}
				var le *LimitError
				if !errors.As(err, &le) || le.Option != tc.option {
					t.Fatalf("workers %d: error %v, want a LimitError with option %s", cfg.Workers, err, tc.option)
				}
				for _, w := range tc.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("workers %d: error %q, want %q in it", cfg.Workers, err, w)
					}
				}
			}
		})
	}
}

// Many long records, each under the limit, are read correctly by any
// number of workers although only one is in work at a time.
func TestManyLongRecords(t *testing.T) {
	var b bytes.Buffer
	for i := range 40 {
		b.WriteString(strings.Repeat(string(rune('a'+i%26)), 700<<10+i))
		b.WriteString("\tans\n")
	}
	for _, workers := range []int{1, 2, 8} {
		res, err := Run(context.Background(), Config{Prompt: []string{"1"}, Answer: "2", Workers: workers, MaxRecord: 1 << 20}, []Source{bytesSource("in", b.Bytes())})
		if err != nil {
			t.Fatal(err)
		}
		if res.Records != 40 || res.Prompts != 40 {
			t.Errorf("workers %d: %d records, %d prompts; want 40, 40", workers, res.Records, res.Prompts)
		}
	}
}

func TestBinaryInputIsNotText(t *testing.T) {
	_, err := Run(context.Background(), Config{Prompt: []string{"1"}, Format: CSV}, []Source{bytesSource("x.csv", []byte("PK\x03\x04\x14\x00\x00\x00\"a,b\n"))})
	if err == nil || !strings.Contains(err.Error(), "x.csv: not text: a NUL byte at offset 5") {
		t.Fatalf("error %v, want not text", err)
	}
}
