package score

import (
	"math"
	"math/big"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// TestKappaGolden checks κ on the 2×2 table of Cohen's usual textbook
// example, computed by hand: p_o = 35/50 = 0.7, p_e = (25·30 + 25·20)/50² =
// 0.5, κ = (0.7 − 0.5)/(1 − 0.5) = 0.4.
func TestKappaGolden(t *testing.T) {
	a := &Agreement{}
	add := func(ref, got Outcome, n int) {
		for i := 0; i < n; i++ {
			if err := a.Add(ref, &Sample{Outcome: got}); err != nil {
				t.Fatal(err)
			}
		}
	}
	add(Correct, Correct, 20)
	add(Correct, Wrong, 5)
	add(Wrong, Correct, 10)
	add(Wrong, Wrong, 15)
	if a.N() != 50 || a.Agreed() != 35 || math.Abs(a.Kappa()-0.4) > 1e-15 || math.Abs(a.BinaryKappa()-0.4) > 1e-15 {
		t.Fatalf("N %d agreed %d κ %v binary κ %v", a.N(), a.Agreed(), a.Kappa(), a.BinaryKappa())
	}
	if p, n := a.AbstentionPrecision(); n != 0 || !math.IsNaN(p) {
		t.Errorf("abstention precision with no abstentions: %v (%d)", p, n)
	}
	if err := a.Add(Ungraded, &Sample{Outcome: Correct}); err == nil {
		t.Error("ungraded reference accepted")
	}
}

// TestKappaProperty compares κ with an exact rational computation on
// random 4×4 tables and checks the identities of the other figures.
func TestKappaProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := &Agreement{Keep: 3}
		var m [4][4]int64
		n := rapid.IntRange(1, 200).Draw(t, "n")
		for k := 0; k < n; k++ {
			i := rapid.IntRange(0, 3).Draw(t, "i")
			j := rapid.IntRange(0, 3).Draw(t, "j")
			m[i][j]++
			if err := a.Add(Buckets[i], &Sample{Outcome: Buckets[j]}); err != nil {
				t.Fatal(err)
			}
		}
		nn := big.NewRat(int64(n), 1)
		po, pe := new(big.Rat), new(big.Rat)
		for i := 0; i < 4; i++ {
			var row, col int64
			for j := 0; j < 4; j++ {
				row += m[i][j]
				col += m[j][i]
			}
			po.Add(po, new(big.Rat).Quo(big.NewRat(m[i][i], 1), nn))
			pe.Add(pe, new(big.Rat).Quo(big.NewRat(row*col, 1), new(big.Rat).Mul(nn, nn)))
		}
		if pe.Cmp(big.NewRat(1, 1)) == 0 {
			if !math.IsNaN(a.Kappa()) {
				t.Fatalf("κ = %v with p_e = 1", a.Kappa())
			}
		} else {
			want, _ := new(big.Rat).Quo(new(big.Rat).Sub(po, pe), new(big.Rat).Sub(big.NewRat(1, 1), pe)).Float64()
			if math.Abs(a.Kappa()-want) > 1e-12 {
				t.Fatalf("κ = %v, exact %v", a.Kappa(), want)
			}
		}
		if a.Binary().N() != n || a.N() != n {
			t.Fatalf("N %d, binary N %d, want %d", a.N(), a.Binary().N(), n)
		}
		if a.BinaryRate() < a.Rate() {
			t.Fatalf("collapsing buckets lowered agreement: %v < %v", a.BinaryRate(), a.Rate())
		}
		dis := n - a.Agreed()
		if len(a.Disagreements) != min(dis, 3) {
			t.Fatalf("kept %d disagreements of %d", len(a.Disagreements), dis)
		}
	})
}

func TestRefMap(t *testing.T) {
	r, err := ParseRefMap("A=correct, B=wrong ,C=not_attempted")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in   string
		want Outcome
		ok   bool
	}{{"A", Correct, true}, {" b ", Wrong, true}, {"C", Abstained, true}, {"D", Ungraded, false}, {"", Ungraded, false}, {"D", Ungraded, false}} {
		if o, ok := r.Map(tc.in); o != tc.want || ok != tc.ok {
			t.Errorf("Map(%q) = %v %v", tc.in, o, ok)
		}
	}
	err = r.Err()
	if err == nil || !strings.Contains(err.Error(), `"D" (2), "" (1)`) {
		t.Errorf("unmapped error: %v", err)
	}
	cs, _ := ParseRefMap("a=correct,A=wrong")
	if o, _ := cs.Map("a"); o != Correct {
		t.Errorf("case-sensitive map: %v", o)
	}
	for _, bad := range []string{"", "A", "A=maybe", "A=correct,A=wrong", "A=ungraded"} {
		if _, err := ParseRefMap(bad); err == nil {
			t.Errorf("ParseRefMap(%q) accepted", bad)
		}
	}
}
