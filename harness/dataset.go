package harness

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/klauspost/compress/zstd"
)

// A Question is one benchmark item: its ID (stable across runs, the key a
// resumed run and `hallu score` pair samples by), its text and its gold
// answers (the first is the canonical one, the rest aliases).
type Question struct {
	ID    string
	Text  string
	Golds []string
}

//go:embed data/simple_qa_test_set.csv.zst
var simpleQAzst []byte

// SimpleQAName is the name --dataset gives the embedded SimpleQA test set.
const SimpleQAName = "simpleqa"

// SimpleQA returns the 4,326 questions of the SimpleQA test set (Wei et al.
// 2024, MIT; data/SOURCE.md), embedded in the binary. IDs are the 0-based
// rows of the original file, as other SimpleQA tools number them.
func SimpleQA() ([]Question, error) {
	zr, err := zstd.NewReader(bytes.NewReader(simpleQAzst))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return ReadDataset(zr, SimpleQAName)
}

// ReadDataset reads a question set: a CSV with columns problem and answer
// (SimpleQA, SimpleQA Verified), or JSONL with one question per line:
//
//	{"id": "q1", "question": "…", "answer": "…" | ["…", …]}
//
// where the question may be keyed question, problem or query, the answers
// answer, answers, golden_answers, gold, golds or possible_answers, and id
// is optional (the line number stands in). name labels errors, which give
// the line and field.
func ReadDataset(r io.Reader, name string) ([]Question, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(4 << 10)
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\ufeff")), " \t\r\n")
	if len(head) > 0 && head[0] == '{' {
		return readJSONLDataset(br, name)
	}
	ts, err := evallog.ReadSimpleQATest(br, name)
	if err != nil {
		return nil, err
	}
	qs := make([]Question, len(ts.Items))
	for i, it := range ts.Items {
		qs[i] = Question{ID: it.ID, Text: it.Problem, Golds: []string{it.Answer}}
	}
	return qs, checkDataset(qs, name)
}

var (
	questionKeys = []string{"question", "problem", "query"}
	answerKeys   = []string{"answer", "answers", "golden_answers", "gold", "golds", "possible_answers"}
)

func readJSONLDataset(r *bufio.Reader, name string) ([]Question, error) {
	var qs []Question
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var rec map[string]json.RawMessage
		if err := json.Unmarshal(b, &rec); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		q := Question{ID: strconv.Itoa(line)}
		if raw, ok := rec["id"]; ok {
			id, err := scalarString(raw)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: field id: %w", name, line, err)
			}
			q.ID = id
		}
		key, raw := first(rec, questionKeys)
		if key == "" {
			return nil, fmt.Errorf("%s:%d: no question (keys %s)", name, line, strings.Join(questionKeys, ", "))
		}
		if err := json.Unmarshal(raw, &q.Text); err != nil {
			return nil, fmt.Errorf("%s:%d: field %s: %w", name, line, key, err)
		}
		key, raw = first(rec, answerKeys)
		if key == "" {
			return nil, fmt.Errorf("%s:%d: no answer (keys %s)", name, line, strings.Join(answerKeys, ", "))
		}
		golds, err := stringOrList(raw)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: field %s: %w", name, line, key, err)
		}
		q.Golds = golds
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return qs, checkDataset(qs, name)
}

// first returns the first of keys present in rec.
func first(rec map[string]json.RawMessage, keys []string) (string, json.RawMessage) {
	for _, k := range keys {
		if raw, ok := rec[k]; ok {
			return k, raw
		}
	}
	return "", nil
}

// scalarString reads a JSON string or number as a string.
func scalarString(raw json.RawMessage) (string, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", errors.New("not a string or number")
	}
	return n.String(), nil
}

// stringOrList reads a string or a list of strings, dropping empty ones.
func stringOrList(raw json.RawMessage) ([]string, error) {
	var list []string
	if json.Unmarshal(raw, &list) != nil {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, errors.New("not a string or a list of strings")
		}
		list = []string{s}
	}
	out := list[:0]
	for _, s := range list {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

// checkDataset rejects what would make a run ambiguous: an empty set,
// duplicate IDs (resuming pairs records by ID), empty questions, questions
// without a gold answer.
func checkDataset(qs []Question, name string) error {
	if len(qs) == 0 {
		return fmt.Errorf("%s: no questions", name)
	}
	seen := make(map[string]bool, len(qs))
	for i, q := range qs {
		switch {
		case seen[q.ID]:
			return fmt.Errorf("%s: question %d: duplicate id %q", name, i+1, q.ID)
		case strings.TrimSpace(q.Text) == "":
			return fmt.Errorf("%s: question %q: empty text", name, q.ID)
		case len(q.Golds) == 0:
			return fmt.Errorf("%s: question %q: no gold answer", name, q.ID)
		}
		seen[q.ID] = true
	}
	return nil
}

// Select returns the questions to ask: all of them in file order, or, with
// shuffle, in an order drawn from seed (PCG), then the first limit of those
// (all when limit ≤ 0). The same arguments always select the same
// questions, so that a resumed run asks what the first one asked.
func Select(qs []Question, limit int, shuffle bool, seed uint64) []Question {
	out := append([]Question(nil), qs...)
	if shuffle {
		rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	}
	if limit > 0 && limit < len(out) {
		out = out[:limit]
	}
	return out
}
