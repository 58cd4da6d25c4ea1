package iiv

import "fmt"

// Label says which part of the plausible strings X a response belongs to
// (Section 3.1 and Section 3.2 of arXiv:2509.04664).
type Label uint8

const (
	// Valid marks r ∈ V_c: a correct response.
	Valid Label = iota + 1
	// Error marks r ∈ E_c: a plausible falsehood.
	Error
	// IDK marks an abstention ("I don't know"). The paper counts it as a
	// valid response (Fig. 1), so it belongs to V_c and counts toward
	// max_c|V_c|; it is tallied separately only for reporting.
	IDK
	// Nonsense marks r ∈ N, the extension of Section 3.2 of arXiv:2509.04664: its model mass
	// counts toward err, it has zero D-mass and it is not in E_c.
	Nonsense
)

var labelNames = [...]string{Valid: "valid", Error: "error", IDK: "idk", Nonsense: "nonsense"}

func (l Label) String() string {
	if int(l) < len(labelNames) && labelNames[l] != "" {
		return labelNames[l]
	}
	return fmt.Sprintf("Label(%d)", uint8(l))
}

// ParseLabel returns the Label named s.
func ParseLabel(s string) (Label, error) {
	if l, ok := labelNamed(s); ok {
		return l, nil
	}
	return 0, fmt.Errorf("unknown label %q (want valid, error, idk or nonsense)", s)
}

// labelNamed returns the Label named s, from a string or its bytes.
func labelNamed[S text](s S) (Label, bool) {
	for l, name := range labelNames {
		if name != "" && string(s) == name {
			return Label(l), true
		}
	}
	return 0, false
}

// isValid reports whether the label belongs to V_c.
func (l Label) isValid() bool { return l == Valid || l == IDK }

// Row is one (context, response) pair of an instance.
type Row[T Scalar[T]] struct {
	Context  string
	Response string
	Label    Label
	// Mu is the context weight μ(c), if HasMu. Either every context has a
	// weight (summing to 1) or none has, meaning μ is uniform.
	Mu    T
	HasMu bool
	// P is p(r|c), if HasP. Valid and IDK rows of a context sum to 1. If no
	// valid row of a context has P, p(·|c) is uniform over its valid rows.
	// Error and nonsense rows must have P = 0 or none.
	P    T
	HasP bool
	// Phat is p̂(r|c), the model's probability of the response.
	Phat T
	// Line is the row's position in its source (1-based), for messages; 0 if unknown.
	Line int
}
