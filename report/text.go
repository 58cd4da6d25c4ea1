package report

import (
	"io"
	"strings"
)

// writeText writes tables as aligned text, a blank line between them. It
// is the text form of every report: each kind's WriteXText prints the
// tables that its XPage shows, built by one function, so that the terminal
// and the page cannot drift apart.
func writeText(w io.Writer, tables []Table) error {
	for i := range tables {
		if i > 0 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		if err := tables[i].Render(w); err != nil {
			return err
		}
	}
	return nil
}

// lines splits a table's title into its non-empty lines, for the HTML
// caption.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}
