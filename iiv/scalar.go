package iiv

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
)

// Scalar is the arithmetic the package computes in. Methods never modify
// their receiver or argument. The zero value of an implementation is 0.
type Scalar[T any] interface {
	Add(T) T
	Sub(T) T
	Mul(T) T
	Quo(T) T
	Cmp(T) int
	Sign() int
	Float64() float64
	// Frac returns the number a/b (b ≠ 0); it ignores its receiver.
	Frac(a, b int64) T
	// FromFloat converts f; it ignores its receiver. For Rat it is exact
	// (every finite float64 is a rational number).
	FromFloat(f float64) T
	// Parse reads a JSON number; it ignores its receiver. For Rat the
	// decimal is read exactly.
	Parse(b []byte) (T, error)
}

// Float is float64 arithmetic; sums over many terms use compensated
// (Neumaier) summation through Sum.
type Float float64

func (x Float) Add(y Float) Float   { return x + y }
func (x Float) Sub(y Float) Float   { return x - y }
func (x Float) Mul(y Float) Float   { return x * y }
func (x Float) Quo(y Float) Float   { return x / y }
func (x Float) Float64() float64    { return float64(x) }
func (Float) Frac(a, b int64) Float { return Float(float64(a) / float64(b)) }
func (Float) FromFloat(f float64) Float {
	return Float(f)
}

func (x Float) Cmp(y Float) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func (x Float) Sign() int { return x.Cmp(0) }

func (Float) Parse(b []byte) (Float, error) {
	if f, ok := parseFast(b); ok {
		return Float(f), nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	return Float(f), err
}

// Rat is exact rational arithmetic on math/big.Rat. The zero value is 0.
type Rat struct{ r *big.Rat }

// NewRat returns the rational a/b.
func NewRat(a, b int64) Rat { return Rat{big.NewRat(a, b)} }

func (x Rat) rat() *big.Rat {
	if x.r == nil {
		return new(big.Rat)
	}
	return x.r
}

func (x Rat) Add(y Rat) Rat     { return Rat{new(big.Rat).Add(x.rat(), y.rat())} }
func (x Rat) Sub(y Rat) Rat     { return Rat{new(big.Rat).Sub(x.rat(), y.rat())} }
func (x Rat) Mul(y Rat) Rat     { return Rat{new(big.Rat).Mul(x.rat(), y.rat())} }
func (x Rat) Quo(y Rat) Rat     { return Rat{new(big.Rat).Quo(x.rat(), y.rat())} }
func (x Rat) Cmp(y Rat) int     { return x.rat().Cmp(y.rat()) }
func (x Rat) Sign() int         { return x.rat().Sign() }
func (Rat) Frac(a, b int64) Rat { return NewRat(a, b) }

// Float64 returns the nearest float64.
func (x Rat) Float64() float64 { f, _ := x.rat().Float64(); return f }

// Big returns x as a *big.Rat (a copy).
func (x Rat) Big() *big.Rat { return new(big.Rat).Set(x.rat()) }

// String returns x as a fraction a/b.
func (x Rat) String() string { return x.rat().RatString() }

func (Rat) FromFloat(f float64) Rat {
	r := new(big.Rat)
	if r.SetFloat64(f) == nil {
		panic(fmt.Sprintf("iiv: Rat.FromFloat(%v): not finite", f))
	}
	return Rat{r}
}

func (Rat) Parse(b []byte) (Rat, error) {
	r, ok := new(big.Rat).SetString(string(b))
	if !ok {
		return Rat{}, fmt.Errorf("invalid number %q", b)
	}
	return Rat{r}, nil
}

// Sum accumulates a sum of Scalars with Neumaier's compensated summation,
// which bounds the float64 rounding error independently of the number of
// terms (Neumaier 1974). For Rat the compensation stays exactly 0.
type Sum[T Scalar[T]] struct{ s, c T }

// Add adds x to the sum.
func (a *Sum[T]) Add(x T) {
	if f, ok := any(a).(*Sum[Float]); ok { // float arithmetic, not through T's methods
		addFloat(f, any(x).(Float))
		return
	}
	t := a.s.Add(x)
	// The branch only picks which operand's low bits were lost; for Rat
	// both are exact, so comparing float approximations is enough.
	if math.Abs(a.s.Float64()) >= math.Abs(x.Float64()) {
		a.c = a.c.Add(a.s.Sub(t).Add(x))
	} else {
		a.c = a.c.Add(x.Sub(t).Add(a.s))
	}
	a.s = t
}

func addFloat(a *Sum[Float], x Float) {
	t := a.s + x
	if math.Abs(float64(a.s)) >= math.Abs(float64(x)) {
		a.c += a.s - t + x
	} else {
		a.c += x - t + a.s
	}
	a.s = t
}

// Value returns the compensated sum.
func (a *Sum[T]) Value() T { return a.s.Add(a.c) }

func abs[T Scalar[T]](x T) T {
	if x.Sign() < 0 {
		var zero T
		return zero.Sub(x)
	}
	return x
}

// isFinite reports whether x, as a float, is neither NaN nor infinite.
func isFinite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// decimalDigits reads the decimal digits of b from i on into m, counting
// in sig those after the leading zeros, and returns the index after them.
func decimalDigits(b []byte, i int, m uint64, sig int) (int, uint64, int) {
	for ; i < len(b) && '0' <= b[i] && b[i] <= '9'; i++ {
		if m != 0 || b[i] != '0' {
			sig++
		}
		m = m*10 + uint64(b[i]-'0')
	}
	return i, m, sig
}

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseFast reads a JSON number of at most 15 significant digits and a
// decimal exponent within ±22, the common case, as Clinger's fast path
// does: the digits as an integer m < 10^15 < 2^53 and 10^|e| are both exact
// float64s, so the one multiplication or division m·10^e rounds correctly,
// and the result is the float64 nearest the decimal, as strconv.ParseFloat's.
// ok is false for any other number, left to strconv.
func parseFast(b []byte) (f float64, ok bool) {
	i, neg := 0, false
	if i < len(b) && b[i] == '-' {
		neg = true
		i++
	}
	// m holds the digits, sig counts the significant ones, and m is scaled
	// by 10^exp.
	j, m, sig := decimalDigits(b, i, 0, 0)
	exp := 0
	if j == i {
		return 0, false
	}
	i = j
	if i < len(b) && b[i] == '.' {
		j, m, sig = decimalDigits(b, i+1, m, sig)
		if j == i+1 {
			return 0, false
		}
		exp = i + 1 - j
		i = j
	}
	if i != len(b) || sig > 15 || exp < -22 {
		return 0, false // an exponent part, too many digits, or too small
	}
	f = float64(m)
	if exp < 0 {
		f /= pow10[-exp]
	}
	if neg {
		f = -f
	}
	return f, true
}
