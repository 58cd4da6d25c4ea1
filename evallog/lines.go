package evallog

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// eachLine calls fn with every non-blank line of r (trimmed) and its 1-based
// line number, stopping at fn's first error. Lines may be up to 256 MiB.
func eachLine(r io.Reader, name string, fn func(line int, raw []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 256<<20)
	line := 0
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		if err := fn(line, raw); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: line %d: %w", name, line+1, err)
	}
	return nil
}
