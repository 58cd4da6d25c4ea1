package llm

import (
	"testing"

	"github.com/hallu-dev/hallu/internal/proptest"
)

// TestMain runs the property tests over 3000 cases unless -rapid.checks
// says otherwise.
func TestMain(m *testing.M) { proptest.Main(m, 3000) }
