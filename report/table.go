package report

import (
	"fmt"
	"io"
	"strings"
	"unicode"
)

// Table is an aligned text table. Columns whose every cell looks numeric are
// right-aligned; others are left-aligned.
type Table struct {
	Title  string
	Header []string
	Rows   [][]string
	Notes  []string // printed under the table, one per line
	// Stacked tables are printed as text one row at a time, each cell on
	// its own line after its header, for cells too long to align in
	// columns; HTML shows them as any other table.
	Stacked bool
}

// AddRow appends a row; cells are formatted with %v, floats with F.
func (t *Table) AddRow(cells ...any) {
	row := make([]string, len(cells))
	for i, c := range cells {
		switch v := c.(type) {
		case float64:
			row[i] = F(v)
		case string:
			row[i] = v
		default:
			row[i] = fmt.Sprint(v)
		}
	}
	t.Rows = append(t.Rows, row)
}

// F formats a float for a table: up to 6 significant digits, no exponent for
// ordinary magnitudes.
func F(x float64) string {
	return fmt.Sprintf("%.6g", x)
}

// Render writes the table to w.
func (t *Table) Render(w io.Writer) error {
	if t.Stacked {
		return t.renderStacked(w)
	}
	ncol := len(t.Header)
	for _, r := range t.Rows {
		ncol = max(ncol, len(r))
	}
	width := make([]int, ncol)
	numeric := make([]bool, ncol)
	for i := range numeric {
		numeric[i] = true
	}
	measure := func(r []string, isHeader bool) {
		for i, c := range r {
			width[i] = max(width[i], displayWidth(c))
			if !isHeader && c != "" && !looksNumeric(c) {
				numeric[i] = false
			}
		}
	}
	measure(t.Header, true)
	for _, r := range t.Rows {
		measure(r, false)
	}
	var b strings.Builder
	if t.Title != "" {
		b.WriteString(t.Title)
		b.WriteByte('\n')
	}
	line := func(r []string) {
		for i := 0; i < ncol; i++ {
			c := ""
			if i < len(r) {
				c = r[i]
			}
			pad := strings.Repeat(" ", width[i]-displayWidth(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if numeric[i] {
				b.WriteString(pad + c)
			} else if i == ncol-1 {
				b.WriteString(c)
			} else {
				b.WriteString(c + pad)
			}
		}
		b.WriteByte('\n')
	}
	if len(t.Header) > 0 {
		line(t.Header)
		sep := make([]string, ncol)
		for i := range sep {
			sep[i] = strings.Repeat("-", width[i])
		}
		line(sep)
	}
	for _, r := range t.Rows {
		line(r)
	}
	for _, n := range t.Notes {
		b.WriteString(n)
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// renderStacked writes the title, then each row as an indented block of
// "header: cell" lines (empty cells left out), a blank line before each,
// then the notes.
func (t *Table) renderStacked(w io.Writer) error {
	var b strings.Builder
	if t.Title != "" {
		b.WriteString(t.Title + "\n")
	}
	width := 0
	for _, h := range t.Header {
		width = max(width, displayWidth(h))
	}
	for _, r := range t.Rows {
		b.WriteByte('\n')
		for i, c := range r {
			if c == "" {
				continue
			}
			h := ""
			if i < len(t.Header) {
				h = t.Header[i]
			}
			b.WriteString("  " + h + ":" + strings.Repeat(" ", width-displayWidth(h)+1) + c + "\n")
		}
	}
	for _, n := range t.Notes {
		b.WriteString(n + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func looksNumeric(s string) bool {
	s = strings.TrimSuffix(s, "%")
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '.', r == 'e', r == 'E', r == 'x':
		case (r == '-' || r == '+') && (i == 0 || s[i-1] == 'e' || s[i-1] == 'E'):
		case r == '/' || r == ',':
		default:
			return s == "NaN" || s == "+Inf" || s == "-Inf" || s == "n/a"
		}
	}
	return true
}

// displayWidth counts the runes of s that take a column: combining marks
// (as in p̂) do not.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.Is(unicode.Mn, r) {
			n++
		}
	}
	return n
}
