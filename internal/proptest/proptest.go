// Package proptest holds what hallu's property tests share.
package proptest

import (
	"flag"
	"os"
	"strconv"
	"testing"
)

// Main is a TestMain that runs every rapid property over checks cases
// (rapid's default is 100) unless -rapid.checks is given, then exits.
func Main(m *testing.M, checks int) {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "rapid.checks" })
	if !explicit {
		flag.Set("rapid.checks", strconv.Itoa(checks))
	}
	os.Exit(m.Run())
}
