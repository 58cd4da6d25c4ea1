package harness

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

func TestReadDatasetJSONL(t *testing.T) {
	in := `{"question": "when was the moon landing", "answer": ["July 1969", "1969"]}

{"id": "q7", "problem": "capital of France?", "golden_answers": ["Paris", ""]}
{"id": 12, "query": "2+2", "gold": "4"}
`
	qs, err := ReadDataset(strings.NewReader(in), "d.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	want := []Question{
		{ID: "1", Text: "when was the moon landing", Golds: []string{"July 1969", "1969"}},
		{ID: "q7", Text: "capital of France?", Golds: []string{"Paris"}},
		{ID: "12", Text: "2+2", Golds: []string{"4"}},
	}
	if !slices.EqualFunc(qs, want, func(a, b Question) bool { return a.ID == b.ID && a.Text == b.Text && slices.Equal(a.Golds, b.Golds) }) {
		t.Errorf("got %+v\nwant %+v", qs, want)
	}
}

func TestReadDatasetCSV(t *testing.T) {
	in := "metadata,problem,answer\n\"{'topic': 'Art', 'answer_type': 'Person', 'urls': []}\",Who painted it?,Someone\n"
	qs, err := ReadDataset(strings.NewReader(in), "d.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 1 || qs[0].ID != "0" || qs[0].Text != "Who painted it?" || qs[0].Golds[0] != "Someone" {
		t.Errorf("got %+v", qs)
	}
}

func TestReadDatasetBad(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"not json", "{\"question\": \"a\", \"answer\": \"b\"}\n{oops\n", "d:2:"},
		{"no question", `{"answer": "b"}`, "d:1: no question"},
		{"no answer", `{"question": "a"}`, "d:1: no answer"},
		{"question not a string", `{"question": 3, "answer": "b"}`, "d:1: field question"},
		{"answers not strings", `{"question": "a", "answers": [1]}`, "d:1: field answers"},
		{"bad id", `{"id": [1], "question": "a", "answer": "b"}`, "d:1: field id"},
		{"duplicate id", "{\"id\":\"x\",\"question\":\"a\",\"answer\":\"b\"}\n{\"id\":\"x\",\"question\":\"c\",\"answer\":\"d\"}", `duplicate id "x"`},
		{"empty golds", `{"question": "a", "answer": [""]}`, "no gold answer"},
		{"empty question", `{"question": " ", "answer": "b"}`, "empty text"},
		{"csv without columns", "q,a\nx,y\n", "problem"},
		{"empty", "", "d:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadDataset(strings.NewReader(tc.in), "d")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestEmbeddedSimpleQA checks the built-in set against the sha256 and
// row count its SOURCE.md gives.
func TestEmbeddedSimpleQA(t *testing.T) {
	zr, err := zstd.NewReader(bytes.NewReader(simpleQAzst))
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	if _, err := io.Copy(h, zr); err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != "feee3f7e7db3617e94e8fcf1977b756ec420ef8568f4e0fcbbe0e92e9d5fc032" {
		t.Errorf("sha256 %s", got)
	}
	qs, err := SimpleQA()
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 4326 || qs[0].ID != "0" || qs[4325].ID != "4325" {
		t.Errorf("%d questions, ids %s..%s", len(qs), qs[0].ID, qs[len(qs)-1].ID)
	}
}

func TestSelect(t *testing.T) {
	var qs []Question
	for i := range 50 {
		qs = append(qs, Question{ID: string(rune('A' + i))})
	}
	ids := func(qs []Question) (s string) {
		for _, q := range qs {
			s += q.ID
		}
		return s
	}
	if got := ids(Select(qs, 3, false, 0)); got != "ABC" {
		t.Errorf("limit: %s", got)
	}
	a, b := ids(Select(qs, 10, true, 7)), ids(Select(qs, 10, true, 7))
	if a != b || a == ids(qs[:10]) {
		t.Errorf("shuffle with one seed gave %s and %s", a, b)
	}
	if ids(Select(qs, 10, true, 8)) == a {
		t.Error("seeds 7 and 8 selected the same questions")
	}
	if len(Select(qs, 0, true, 1)) != 50 || ids(qs) != ids(Select(qs, 0, false, 1)) {
		t.Error("limit 0 must select all, in file order without shuffle")
	}
}

// FuzzReadDataset: any input reads or fails with an error; what is read
// passes the dataset's own checks.
func FuzzReadDataset(f *testing.F) {
	f.Add(`{"question": "a", "answer": ["b", "c"]}` + "\n" + `{"id": 3, "problem": "d", "gold": "e"}`)
	f.Add("problem,answer\nq,a\n")
	f.Add("metadata,problem,answer\n\"{'topic': 'x'}\",q,a\n")
	f.Fuzz(func(t *testing.T, in string) {
		qs, err := ReadDataset(strings.NewReader(in), "fuzz")
		if err == nil && checkDataset(qs, "fuzz") != nil {
			t.Fatal("read a dataset that fails its checks")
		}
	})
}
