package missingmass

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

func TestTabulate(t *testing.T) {
	got, err := Tabulate([]int64{1, 3, 0, 1, 2, 3, 3, 7, 0})
	if err != nil {
		t.Fatal(err)
	}
	want := FreqOfFreq{{1, 2}, {2, 1}, {3, 3}, {7, 1}}
	if !slices.Equal(got, want) {
		t.Fatalf("Tabulate = %v, want %v", got, want)
	}
	if d, a := got.Distinct(), got.Answered(); d != 7 || a != 20 {
		t.Errorf("Distinct, Answered = %d, %d; want 7, 20", d, a)
	}
	if got.F(3) != 3 || got.F(4) != 0 {
		t.Errorf("F(3), F(4) = %d, %d; want 3, 0", got.F(3), got.F(4))
	}
	if _, err := Tabulate([]int64{1, -1}); err == nil {
		t.Error("Tabulate accepted a negative count")
	}
}

func TestValidateRejects(t *testing.T) {
	for _, bad := range []FreqOfFreq{
		{{0, 1}},
		{{1, 0}},
		{{2, 1}, {1, 1}},
		{{1, 1}, {1, 2}},
		{{1 << 40, 1 << 40}},
	} {
		if bad.Validate() == nil {
			t.Errorf("Validate(%v) = nil, want an error", bad)
		}
	}
}

// Definition 2 by brute force on a list of (prompt, answered?) records.
func TestSingletonRateDefinition2(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nPrompts := rapid.IntRange(1, 30).Draw(t, "prompts")
		type rec struct {
			c   int
			idk bool
		}
		recs := rapid.SliceOf(rapid.Custom(func(t *rapid.T) rec {
			return rec{rapid.IntRange(0, nPrompts-1).Draw(t, "c"), rapid.Bool().Draw(t, "idk")}
		})).Draw(t, "records")
		answered := make([]int64, nPrompts)
		for _, r := range recs {
			if !r.idk {
				answered[r.c]++
			}
		}
		singletons := 0
		for c := range nPrompts {
			n := 0
			for _, r := range recs {
				if r.c == c && !r.idk {
					n++
				}
			}
			if n == 1 {
				singletons++
			}
		}
		fof, err := Tabulate(answered)
		if err != nil {
			t.Fatal(err)
		}
		sr, err := SingletonRate(fof, int64(len(recs)))
		if err != nil {
			t.Fatal(err)
		}
		want := 0.0
		if len(recs) > 0 {
			want = float64(singletons) / float64(len(recs))
		}
		if sr != want {
			t.Fatalf("sr = %v, want %v", sr, want)
		}
		// More abstentions never raise sr.
		if more, _ := SingletonRate(fof, int64(len(recs))+1); more > sr {
			t.Fatalf("adding an IDK record raised sr from %v to %v", sr, more)
		}
	})
}

func TestSingletonRateRejectsTooSmallN(t *testing.T) {
	if _, err := SingletonRate(FreqOfFreq{{1, 3}, {2, 1}}, 4); err == nil {
		t.Error("N = 4 accepted for a table of 5 answered examples")
	}
}

func TestMergeEqualsTabulateOfUnion(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := rapid.SliceOf(rapid.Int64Range(0, 20)).Draw(t, "a")
		b := rapid.SliceOf(rapid.Int64Range(0, 20)).Draw(t, "b")
		ta, _ := Tabulate(a)
		tb, _ := Tabulate(b)
		tab, _ := Tabulate(append(slices.Clone(a), b...))
		if got := ta.Merge(tb); !slices.Equal(got, tab) && !(len(got) == 0 && len(tab) == 0) {
			t.Fatalf("Merge = %v, want %v", got, tab)
		}
	})
}

func ExampleSingletonRate() {
	// Six records: prompt a answered twice, b answered once, c answered
	// once and abstained once, d only abstained.
	fof, _ := Tabulate([]int64{2, 1, 1, 0}) // answered counts of a, b, c, d
	sr, _ := SingletonRate(fof, 6)
	fmt.Println(fof, sr)
	// Output: [{1 2} {2 1}] 0.3333333333333333
}
