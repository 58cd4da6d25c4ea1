// Package report renders hallu's results for people and for programs: aligned
// text tables for the terminal and schema-versioned JSON envelopes that carry
// everything needed to reproduce a number (tool version, inputs' sha256,
// seeds and parameters).
package report
