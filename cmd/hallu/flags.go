package main

import (
	"fmt"
	"math"
	"strconv"

	"github.com/hallu-dev/hallu/internal/input"
)

// countFlag is an int64 flag that also accepts scientific notation (1e6),
// as counts of examples are often written.
type countFlag struct{ p *int64 }

func (c countFlag) String() string {
	if c.p == nil {
		return "0"
	}
	return strconv.FormatInt(*c.p, 10)
}

func (c countFlag) Set(s string) error {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		*c.p = n
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<62 {
		return fmt.Errorf("%q is not a whole number", s)
	}
	*c.p = int64(f)
	return nil
}

func (countFlag) Type() string { return "count" }

// sizeFlag is a byte-count flag written like 64MiB, 512K or 1.5G (binary
// multiples), as the readers' limits are given.
type sizeFlag struct{ p *int64 }

func (s sizeFlag) String() string {
	if s.p == nil {
		return "0"
	}
	return input.Size(*s.p)
}

func (s sizeFlag) Set(v string) error {
	n, err := parseBytes(v)
	if err != nil {
		return err
	}
	*s.p = n
	return nil
}

func (sizeFlag) Type() string { return "size" }
