package main

import (
	"fmt"
	"math"
	"strconv"
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
