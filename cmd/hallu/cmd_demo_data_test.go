package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoWriteData checks that --write-data writes the demo's files, lists
// each with its size, and runs nothing else; and that an unwritable
// directory is an error naming it.
func TestDemoWriteData(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	out, err := execHallu(t, "demo", "--write-data", dir)
	if err != nil {
		t.Fatalf("hallu demo --write-data: %v\n%s", err, out)
	}
	for _, want := range []string{"pararel_trex.tsv  825914 bytes", "qwen3-8b_negotiationtom_belief.jsonl  166212 bytes", "moby_dick.txt  1204997 bytes", "SOURCE.md"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Audit") {
		t.Errorf("--write-data also ran the demo:\n%s", out)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 4 {
		t.Fatalf("%s holds %d entries (%v), want 4", dir, len(entries), err)
	}

	file := filepath.Join(t.TempDir(), "plain")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := execHallu(t, "demo", "--write-data", file); err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("--write-data into a file: err = %v, want one naming %s\n%s", err, file, out)
	}
}
