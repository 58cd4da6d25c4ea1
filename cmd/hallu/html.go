package main

import (
	"fmt"
	"os"

	"github.com/hallu-dev/hallu/internal/atomicfile"
	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/report"
)

// writePage writes the page that build returns to path atomically: the
// --html output of a command.
func writePage(path string, build func() (report.Page, error)) error {
	page, err := build()
	if err != nil {
		return err
	}
	return atomicfile.Write(path, func(f *os.File) error { return page.WriteHTML(f) })
}

// writeResult writes the result (text or JSON) first and the --html page
// after it, so that a page that cannot be written never costs the user a
// result that took long to compute.
func writeResult(html string, page func() (report.Page, error), result func() error) error {
	if err := result(); err != nil {
		return err
	}
	if html == "" {
		return nil
	}
	return writePage(html, page)
}

// pageProvenance lists inputs and parameters for a page's footer.
func pageProvenance(params map[string]any, inputs ...provenance.Input) []string {
	var p []string
	for _, in := range inputs {
		p = append(p, fmt.Sprintf("input %s (%d bytes, sha256 %s)", in.Path, in.Bytes, in.SHA256))
	}
	if len(params) > 0 {
		p = append(p, fmt.Sprintf("parameters %v", params))
	}
	return p
}
