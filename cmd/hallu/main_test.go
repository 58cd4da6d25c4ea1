package main

import (
	"os"
	"testing"

	"github.com/hallu-dev/hallu/internal/proptest"
)

// TestMain runs the tests with the user cache directory (where default
// response caches and run files' locks go) in a temporary directory.
func TestMain(m *testing.M) {
	cleanup := proptest.UserCache()
	code := m.Run()
	cleanup()
	os.Exit(code)
}
