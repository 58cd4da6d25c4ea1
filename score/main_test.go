package score

import (
	"testing"

	"github.com/hallu-dev/hallu/internal/proptest"
)

// TestMain runs the property tests over 2,000 cases each unless
// -rapid.checks says otherwise.
func TestMain(m *testing.M) { proptest.Main(m, 2000) }
