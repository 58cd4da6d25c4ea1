package instances

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/internal/input"
)

// evallogs is ../shared/data/evallogs seen from this package's directory.
const evallogs = "../../shared/data/evallogs"

func needEvallogs(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(evallogs); err != nil {
		t.Skipf("real logs not present (%v): tests on ../shared/data skipped", err)
	}
}

// rawBytes reads a file, gunzipping *.gz with the standard library.
func rawBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if b, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// The independent parsers below read each format the way SOURCE.md's
// checks describe, with encoding/csv and encoding/json, not hallu's
// readers.

// parseLetterCSV reads an llm-calibration CSV: Logit_A..D, gold letter in
// column "5".
func parseLetterCSV(t *testing.T, path string) ([][]float64, []int) {
	recs, err := csv.NewReader(bytes.NewReader(rawBytes(t, path))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var phat [][]float64
	var gold []int
	for _, r := range recs[1:] {
		z := make([]float64, 4)
		for i, l := range "ABCD" {
			if z[i], err = strconv.ParseFloat(r[col["Logit_"+string(l)]], 64); err != nil {
				t.Fatal(err)
			}
		}
		phat = append(phat, softmaxRef(z))
		gold = append(gold, int(r[col["5"]][0]-'A'))
	}
	return phat, gold
}

// parseLMEval reads lm-eval ≥ 0.4 samples, JSONL or one array:
// resps[i][0][0] per choice, target the gold index.
func parseLMEval(t *testing.T, path string) ([][]float64, []int) {
	b := bytes.TrimSpace(rawBytes(t, path))
	var recs []map[string]any
	if b[0] == '[' {
		if err := json.Unmarshal(b, &recs); err != nil {
			t.Fatal(err)
		}
	} else {
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, 1<<26)
		for sc.Scan() {
			var r map[string]any
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			recs = append(recs, r)
		}
	}
	num := func(v any) float64 {
		switch x := v.(type) {
		case float64:
			return x
		case string:
			f, err := strconv.ParseFloat(x, 64)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
		t.Fatalf("%v is not a number", v)
		return 0
	}
	var phat [][]float64
	var gold []int
	for _, r := range recs {
		var z []float64
		for _, resp := range r["resps"].([]any) {
			z = append(z, num(resp.([]any)[0].([]any)[0]))
		}
		phat = append(phat, softmaxRef(z))
		gold = append(gold, int(num(r["target"])))
	}
	return phat, gold
}

// parseV03 reads a v0.3 --write_out file: logit_0, logit_1, truth.
func parseV03(t *testing.T, path string) ([][]float64, []int) {
	var recs []struct {
		L0    float64 `json:"logit_0"`
		L1    float64 `json:"logit_1"`
		Truth int     `json:"truth"`
	}
	if err := json.Unmarshal(rawBytes(t, path), &recs); err != nil {
		t.Fatal(err)
	}
	var phat [][]float64
	var gold []int
	for _, r := range recs {
		phat = append(phat, softmaxRef([]float64{r.L0, r.L1}))
		gold = append(gold, r.Truth)
	}
	return phat, gold
}

// readModel reads path with hallu's readers.
func readModel(t *testing.T, path string, src QuestionSource) Model {
	t.Helper()
	f, err := input.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	qs, _, err := ReadQuestions(f, path, src)
	if err != nil {
		t.Fatal(err)
	}
	return Model{Name: filepath.Base(path), Questions: qs}
}

var letterLogits = QuestionSource{Format: FormatChoices, Table: evallog.ChoiceTable{Scores: "Logit_*", Gold: "5", Question: "0"}}

// Every figure of every real file equals the independent computation
// within 1e-9: the Llama-3.1 letter-logit CSVs, the lm-eval 0.4.0 array
// (Vicuna-33B), the lm-eval JSONL (gemma-3-4b-it, Qwen2.5-3B-Instruct) and
// the lm-eval v0.3 --write_out files (Mistral-7B, Llama-2-13b).
func TestRealFiguresMatchIndependentComputation(t *testing.T) {
	needEvallogs(t)
	type file struct {
		glob  string
		src   QuestionSource
		parse func(*testing.T, string) ([][]float64, []int)
	}
	files := []file{
		{"lm-eval-pairs/other-formats/*.csv", letterLogits, parseLetterCSV},
		{"lm-eval-pairs/vicuna-*_mmlu_*.jsonl*", QuestionSource{Format: FormatLMEval}, parseLMEval},
		{"lm-eval/*_samples_mmlu_abstract_algebra_*.jsonl", QuestionSource{Format: FormatLMEval}, parseLMEval},
		{"lm-eval-pairs/*_write_out_info.json.gz", QuestionSource{Format: FormatLMEvalV03}, parseV03},
	}
	seen := 0
	for _, f := range files {
		paths, _ := filepath.Glob(filepath.Join(evallogs, f.glob))
		for _, path := range paths {
			seen++
			phat, gold := f.parse(t, path)
			m := readModel(t, path, f.src)
			cmp, err := Compare(context.Background(), []Model{m}, CompareOptions{Reps: 2, PairBy: PairByID})
			if err != nil {
				t.Fatal(err)
			}
			if cmp.Models[0].Questions != len(phat) {
				t.Errorf("%s: %d questions, want %d", path, cmp.Models[0].Questions, len(phat))
			}
			if d := summaryFigures(cmp.Models[0]).diff(bruteForce(phat, gold, 10), 1e-9); d != "" {
				t.Errorf("%s: %s", path, d)
			}
		}
	}
	if seen != 12+3+2+2 {
		t.Errorf("%d files checked, want 19", seen)
	}
}

// The same 100 abstract-algebra questions pair across formats by text:
// the Llama CSVs, the Vicuna array and the gemma and Qwen JSONL logs.
func TestRealPairingAcrossFormats(t *testing.T) {
	needEvallogs(t)
	glob := func(p string) string {
		m, _ := filepath.Glob(filepath.Join(evallogs, p))
		if len(m) != 1 {
			t.Fatalf("%s: %d files", p, len(m))
		}
		return m[0]
	}
	models := []Model{
		readModel(t, glob("lm-eval-pairs/other-formats/llama-3.1-8b-base_*abstract_algebra*"), letterLogits),
		readModel(t, glob("lm-eval-pairs/other-formats/llama-3.1-8b-instruct_*abstract_algebra*"), letterLogits),
		readModel(t, glob("lm-eval-pairs/vicuna-*abstract_algebra.jsonl"), QuestionSource{Format: FormatLMEval}),
		readModel(t, glob("lm-eval/gemma-*_samples_mmlu_abstract_algebra_*"), QuestionSource{Format: FormatLMEval}),
	}
	cmp, err := Compare(context.Background(), models, CompareOptions{Reps: 20})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range cmp.Pairs {
		if p.Shared != 100 || p.OnlyA != 0 || p.OnlyB != 0 {
			t.Errorf("%s–%s: %+v", p.A, p.B, p)
		}
	}
	// SOURCE.md's figures for these files, to its 3 decimals.
	for i, want := range []struct{ acc, conf, ece float64 }{{0.330, 0.403, 0.087}, {0.420, 0.584, 0.192}, {0.360, 0.595, 0.305}, {0.310, 0.929, 0.619}} {
		c := cmp.Models[i].Calibration
		if math.Abs(c.Accuracy-want.acc) > 5e-4 || math.Abs(c.MeanConfidence-want.conf) > 5e-4 || math.Abs(c.ECE-want.ece) > 5e-4 {
			t.Errorf("%s: acc %v conf %v ECE %v, want %+v", cmp.Models[i].Name, c.Accuracy, c.MeanConfidence, c.ECE, want)
		}
	}
}
