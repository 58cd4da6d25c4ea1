package instances

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/hallu-dev/hallu/evallog"
)

// CoDExInput holds the CoDEx files (Safavi & Koutra 2020) that CoDEx
// reads; the caller opens them.
type CoDExInput struct {
	// Relations is relations.json: {"P27": {"label": "country of
	// citizenship", …}, …}.
	Relations NamedReader
	// Positives are true triple files, "head<TAB>relation<TAB>tail" per
	// line (train.txt, valid.txt, test.txt): every true tail of a (head,
	// relation) they hold is valid.
	Positives []NamedReader
	// Negatives is a verified-false triple file (test_negatives.txt or
	// valid_negatives.txt): its tails are the errors.
	Negatives NamedReader
	// Labels, if set, names entities (Wikidata Q-id → label, e.g. from
	// CoDEx's entities.json); entities without a label are written as
	// their Q-id.
	Labels map[string]string
	// Limits bounds relations.json, read whole (MaxDocument), and a line
	// of a triple file (MaxLine); zero: the defaults.
	Limits evallog.Limits
}

// A NamedReader is a reader with the name errors give it.
type NamedReader struct {
	Name string
	R    io.Reader
}

// CoDEx converts CoDEx triples into candidate sets, one per (head,
// relation) of the negatives file that has at least one true tail in the
// positives: the sentence "<head> <relation label> <tail>." split after
// the relation (context "Q104081 country of citizenship", candidates
// " Q35."), the valid candidates " <tail>." for the true tails, the errors
// " <tail>." for the verified-false tails of the same (head, relation) —
// the plausible falsehoods of Section 3.1 of arXiv:2509.04664, checked false by CoDEx's
// annotators. p is uniform over the true tails. Without Labels, entities
// are Wikidata Q-ids, which a language model can only guess at. Negatives
// whose (head, relation) has no true tail, and negatives that are also
// listed as true, are left out and counted.
func CoDEx(in CoDExInput) ([]CandidateSet, ConvertStats, error) {
	var st ConvertStats
	var rels map[string]struct {
		Label string `json:"label"`
	}
	b, err := in.Limits.ReadAll(in.Relations.R, "relations file")
	if err != nil {
		return nil, st, fmt.Errorf("%s: %w", in.Relations.Name, err)
	}
	if err := json.Unmarshal(b, &rels); err != nil {
		return nil, st, fmt.Errorf("%s: not a JSON object of {label}: %w", in.Relations.Name, err)
	}
	type hr struct{ h, r string }
	truth := map[hr][]string{}
	isTrue := map[[3]string]bool{}
	for _, p := range in.Positives {
		err := eachTriple(p, in.Limits, func(_ int, h, r, t string) {
			if !isTrue[[3]string{h, r, t}] {
				isTrue[[3]string{h, r, t}] = true
				truth[hr{h, r}] = append(truth[hr{h, r}], t)
			}
		})
		if err != nil {
			return nil, st, err
		}
	}
	var order []hr
	neg := map[hr][]string{}
	lineOf := map[hr]int{}
	err = eachTriple(in.Negatives, in.Limits, func(line int, h, r, t string) {
		k := hr{h, r}
		switch {
		case truth[k] == nil:
			st.skip("negative whose (head, relation) has no true tail")
			return
		case isTrue[[3]string{h, r, t}]:
			st.skip("negative also listed as true")
			return
		}
		if neg[k] == nil {
			order = append(order, k)
			lineOf[k] = line
		}
		neg[k] = append(neg[k], t)
	})
	if err != nil {
		return nil, st, err
	}
	label := func(q string) string {
		if l, ok := in.Labels[q]; ok && l != "" {
			return l
		}
		return q
	}
	var sets []CandidateSet
	for _, k := range order {
		rl, ok := rels[k.r]
		if !ok || rl.Label == "" {
			return nil, st, fmt.Errorf("%s line %d: field relation: %s has no label in %s", in.Negatives.Name, lineOf[k], k.r, in.Relations.Name)
		}
		var valid, wrong answerSet
		for _, t := range truth[k] {
			valid.add(label(t) + ".")
		}
		for _, t := range neg[k] {
			if !valid.has(label(t) + ".") {
				wrong.add(label(t) + ".")
			}
		}
		if len(wrong.list) == 0 {
			st.skip("(head, relation) whose negatives share a label with a true tail")
			continue
		}
		sets = append(sets, CandidateSet{
			Context: label(k.h) + " " + rl.Label,
			Valid:   spaced(valid.list), Errors: spaced(wrong.list), Line: lineOf[k],
		})
	}
	st.Sets = len(sets)
	return sets, st, nil
}

// eachTriple calls fn with each "head<TAB>relation<TAB>tail" line of nr
// and its line number.
func eachTriple(nr NamedReader, lim evallog.Limits, fn func(line int, h, r, t string)) error {
	return lim.EachLine(nr.R, nr.Name, func(line int, raw []byte) error {
		s := string(raw)
		f := strings.Split(s, "\t")
		if len(f) != 3 || f[0] == "" || f[1] == "" || f[2] == "" {
			return fmt.Errorf("%s line %d: want head<TAB>relation<TAB>tail, got %q", nr.Name, line, abbrev(s, 80))
		}
		fn(line, f[0], f[1], f[2])
		return nil
	})
}
