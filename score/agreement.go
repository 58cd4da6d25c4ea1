package score

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Buckets are the four graded outcomes in the order of an Agreement's
// confusion matrix.
var Buckets = [4]Outcome{Correct, Wrong, Abstained, Invalid}

// An Agreement compares two gradings of the same samples: a reference (a
// human label, a judge's letter, the log's own grade) and hallu's. It is
// how a user decides whether to trust a grader before scoring under
// confidence targets (Section 4 of Kalai et al. 2025, where a wrong answer
// costs t/(1−t) and an abstention 0, so mistaking one for the other moves
// the score).
//
// The zero Agreement is empty and ready for Add.
type Agreement struct {
	// Matrix[i][j] counts samples the reference put in Buckets[i] and
	// hallu in Buckets[j].
	Matrix [4][4]int `json:"matrix"`
	// Keep is how many disagreeing samples Add keeps (Disagreements).
	Keep          int            `json:"-"`
	Disagreements []Disagreement `json:"disagreements,omitempty"`
}

// A Disagreement is one sample the two gradings put in different buckets,
// with hallu's reason.
type Disagreement struct {
	Sample    *Sample `json:"sample"`
	Reference Outcome `json:"reference"`
	Hallu     Outcome `json:"hallu"`
}

func bucket(o Outcome) (int, error) {
	if o < Correct || o > Invalid {
		return 0, fmt.Errorf("outcome %v is not one of correct, wrong, abstained, invalid", o)
	}
	return int(o) - 1, nil
}

// Add counts one sample: ref is the reference label, s.Outcome hallu's.
// The first Keep disagreements keep a copy of s.
func (a *Agreement) Add(ref Outcome, s *Sample) error {
	i, err := bucket(ref)
	if err != nil {
		return fmt.Errorf("reference: %w", err)
	}
	j, err := bucket(s.Outcome)
	if err != nil {
		return fmt.Errorf("hallu: %w", err)
	}
	a.Matrix[i][j]++
	if i != j && len(a.Disagreements) < a.Keep {
		c := *s
		c.Golds = append([]string(nil), s.Golds...)
		a.Disagreements = append(a.Disagreements, Disagreement{Sample: &c, Reference: ref, Hallu: s.Outcome})
	}
	return nil
}

// N is the number of samples counted.
func (a *Agreement) N() int {
	n := 0
	for i := range a.Matrix {
		for j := range a.Matrix[i] {
			n += a.Matrix[i][j]
		}
	}
	return n
}

// Agreed is the number of samples both gradings put in the same bucket.
func (a *Agreement) Agreed() int {
	k := 0
	for i := range a.Matrix {
		k += a.Matrix[i][i]
	}
	return k
}

// Rate is the observed agreement Agreed/N (NaN when N = 0).
func (a *Agreement) Rate() float64 { return ratio(a.Agreed(), a.N()) }

// Kappa is Cohen's κ over the four buckets (Cohen 1960, Educ. Psychol.
// Meas. 20(1), eq. 1): κ = (p_o − p_e)/(1 − p_e), where p_o is the observed
// agreement and p_e = Σ_k (row_k/N)(col_k/N) the agreement expected by
// chance from the two gradings' marginals. It is NaN when N = 0 or p_e = 1
// (both gradings put everything in one bucket).
func (a *Agreement) Kappa() float64 { return kappa(a.Matrix[:], 4) }

func kappa(m [][4]int, k int) float64 {
	n, agree := 0, 0
	rows, cols := make([]int, k), make([]int, k)
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			n += m[i][j]
			rows[i] += m[i][j]
			cols[j] += m[i][j]
		}
		agree += m[i][i]
	}
	if n == 0 {
		return math.NaN()
	}
	nf := float64(n)
	pe := 0.0
	for i := 0; i < k; i++ {
		pe += float64(rows[i]) / nf * float64(cols[i]) / nf
	}
	if pe == 1 {
		return math.NaN()
	}
	return (float64(agree)/nf - pe) / (1 - pe)
}

// Binary collapses the matrix to correct against everything else, the
// split of a reference that only says right or not (a human Yes/No, the
// SimpleQA letter A against B and C): a 2×2 matrix in the top-left corner
// of the result, index 0 correct, 1 not correct.
func (a *Agreement) Binary() *Agreement {
	b := &Agreement{}
	for i := range a.Matrix {
		for j := range a.Matrix[i] {
			b.Matrix[min(i, 1)][min(j, 1)] += a.Matrix[i][j]
		}
	}
	return b
}

// BinaryRate is the agreement on correct against not correct.
func (a *Agreement) BinaryRate() float64 { return a.Binary().Rate() }

// BinaryKappa is Cohen's κ on correct against not correct.
func (a *Agreement) BinaryKappa() float64 { return kappa(a.Binary().Matrix[:], 2) }

// AbstentionPrecision is the share of the samples hallu calls abstained
// that the reference calls abstained, with its denominator.
func (a *Agreement) AbstentionPrecision() (float64, int) {
	n := 0
	for i := range a.Matrix {
		n += a.Matrix[i][2]
	}
	return ratio(a.Matrix[2][2], n), n
}

// AbstentionRecall is the share of the samples the reference calls
// abstained that hallu calls abstained, with its denominator.
func (a *Agreement) AbstentionRecall() (float64, int) {
	n := 0
	for j := range a.Matrix[2] {
		n += a.Matrix[2][j]
	}
	return ratio(a.Matrix[2][2], n), n
}

func ratio(k, n int) float64 {
	if n == 0 {
		return math.NaN()
	}
	return float64(k) / float64(n)
}

// A RefMap says which reference labels mean which outcome, e.g. SimpleQA's
// letters "A=correct,B=wrong,C=abstained" or a human label
// "Yes=correct,No=wrong". Labels are compared after trimming white space,
// case-sensitively unless every key is given in one case (see Map).
type RefMap struct {
	m    map[string]Outcome
	fold bool
	// Unmapped counts the values seen that no key maps.
	Unmapped map[string]int
}

// ParseRefMap reads "label=outcome,…" pairs; outcome is any spelling
// ParseOutcome accepts except ungraded. A label may be empty ("=invalid"
// maps empty cells). Several labels may map to one outcome; one label may
// not map to two.
func ParseRefMap(s string) (*RefMap, error) {
	r := &RefMap{m: map[string]Outcome{}, fold: true, Unmapped: map[string]int{}}
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("empty reference map: say which labels mean correct, wrong and abstained, e.g. A=correct,B=wrong,C=abstained")
	}
	lower := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("reference map %q: %q is not label=outcome", s, kv)
		}
		k = strings.TrimSpace(k)
		o, err := ParseOutcome(v)
		if err != nil || o == Ungraded {
			return nil, fmt.Errorf("reference map %q: %q is not correct, wrong, abstained or invalid", s, v)
		}
		if prev, dup := r.m[k]; dup && prev != o {
			return nil, fmt.Errorf("reference map %q: label %q maps to both %v and %v", s, k, prev, o)
		}
		r.m[k] = o
		if other, ok := lower[strings.ToLower(k)]; ok && other != k {
			r.fold = false // "a" and "A" both given: the user means case to count
		}
		lower[strings.ToLower(k)] = k
	}
	if r.fold {
		for k, o := range r.m {
			r.m[strings.ToLower(k)] = o
		}
	}
	return r, nil
}

// Map returns the outcome of a reference label, counting it in Unmapped
// when no key maps it. Case is ignored unless the map gave two keys that
// differ only in case.
func (r *RefMap) Map(label string) (Outcome, bool) {
	k := strings.TrimSpace(label)
	if r.fold {
		k = strings.ToLower(k)
	}
	if o, ok := r.m[k]; ok {
		return o, true
	}
	r.Unmapped[strings.TrimSpace(label)]++
	return Ungraded, false
}

// Err returns an error listing every unmapped value with its count, most
// frequent first, or nil when every label was mapped.
func (r *RefMap) Err() error {
	if len(r.Unmapped) == 0 {
		return nil
	}
	type vc struct {
		v string
		n int
	}
	var vs []vc
	for v, n := range r.Unmapped {
		vs = append(vs, vc{v, n})
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].n > vs[j].n || vs[i].n == vs[j].n && vs[i].v < vs[j].v })
	var b strings.Builder
	for i, x := range vs {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q (%d)", x.v, x.n)
	}
	return fmt.Errorf("%d reference values are not in the map: %s", len(vs), b.String())
}
