package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// teamFile matches references to the team's own files, which users of hallu
// do not have: whatever a user sees cites the paper as published.
var teamFile = regexp.MustCompile(`paper\.md|formats\.md|deps\.md|DESIGN\.md|shared/data|§\d`)

// TestNoTeamFileReferences checks every command's help and every golden
// report (text and HTML) for references to the team's files.
func TestNoTeamFileReferences(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		help := c.Long + "\n" + c.Short + "\n" + c.Example + "\n" + c.Flags().FlagUsages()
		if m := teamFile.FindString(help); m != "" {
			t.Errorf("hallu %s: help cites %q", c.CommandPath(), m)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd())
	pages, err := filepath.Glob(filepath.Join("testdata", "golden", "*"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("no golden reports (%v)", err)
	}
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if m := teamFile.FindString(line); m != "" {
				t.Errorf("%s:%d cites %q", p, i+1, m)
			}
		}
	}
}
