package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"testing"
)

// TestMobyDick checks that the embedded text decompresses to the bytes that
// SOURCE.md names.
func TestMobyDick(t *testing.T) {
	h := sha256.New()
	n, err := io.Copy(h, MobyDick())
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != MobyDickSHA256 || n != 1204997 {
		t.Errorf("MobyDick: %d bytes, sha256 %s; want 1204997 bytes, %s", n, got, MobyDickSHA256)
	}
}
