package harness

import (
	"flag"
	"os"
	"testing"
)

// TestMain runs the property tests over 3000 cases unless -rapid.checks
// says otherwise.
func TestMain(m *testing.M) {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "rapid.checks" })
	if !explicit {
		flag.Set("rapid.checks", "3000")
	}
	os.Exit(m.Run())
}
