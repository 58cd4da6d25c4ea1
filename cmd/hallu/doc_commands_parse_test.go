//go:build unix

package main

import (
	"strings"
	"testing"
)

// TestDocMatch checks the transcript matcher on exact output and both
// elisions.
func TestDocMatch(t *testing.T) {
	for _, tc := range []struct {
		want, got string
		ok        bool
	}{
		{"a\nb", "a\nb", true},
		{"a\nb", "a\nc", false},
		{"a\nb", "a", false},
		{"a", "a\nb", false},
		{"", "", true},
		{"…", "", true},
		{"…", "x\ny", true},
		{"a\n…\nz", "a\nz", true},
		{"a\n…\nz", "a\nb\nc\nz", true},
		{"a\n…\nz", "a\nb\nc", false},
		{"…\nb\n…", "a\nb\nc", true},
		{"…\nq\n…", "a\nb\nc", false},
		{"Title …", "Title (anything)", true},
		{"Title …", "Titl", false},
		{"Title …\nrow", "Title x\nrow", true},
		{"Title …\nrow", "Title x\nrow\nmore", false},
	} {
		if got := docMatch(trimLines(tc.want), trimLines(tc.got)); got != tc.ok {
			t.Errorf("docMatch(%q, %q) = %v, want %v", tc.want, tc.got, got, tc.ok)
		}
	}
}

// TestDocBlocks checks how a page is cut into blocks and commands: the
// languages that run, continuation lines, expected output and its line
// range, needs markers, and the errors.
func TestDocBlocks(t *testing.T) {
	page := strings.Split("# Page\n"+ // 0
		"```sh\n"+ // 1
		"hallu demo --write-data data\n"+ // 2
		"```\n"+ // 3
		"```console\n"+ // 4
		"$ hallu floor \\\n"+ // 5
		"    --n 1e6\n"+ // 6
		"out 1\n"+ // 7
		"out 2\n"+ // 8
		"$ true\n"+ // 9
		"```\n"+ // 10
		"```json\n"+ // 11
		"{}\n"+ // 12
		"```\n"+ // 13
		"```sh\n"+ // 14
		"# needs: data\n"+ // 15
		"ls ../shared\n"+ // 16
		"```", "\n")
	blocks, err := docBlocks("p.md", page)
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) != 3 {
		t.Fatalf("%d blocks, want 3 (json is text): %+v", len(blocks), blocks)
	}
	if c := blocks[0].commands; len(c) != 1 || c[0].cmd != "hallu demo --write-data data" || c[0].transcript {
		t.Errorf("sh block: %+v", c)
	}
	c := blocks[1].commands
	if len(c) != 2 || c[0].cmd != "hallu floor \\\n    --n 1e6" || strings.Join(c[0].want, "|") != "out 1|out 2" ||
		c[0].line != 6 || c[0].outFrom != 7 || c[0].outTo != 9 || c[1].cmd != "true" || len(c[1].want) != 0 {
		t.Errorf("console block: %+v", c)
	}
	if blocks[2].needs != "data" {
		t.Errorf("needs = %q, want data", blocks[2].needs)
	}
	script, order := docScript(blocks)
	if len(order) != 3 || strings.Contains(script, "../shared") {
		t.Errorf("script runs %d commands (want 3) and must skip the needs block:\n%s", len(order), script)
	}

	for _, bad := range []string{
		"```sh\n# needs: gpu\nx\n```",   // unknown need
		"```console\noutput first\n```", // output before a command
		"```sh\nnever closed\n",         // no closing fence
	} {
		if _, err := docBlocks("bad.md", strings.Split(bad, "\n")); err == nil {
			t.Errorf("docBlocks(%q): no error", bad)
		}
	}
}
