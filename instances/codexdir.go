package instances

import (
	"io"
	"path/filepath"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/internal/provenance"
)

// readCoDExDir reads a CoDEx-S directory with CoDEx: relations_en.json (or
// relations.json), the true triples of train.txt, valid.txt and test.txt,
// and the split's negatives (<split>_negatives.txt), appending the files
// read to inputs.
func readCoDExDir(dir, split string, lim evallog.Limits, inputs *[]provenance.Input) ([]CandidateSet, ConvertStats, error) {
	var files []*input.File
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	open := func(names ...string) (*input.File, error) {
		var err error
		for _, n := range names {
			var f *input.File
			if f, err = input.Open(filepath.Join(dir, n)); err == nil {
				files = append(files, f)
				return f, nil
			}
		}
		return nil, err
	}
	in := CoDExInput{Limits: lim}
	rel, err := open("relations_en.json", "relations.json")
	if err != nil {
		return nil, ConvertStats{}, err
	}
	in.Relations = NamedReader{Name: rel.Input().Path, R: rel}
	for _, n := range []string{"train.txt", "valid.txt", "test.txt"} {
		f, err := open(n)
		if err != nil {
			return nil, ConvertStats{}, err
		}
		in.Positives = append(in.Positives, NamedReader{Name: f.Input().Path, R: f})
	}
	neg, err := open(split + "_negatives.txt")
	if err != nil {
		return nil, ConvertStats{}, err
	}
	in.Negatives = NamedReader{Name: neg.Input().Path, R: neg}
	sets, st, err := CoDEx(in)
	if err != nil {
		return nil, st, err
	}
	for _, f := range files {
		if _, err := io.Copy(io.Discard, f); err != nil {
			return nil, st, err
		}
		*inputs = append(*inputs, f.Input())
	}
	return sets, st, nil
}
