package missingmass

import (
	"os"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

var wantTable = FreqOfFreq{{J: 1, F: 120}, {J: 2, F: 40}, {J: 3, F: 15}, {J: 5, F: 4}, {J: 12, F: 1}}

func TestReadTable(t *testing.T) {
	for _, c := range []struct{ name, in string }{
		{"text file", "testdata/profile.txt"},
		{"audit JSON", "testdata/audit.json"},
		{"comment, header, trailing comments", "# from breakaway\nj f_j\n1 120 # singletons\n2 40\n3 15\n5 4\n12 1\n"},
		{"csv", "1,120\n2,40\n3,15\n5,4\n12,1\n"},
		{"byte-order mark", "\ufeff1 120\r\n2 40\r\n3 15\r\n5 4\r\n12 1\r\n"},
		{"unsorted with zeros", "12 1\n5 4\n4 0\n1 120\n2 40\n3 15\n"},
		{"pairs", "[[1,120],[2,40],[3,15],[5,4],[12,1]]"},
		{"object", `{"1":120,"2":40,"3":15,"5":4,"12":1}`},
		{"bare freq_of_freq", `{"freq_of_freq":[{"j":1,"f_j":120},{"j":2,"f_j":40},{"j":3,"f_j":15},{"j":5,"f_j":4},{"j":12,"f_j":1.0}]}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			if strings.HasPrefix(in, "testdata/") {
				b, err := os.ReadFile(in)
				if err != nil {
					t.Fatal(err)
				}
				in = string(b)
			}
			got, err := ReadTable(strings.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, wantTable) {
				t.Fatalf("got %v, want %v", got, wantTable)
			}
		})
	}
}

// A file that is not a frequency-of-frequencies table is an error naming
// the line or entry and the field.
func TestReadTableRejects(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"words", "j f\nfoo bar\n", "line 2: field j"},
		{"three columns", "1 2 3\n4 5 6\n", "line 2: 3 cells, want two"},
		{"one column", "1\n2\n", "line 2: 1 cells, want two"},
		{"j = 0", "0 5\n", "line 1: field j"},
		{"negative f", "1 5\n2 -1\n", "line 2: field f_j"},
		{"fraction", "1 2.5\n", "line 1: field f_j"},
		{"repeated j", "1 5\n1 6\n", "line 2: field j: j = 1 given twice"},
		{"JSON without table", `{"result":{"records":3}}`, "no frequency-of-frequencies table"},
		{"JSON bad pair", `[[1,2,3]]`, "entry 1"},
		{"JSON bad object", `[{"j":1}]`, "entry 1"},
		{"JSON fraction", `[[1,2.5]]`, "entry 1: field f_j"},
		{"JSON j = 0", `[{"j":0,"f":1}]`, "entry 1: field j"},
		{"JSON key", `{"one":2}`, "no frequency-of-frequencies table"},
		{"JSON truncated", `{"freq_of_freq":[[1,2]`, "JSON"},
		{"JSON two values", `[[1,2]] [[1,2]]`, "more than one"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadTable(strings.NewReader(c.in))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

// An input with no row of f_j > 0 is an empty table, not an error.
func TestReadTableEmpty(t *testing.T) {
	for _, in := range []string{"", " \n\n", "1 0\n2 0\n", "j f_j\n", "# nothing\n", "[]", `{"freq_of_freq":[]}`} {
		got, err := ReadTable(strings.NewReader(in))
		if err != nil || len(got) != 0 {
			t.Errorf("ReadTable(%q) = %v, %v; want an empty table", in, got, err)
		}
	}
}

// FuzzReadTable: any input either gives a valid table or an error, never
// a panic.
func FuzzReadTable(f *testing.F) {
	for _, s := range []string{"1 120\n2 40\n", "[[1,2]]", `{"result":{"freq_of_freq":[{"j":1,"f":3}]}}`, `{"1":2}`, "j f_j\n# c\n3,4\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadTable(strings.NewReader(string(data)))
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("accepted an invalid table %v: %v", p, err)
		}
	})
}

// TestWriteTableRoundTrip: ReadTable reads back whatever WriteTable writes.
func TestWriteTableRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := rapid.MapOfN(rapid.Int64Range(1, 1<<40), rapid.Int64Range(1, 1<<20), 1, 50).Draw(t, "table")
		want, err := FromMap(m)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := WriteTable(&b, want); err != nil {
			t.Fatal(err)
		}
		got, err := ReadTable(strings.NewReader(b.String()))
		if err != nil {
			t.Fatalf("%v reading\n%s", err, b.String())
		}
		if !slices.Equal(got, want) {
			t.Fatalf("read %v, wrote %v", got, want)
		}
	})
}
