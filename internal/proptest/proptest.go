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
func Main(m *testing.M, checks int) { os.Exit(Run(m, checks)) }

// Run is Main without the exit: it returns m.Run's code.
func Run(m *testing.M, checks int) int {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "rapid.checks" })
	if !explicit {
		flag.Set("rapid.checks", strconv.Itoa(checks))
	}
	return m.Run()
}

// UserCache points the user's cache directory (os.UserCacheDir) at a new
// temporary directory, so that the tests of code that keeps caches or
// locks there write nothing outside it, and returns a function that
// removes it. A test binary started by such a test (a helper process)
// shares its parent's directory and leaves it to the parent.
func UserCache() (cleanup func()) {
	const shared = "HALLU_TEST_CACHE_DIR"
	dir := os.Getenv(shared)
	cleanup = func() {}
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "hallu-test-cache-"); err != nil {
			panic(err)
		}
		os.Setenv(shared, dir)
		cleanup = func() { os.RemoveAll(dir) }
	}
	os.Setenv("XDG_CACHE_HOME", dir) // Linux and other Unix
	os.Setenv("LocalAppData", dir)   // Windows
	os.Setenv("HOME", dir)           // macOS: ~/Library/Caches
	return cleanup
}
