// Package report renders hallu's results for people: aligned text tables for
// the terminal and self-contained HTML pages with inline SVG charts. For each
// kind of result one function builds its tables; WriteXText prints them and
// XPage shows the same tables beside its charts, so that the two cannot
// drift apart. It also holds the JSON forms of some results (Bound, Compare,
// AgreementGroup).
package report
