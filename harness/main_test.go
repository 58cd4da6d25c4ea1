package harness

import (
	"os"
	"testing"

	"github.com/hallu-dev/hallu/internal/proptest"
)

// TestMain runs the property tests over 3000 cases unless -rapid.checks
// says otherwise, with the user cache directory (where run files' locks
// go) in a temporary directory.
func TestMain(m *testing.M) {
	cleanup := proptest.UserCache()
	code := proptest.Run(m, 3000)
	cleanup()
	os.Exit(code)
}
