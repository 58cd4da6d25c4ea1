package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/ngram"
	"github.com/hallu-dev/hallu/report"
	"github.com/klauspost/compress/gzip"
)

const smallText = "The cat sat on the mat. The dog sat on the log.\n\nA cat saw a dog. The dog ran!"

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNgramTrainThenUse(t *testing.T) {
	ctx := context.Background()
	text := writeTemp(t, "small.txt", smallText)
	// The same text gzip-compressed must train the same model.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(smallText))
	zw.Close()
	gzText := writeTemp(t, "small.txt.gz", gz.String())
	var models [2]string
	for i, src := range []string{text, gzText} {
		models[i] = filepath.Join(t.TempDir(), "m.bin")
		var out bytes.Buffer
		if err := runNgramTrain(ctx, ngramTrainOptions{Order: 2, Out: models[i], JSON: true}, []string{src}, &out); err != nil {
			t.Fatal(err)
		}
		var env struct {
			Result report.NgramTrain `json:"result"`
		}
		if err := json.Unmarshal(out.Bytes(), &env); err != nil {
			t.Fatal(err)
		}
		if r := env.Result; r.Order != 2 || r.Vocab != 14 || r.Texts[0].Input.Path != src || len(r.Texts[0].Input.SHA256) != 64 {
			t.Errorf("train result %+v", r)
		}
	}
	a, _ := os.ReadFile(models[0])
	b, _ := os.ReadFile(models[1])
	if !bytes.Equal(a, b) {
		t.Error("plain and gzipped text trained different model files")
	}
	if matches, _ := filepath.Glob(filepath.Join(filepath.Dir(models[0]), ".*tmp*")); len(matches) > 0 {
		t.Errorf("temporary files left behind: %v", matches)
	}

	var out bytes.Buffer
	if err := runNgramScore(ctx, ngramScoreOptions{Model: models[0], Context: "The cat", Response: " sat on the mat."}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "ln p̂(response | context) = ") || strings.Count(out.String(), "\n") != 3+6 {
		t.Errorf("score output:\n%s", out.String())
	}

	out.Reset()
	if err := runNgramPerplexity(ctx, ngramPerplexityOptions{Model: models[0]}, []string{text}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "small.txt") {
		t.Errorf("perplexity output:\n%s", out.String())
	}

	sample := func() string {
		var out bytes.Buffer
		if err := runNgramSample(ctx, ngramSampleOptions{Model: models[0], Prompt: "The", N: 3, MaxTokens: 8, Temperature: 1, TopP: 1, Seed: 4}, &out); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	if s1, s2 := sample(), sample(); s1 != s2 || strings.Count(s1, "\n") != 3 || !strings.HasPrefix(s1, "The ") {
		t.Errorf("samples with one seed:\n%s\nthen\n%s", s1, s2)
	}
}

func TestNgramBadInputs(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	notModel := writeTemp(t, "not-a-model.bin", "HALLUNGM but then nothing useful")
	for _, c := range []struct {
		name string
		run  func() error
		want string
	}{
		{"missing text", func() error {
			return runNgramTrain(ctx, ngramTrainOptions{Order: 3, Out: filepath.Join(dir, "m")}, []string{filepath.Join(dir, "absent.txt")}, &bytes.Buffer{})
		}, "absent.txt"},
		{"empty text", func() error {
			return runNgramTrain(ctx, ngramTrainOptions{Order: 3, Out: filepath.Join(dir, "m")}, []string{writeTemp(t, "empty.txt", " \n")}, &bytes.Buffer{})
		}, ngram.ErrNoText.Error()},
		{"out dir missing", func() error {
			return runNgramTrain(ctx, ngramTrainOptions{Order: 3, Out: filepath.Join(dir, "no", "m")}, []string{writeTemp(t, "a.txt", "a b.")}, &bytes.Buffer{})
		}, "no such file"},
		{"not a model", func() error {
			return runNgramScore(ctx, ngramScoreOptions{Model: notModel, Response: "x"}, &bytes.Buffer{})
		}, "not-a-model.bin"},
		{"bad brown", func() error {
			return runNgramCor2(ctx, ngramCor2Options{Orders: []int{3}, Repeat: 1}, []string{writeTemp(t, "brown.tar", string(tarOf(t, "brown/ca01", "\tThe/at jury\n")))}, &bytes.Buffer{})
		}, `brown/ca01 line 1 token 2 "jury"`},
	} {
		err := c.run()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming %q", c.name, err, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "m")); !os.IsNotExist(err) {
		t.Errorf("a failed training left a model file: %v", err)
	}
}

func TestNgramCor2Command(t *testing.T) {
	inst := filepath.Join(t.TempDir(), "cor2.jsonl")
	var out bytes.Buffer
	if err := runNgramCor2(context.Background(), ngramCor2Options{Orders: []int{3, 9}, Repeat: 2, WriteInstance: inst, JSON: true}, nil, &out); err != nil {
		t.Fatal(err)
	}
	var env struct {
		Parameters map[string]any `json:"parameters"`
		Result     struct {
			Results []ngram.Cor2Result `json:"results"`
		} `json:"result"`
	}
	if err := json.Unmarshal(out.Bytes(), &env); err != nil {
		t.Fatal(err)
	}
	r := env.Result.Results
	if len(r) != 2 || r[0].Opt != 0.5 || r[0].Bound != 0.5 || r[1].Opt != 0 || env.Parameters["repeat"] != 2.0 {
		t.Errorf("cor2 JSON %s", out.String())
	}
	lines, err := os.ReadFile(inst)
	if err != nil {
		t.Fatal(err)
	}
	var rows int
	for _, line := range strings.Split(strings.TrimSpace(string(lines)), "\n") {
		var row map[string]any
		if err := json.Unmarshal([]byte(line), &row); err != nil || len(row) != 6 || (row["label"] != "valid" && row["label"] != "error") {
			t.Errorf("instance line %q: %v", line, err)
		}
		rows++
	}
	if rows != 4 {
		t.Errorf("instance has %d rows, want 4", rows)
	}
}
