package facts

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/missingmass"
)

var wantProfile = missingmass.FreqOfFreq{{J: 1, F: 120}, {J: 2, F: 40}, {J: 3, F: 15}, {J: 5, F: 4}, {J: 12, F: 1}}

func TestReadProfile(t *testing.T) {
	for _, c := range []struct{ name, in string }{
		{"text file", "testdata/profile.txt"},
		{"audit JSON", "testdata/audit.json"},
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
			got, err := ReadProfile(strings.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, wantProfile) {
				t.Fatalf("got %v, want %v", got, wantProfile)
			}
		})
	}
}

// A file that is not a frequency-of-frequencies table is an error naming
// the line or entry and the field.
func TestReadProfileRejects(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"empty", "", "empty"},
		{"blank", " \n\n", "empty"},
		{"words", "j f\nfoo bar\n", "line 2: field j"},
		{"three columns", "1 2 3\n", "line 1: want two columns"},
		{"one column", "1\n2\n", "line 1: want two columns"},
		{"j = 0", "0 5\n", "line 1: field j"},
		{"negative f", "1 5\n2 -1\n", "line 2: field f_j"},
		{"fraction", "1 2.5\n", "line 1: field f_j"},
		{"repeated j", "1 5\n1 6\n", "appears twice"},
		{"all zero", "1 0\n2 0\n", "no prompts"},
		{"header only", "j f_j\n", "no rows"},
		{"JSON without table", `{"result":{"records":3}}`, "no frequency-of-frequencies table"},
		{"JSON string", `"1 2"`, "not a frequency-of-frequencies table"},
		{"JSON bad pair", `[[1,2,3]]`, "entry 1"},
		{"JSON bad object", `[{"j":1}]`, "entry 1"},
		{"JSON fraction", `[[1,2.5]]`, "entry 1: field f_j"},
		{"JSON j = 0", `[{"j":0,"f":1}]`, "entry 1: field j"},
		{"JSON key", `{"one":2}`, "no frequency-of-frequencies table"},
		{"JSON truncated", `{"freq_of_freq":[[1,2]`, "JSON"},
		{"JSON two values", `[[1,2]] [[1,2]]`, "more than one"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadProfile(strings.NewReader(c.in))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

// FuzzReadProfile: any input either gives a valid table or an error, never
// a panic.
func FuzzReadProfile(f *testing.F) {
	for _, s := range []string{"1 120\n2 40\n", "[[1,2]]", `{"result":{"freq_of_freq":[{"j":1,"f":3}]}}`, `{"1":2}`, "j f_j\n# c\n3,4\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadProfile(strings.NewReader(string(data)))
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil || len(p) == 0 || p.Distinct() > MaxPrompts {
			t.Fatalf("accepted an invalid table %v: %v", p, err)
		}
	})
}
