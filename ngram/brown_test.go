package ngram

import (
	"archive/tar"
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
)

// tarOf builds a tar archive of the named files, in order.
func tarOf(t testing.TB, files ...string) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for i := 0; i < len(files); i += 2 {
		body := files[i+1]
		if err := tw.WriteHeader(&tar.Header{Name: files[i], Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(body))
	}
	tw.Close()
	return buf.Bytes()
}

const ca01 = "\n\n\tThe/at jury/nn said/vbd ``/`` no/at ''/'' ./.\n\n\n\tMr./np Jr./np ran/vbd 1/2/cd //in ./.\n"

func TestAddBrown(t *testing.T) {
	tr := NewTrainer()
	st, err := tr.AddBrown(bytes.NewReader(tarOf(t, "brown/README", "about", "brown/ca01", ca01, "brown/cats.txt", "ca01 news")))
	if err != nil {
		t.Fatal(err)
	}
	if st.Files != 1 || st.Sentences != 2 || strings.Join(st.Skipped, ",") != "brown/README,brown/cats.txt" {
		t.Errorf("stats %+v, want 1 file, 2 sentences, README and cats.txt skipped", st)
	}
	var got []string
	for _, id := range tr.stream {
		got = append(got, tr.words[id])
	}
	want := `</s> the jury said " no " . </s> mr. jr. ran 1 / 2 / . </s>`
	if g := strings.Join(got, " "); g != want {
		t.Errorf("stream %q, want %q", g, want)
	}
}

func TestAddBrownRejects(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		{"untagged", "\tThe/at jury said/vbd\n", `brown/ca02 line 1 token 2 "jury": want word/TAG`},
		{"empty tag", "\n\tThe/ x/nn\n", `line 2 token 1 "The/"`},
		{"empty word", "\t/nn\n", `token 1 "/nn"`},
	} {
		tr := NewTrainer()
		_, err := tr.AddBrown(bytes.NewReader(tarOf(t, "brown/ca02", c.body)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		}
	}
	tr := NewTrainer()
	if _, err := tr.AddBrown(bytes.NewReader(tarOf(t, "brown/README", "x"))); err == nil {
		t.Error("an archive without text files was accepted")
	}
	if _, err := tr.AddBrown(strings.NewReader("not a tar archive, just some text that is long enough")); err == nil {
		t.Error("a non-archive was accepted")
	}
}

// TestBrownCorpus reads the real corpus from the shared data folder.
func TestBrownCorpus(t *testing.T) {
	f, err := os.Open("../../shared/data/text_brown_corpus/brown.tar.gz")
	if err != nil {
		t.Skipf("shared data absent (%v): the Brown corpus test needs ../shared/data", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := NewTrainer()
	st, err := tr.AddBrown(zr)
	if err != nil {
		t.Fatal(err)
	}
	// SOURCE.md: 500 texts; 57,340 non-blank lines in ca01…cr09.
	if st.Files != 500 || st.Sentences != 57340 || len(st.Skipped) != 3 {
		t.Errorf("stats %d files, %d sentences, skipped %v; want 500, 57340, 3 skipped", st.Files, st.Sentences, st.Skipped)
	}
	if _, err := tr.Train(context.Background(), 3); err != nil {
		t.Fatal(err)
	}
}

// FuzzAddBrown: any byte string is read without panicking.
func FuzzAddBrown(f *testing.F) {
	f.Add(tarOf(f, "brown/ca01", ca01))
	f.Add([]byte("garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tr := NewTrainer()
		if _, err := tr.AddBrown(bytes.NewReader(data)); err == nil {
			if _, err := tr.Train(context.Background(), 2); err != nil && err != ErrNoText {
				t.Fatal(err)
			}
		}
	})
}
