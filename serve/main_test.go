package serve

import (
	"testing"

	"github.com/hallu-dev/hallu/internal/proptest"
)

// TestMain runs the property tests over 500 cases unless -rapid.checks
// says otherwise.
func TestMain(m *testing.M) { proptest.Main(m, 500) }
