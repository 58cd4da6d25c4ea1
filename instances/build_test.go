package instances

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/internal/servetest"
	"github.com/hallu-dev/hallu/llm"
)

const evallogData = "../evallog/testdata/"

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// An lm-eval log without an endpoint is read by its own log-likelihoods:
// the rows are ReadLMEval's, and the input's sha256 is the file's.
func TestBuildLMEval(t *testing.T) {
	path := evallogData + "lmeval_mc_negotiationtom.jsonl"
	b, err := Build[iiv.Float](context.Background(), Source{Format: FormatLMEval, Path: path}, BuildOptions{Norm: evallog.NormLength})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want, _, err := ReadLMEval[iiv.Float](f, path, LMEvalOptions{Norm: evallog.NormLength})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Rows) != len(want) || len(want) == 0 {
		t.Fatalf("%d rows, want %d", len(b.Rows), len(want))
	}
	for i := range want {
		if b.Rows[i] != want[i] {
			t.Errorf("row %d: %+v, want %+v", i, b.Rows[i], want[i])
		}
	}
	if len(b.Inputs) != 1 || b.Inputs[0].SHA256 != fileSHA256(t, path) {
		t.Errorf("inputs %+v", b.Inputs)
	}
	if b.LMEval == nil || b.LMEval.Samples != 3 || b.LMEval.Norm != evallog.NormLength || b.Questions != nil || b.Scoring != nil {
		t.Errorf("stats: lm-eval %+v, questions %v, scoring %v", b.LMEval, b.Questions, b.Scoring)
	}
	if len(b.Notes) < 2 || b.Notes[0] != RestrictionNote(QuestionSource{Format: FormatLMEval})+"." || !strings.HasPrefix(b.Notes[1], "BuildOptions.Norm length:") {
		t.Errorf("notes %q", b.Notes)
	}
}

// Candidate sets scored through hallu serve over loopback give the rows
// that scoring the same sets in process with the n-gram model gives; a
// gzip copy of the file gives the same instance; Limit keeps the first
// sets; Progress ends at (sets, sets).
func TestBuildCandidatesOnEndpoint(t *testing.T) {
	m := moby(t)
	client := servetest.Client(t, m, "moby-3")
	path := "testdata/candidates.jsonl"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sets, err := ReadCandidates(bytes.NewReader(raw), path, evallog.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := Score[iiv.Float](context.Background(), sets, NgramScorer{Model: m}, ScoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(raw)
	zw.Close()
	gzPath := filepath.Join(t.TempDir(), "candidates.jsonl.gz")
	if err := os.WriteFile(gzPath, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, gzPath} {
		var last atomic.Int64
		opt := BuildOptions{Endpoint: &Endpoint{Client: client, Model: "moby-3"},
			Score: ScoreOptions{Workers: 3, Progress: func(done, total int) {
				if done == total {
					last.Store(int64(total))
				}
			}}}
		b, err := Build[iiv.Float](context.Background(), Source{Format: FormatCandidates, Path: p}, opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Rows) != len(want) {
			t.Fatalf("%s: %d rows, want %d", p, len(b.Rows), len(want))
		}
		for i := range want {
			g, w := b.Rows[i], want[i]
			if g.Context != w.Context || g.Response != w.Response || g.Label != w.Label || g.P != w.P || math.Abs(float64(g.Phat-w.Phat)) > 1e-9 {
				t.Errorf("%s row %d: %+v, want %+v", p, i, g, w)
			}
		}
		if b.Sets != len(sets) || b.Conversion.Sets != len(sets) || b.Scoring.Method != MethodEcho || b.Scoring.Choices != nil || last.Load() != int64(len(sets)) {
			t.Errorf("%s: sets %d, conversion %+v, method %s, progress ended at %d", p, b.Sets, b.Conversion, b.Scoring.Method, last.Load())
		}
		if len(b.Inputs) != 1 || b.Inputs[0].SHA256 != fileSHA256(t, p) {
			t.Errorf("%s: inputs %+v", p, b.Inputs)
		}
		if !strings.Contains(strings.Join(b.Notes, "\n"), `from model "moby-3"`) {
			t.Errorf("%s: notes %q", p, b.Notes)
		}
	}
	b, err := Build[iiv.Float](context.Background(), Source{Format: FormatCandidates, Path: path},
		BuildOptions{Limit: 1, Endpoint: &Endpoint{Client: client, Model: "moby-3", Method: MethodEcho}})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(sets[0].Valid) + len(sets[0].Errors); b.Sets != 1 || len(b.Rows) != n {
		t.Errorf("Limit 1: %d sets, %d rows, want 1 and %d", b.Sets, len(b.Rows), n)
	}
}

// A CoDEx directory: its files are found by name, every one is an input,
// and the sets are CoDEx's of the split asked for.
func TestBuildCoDExDirectory(t *testing.T) {
	m := moby(t)
	client := servetest.Client(t, m, "moby-3")
	dir := t.TempDir()
	files := map[string]string{
		"relations_en.json":    `{"P27":{"label":"country of citizenship"}}`,
		"train.txt":            "Q1\tP27\tQ30\nQ2\tP27\tQ142\n",
		"valid.txt":            "Q3\tP27\tQ183\n",
		"test.txt":             "",
		"test_negatives.txt":   "Q1\tP27\tQ142\nQ9\tP27\tQ30\n",
		"valid_negatives.txt":  "Q3\tP27\tQ30\nQ3\tP27\tQ142\n",
		"not_read_entities.js": "{}",
	}
	for n, body := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		split, context string
		errors         int
	}{{"test", "Q1 country of citizenship", 1}, {"valid", "Q3 country of citizenship", 2}} {
		b, err := Build[iiv.Float](context.Background(), Source{Format: FormatCoDEx, Path: dir},
			BuildOptions{CoDExSplit: tc.split, Endpoint: &Endpoint{Client: client, Model: "moby-3"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Inputs) != 5 || b.Sets != 1 || len(b.Rows) != 1+tc.errors || b.Rows[0].Context != tc.context {
			t.Errorf("%s: %d inputs, %d sets, rows %+v", tc.split, len(b.Inputs), b.Sets, b.Rows)
		}
		if tc.split == "test" && b.Conversion.Skipped["negative whose (head, relation) has no true tail"] != 1 {
			t.Errorf("test: conversion %+v", b.Conversion)
		}
	}
}

// A HELM run directory means its scenario_state.json.
func TestBuildHELMDirectory(t *testing.T) {
	src := evallogData + "helm_separate_calibrated.json"
	raw, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "scenario_state.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	fromFile, err := Build[iiv.Float](context.Background(), Source{Format: FormatHELM, Path: src}, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fromDir, err := Build[iiv.Float](context.Background(), Source{Format: FormatHELM, Path: dir}, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fromDir.Rows) == 0 || len(fromDir.Rows) != len(fromFile.Rows) || fromDir.Inputs[0].SHA256 != fromFile.Inputs[0].SHA256 ||
		fromDir.Inputs[0].Path != filepath.Join(dir, "scenario_state.json") || fromDir.Questions == nil {
		t.Errorf("from the directory: %d rows, inputs %+v; from the file: %d rows, inputs %+v", len(fromDir.Rows), fromDir.Inputs, len(fromFile.Rows), fromFile.Inputs)
	}
	for i := range fromFile.Rows {
		if fromDir.Rows[i].Phat != fromFile.Rows[i].Phat || fromDir.Rows[i].Label != fromFile.Rows[i].Label {
			t.Errorf("row %d: %+v vs %+v", i, fromDir.Rows[i], fromFile.Rows[i])
		}
	}
}

// Options that cannot be used are *OptionErrors naming the field, found
// before anything is read: the path does not exist.
func TestBuildOptionErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "absent")
	e := &Endpoint{}
	for _, tc := range []struct {
		format string
		opt    BuildOptions
		field  string
	}{
		{"nope", BuildOptions{}, "Format"},
		{FormatCandidates, BuildOptions{Endpoint: e, Limit: -1}, "Limit"},
		{FormatCoDEx, BuildOptions{Endpoint: e, CoDExSplit: "train"}, "CoDExSplit"},
		{FormatTruthfulQA, BuildOptions{}, "Endpoint"},
		{FormatMC, BuildOptions{Endpoint: &Endpoint{Method: "logits"}}, "Method"},
		{FormatLMEval, BuildOptions{Endpoint: &Endpoint{Labels: "numbers"}}, "Labels"},
		{FormatEntityQuestions, BuildOptions{Endpoint: &Endpoint{TopLogprobs: -1}}, "TopLogprobs"},
	} {
		_, err := Build[iiv.Float](context.Background(), Source{Format: tc.format, Path: missing}, tc.opt)
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Field != tc.field {
			t.Errorf("%s %+v: error %v, want an OptionError of %s", tc.format, tc.opt, err, tc.field)
		}
	}
}

// Every format's reader has a limit: a line (or CSV record) over MaxLine,
// or a file read whole over MaxDocument, is an *input.LimitError, with the
// file and, for lines, the line named. Nothing is scored: the limits hit
// before the endpoint is asked.
func TestBuildLimits(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("a", 2000)
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	copyData := func(name string) string {
		b, err := os.ReadFile(evallogData + name)
		if err != nil {
			t.Fatal(err)
		}
		return write(name, string(b))
	}
	lmevalLine, err := os.ReadFile(evallogData + "lmeval_mc_negotiationtom.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := bytes.Cut(lmevalLine, []byte("\n"))
	codex := filepath.Join(dir, "codex")
	write("codex/relations_en.json", `{"P27":{"label":"country of citizenship"}}`)
	write("codex/train.txt", "Q1\tP27\tQ30\n\nQ2\tP27\t"+long+"\n")
	write("codex/valid.txt", "")
	write("codex/test.txt", "")
	write("codex/test_negatives.txt", "Q1\tP27\tQ142\n")
	codexRel := filepath.Join(dir, "codexrel")
	write("codexrel/relations_en.json", `{"P27":{"label":"`+long+`"}}`)
	for _, n := range []string{"train.txt", "valid.txt", "test.txt", "test_negatives.txt"} {
		write("codexrel/"+n, "Q1\tP27\tQ30\n")
	}
	lim := evallog.Limits{MaxLine: 1024, MaxDocument: 1024}
	// An endpoint that refuses every connection: the limits must stop the
	// reading before it is asked.
	refused, err := llm.New(llm.Config{BaseURL: "http://127.0.0.1:1/v1", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		format, path, want string
	}{
		{FormatCandidates, write("c.jsonl", `{"context":"c","valid":[" a"],"errors":[" b"]}`+"\n"+`{"context":"`+long+`"}`+"\n"), "c.jsonl: line 2: line longer than the limit of 1KiB"},
		{FormatMC, write("mc.jsonl", "\n\n"+`{"question":"`+long+`"}`), "mc.jsonl: line 3: line longer"},
		{FormatLMEval, write("samples_x.jsonl", string(first)+"\n"), "samples_x.jsonl: line 1: line longer"},
		// A CSV record is bounded with the csv.Reader's read-ahead (4 KiB).
		{FormatTruthfulQA, write("tqa.csv", "Question,Correct Answers,Incorrect Answers\nq,a,b\n\"q2,"+strings.Repeat(long, 5)+",b\n"), "tqa.csv: the record after line 2: line longer"},
		{FormatChoices, write("t.csv", "s0,s1,g\n1,2,0\n"+strings.Repeat(long, 5)+",1,0\n"), "t.csv: the record after line 2: line longer"},
		{FormatEntityQuestions, write("eq.json", `[{"question":"`+long+`","answers":["x"]}]`), "eq.json: EntityQuestions file longer than the limit of 1KiB"},
		{FormatLMEvalV03, copyData("lmeval_v03_winogrande_head.json"), "lm-eval 0.3 file longer than the limit of 1KiB"},
		{FormatHELM, copyData("helm_separate_calibrated.json"), "HELM file longer than the limit of 1KiB"},
		{FormatCoDEx, codex, "train.txt: line 3: line longer"},
		{FormatCoDEx, codexRel, "relations_en.json: relations file longer than the limit of 1KiB"},
	} {
		opt := BuildOptions{Limits: lim, Table: evallog.ChoiceTable{Scores: "s0,s1", Gold: "g", GoldAs: evallog.GoldIndex}}
		if tc.format != FormatLMEval {
			opt.Endpoint = &Endpoint{Client: refused, Model: "never asked"}
		}
		_, err := Build[iiv.Float](context.Background(), Source{Format: tc.format, Path: tc.path}, opt)
		var le *input.LimitError
		if !errors.As(err, &le) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want a limit error with %q", tc.format, err, tc.want)
		}
		// The default limits read what these small limits refuse, up to the
		// model: no endpoint is needed to get past reading the lines.
		if tc.format == FormatLMEval {
			if _, err := Build[iiv.Float](context.Background(), Source{Format: tc.format, Path: tc.path}, BuildOptions{}); err != nil {
				t.Errorf("%s under the default limits: %v", tc.format, err)
			}
		}
	}
}

// The restriction note says what p̂ was made from, for each source; an
// lm-eval log's note is the one reports have always carried.
func TestRestrictionNote(t *testing.T) {
	const lmeval = "p̂ is the model's distribution restricted to the choices the benchmark offers " +
		"(the softmax of their log-likelihoods), not its distribution over all answers: " +
		"err and δ describe the model on this plausible set X_c only"
	for _, tc := range []struct {
		src  QuestionSource
		want string
	}{
		{QuestionSource{Format: FormatLMEval, Norm: evallog.NormLength}, "(the softmax of their log-likelihoods)"},
		{QuestionSource{Format: FormatLMEvalV03}, "(the softmax of their log-likelihoods)"},
		{QuestionSource{Format: FormatHELM}, "(the softmax of their log-probabilities)"},
		{QuestionSource{Format: FormatHELM, HELMScore: evallog.HELMPerToken}, "(the softmax of their mean token log-probabilities)"},
		{QuestionSource{Format: FormatHELM, HELMScore: evallog.HELMCalibrated}, "(the softmax of their log-probabilities minus those of the calibration requests)"},
		{QuestionSource{Format: FormatChoices}, "(the softmax of their logits)"},
		{QuestionSource{Format: FormatChoices, Table: evallog.ChoiceTable{Kind: evallog.KindLogit}}, "(the softmax of their logits)"},
		{QuestionSource{Format: FormatChoices, Table: evallog.ChoiceTable{Kind: evallog.KindLogprob}}, "(the softmax of their log-probabilities)"},
		{QuestionSource{Format: FormatChoices, Table: evallog.ChoiceTable{Kind: evallog.KindProb}}, "(their probabilities divided by their sum)"},
	} {
		got := RestrictionNote(tc.src)
		if !strings.Contains(got, tc.want) || strings.Count(got, "(") != 1 {
			t.Errorf("%+v: %q, want it to say %q", tc.src, got, tc.want)
		}
	}
	if got := RestrictionNote(QuestionSource{Format: FormatLMEval}); got != lmeval {
		t.Errorf("lm-eval note changed: %q", got)
	}
	// Build puts it first, for the source's own kind of score.
	b, err := Build[iiv.Float](context.Background(), Source{Format: FormatChoices, Path: evallogData + "choices_letter_logits.csv"},
		BuildOptions{Table: evallog.ChoiceTable{Scores: "Logit_*", Gold: "5"}})
	if err != nil {
		t.Fatal(err)
	}
	if b.Notes[0] != RestrictionNote(QuestionSource{Format: FormatChoices})+"." {
		t.Errorf("first note %q", b.Notes[0])
	}
}

// TestMessagesNameOptions checks that the notes Build writes and the
// measurements ScoreEndpoint requires name the options of BuildOptions and
// Endpoint, and no flag.
func TestMessagesNameOptions(t *testing.T) {
	msgs := []string{MeasureEcho.Name, MeasureEcho.Instead, MeasureLetters.Name, MeasureLetters.Instead}
	for _, n := range []evallog.Norm{evallog.NormRaw, evallog.NormLength, evallog.NormBytes} {
		note := lmevalNormNote(n)
		if !strings.HasPrefix(note, "BuildOptions.Norm "+string(n)+":") {
			t.Errorf("norm %s: note %q", n, note)
		}
		msgs = append(msgs, note)
	}
	log, err := os.ReadFile(evallogData + "lmeval_mc_negotiationtom.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "bad.jsonl")
	if err := os.WriteFile(p, append(log, "{\"doc_id\": 99, \"filter\": \"none\"}\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := Build[iiv.Float](context.Background(), Source{Format: FormatLMEval, Path: p}, BuildOptions{SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(b.Notes, "\n"), "1 samples skipped (BuildOptions.SkipBad)") {
		t.Errorf("notes %q do not name BuildOptions.SkipBad", b.Notes)
	}
	for _, m := range append(msgs, b.Notes...) {
		if strings.Contains(m, "--") {
			t.Errorf("%q names a flag", m)
		}
	}
}
