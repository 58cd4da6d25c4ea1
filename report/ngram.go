package report

import (
	"fmt"
	"io"
	"math"

	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/ngram"
)

// NgramText describes one training text of an n-gram model.
type NgramText struct {
	Input     provenance.Input `json:"input"`
	Kind      string           `json:"kind"` // "text" or "brown"
	Files     int              `json:"files,omitempty"`
	Sentences int              `json:"sentences,omitempty"`
	Skipped   []string         `json:"skipped,omitempty"` // archive members that are not corpus texts
}

// NgramTrain describes a trained n-gram model (the JSON result of
// `hallu ngram train`).
type NgramTrain struct {
	Model     provenance.Input `json:"model"`
	Order     int              `json:"order"`
	Tokens    int              `json:"tokens"`
	Vocab     int              `json:"vocab"`
	NGrams    []int            `json:"ngrams"`
	Discounts []ngram.Discount `json:"discounts"`
	Texts     []NgramText      `json:"texts"`
}

// WriteNgramTrainText writes a trained model's n-gram counts and
// Kneser–Ney discounts per order, with its training texts.
func WriteNgramTrainText(w io.Writer, r *NgramTrain) error {
	return writeText(w, []Table{ngramTrainTable(r)})
}

func ngramTrainTable(r *NgramTrain) Table {
	t := Table{
		Title:  fmt.Sprintf("%s: order %d, %d training tokens, vocabulary %d, %d bytes", r.Model.Path, r.Order, r.Tokens, r.Vocab, r.Model.Bytes),
		Header: []string{"order", "n-grams", "D1", "D2", "D3+", "n1", "n2", "n3", "n4", "discounts"},
	}
	for k, d := range r.Discounts {
		how := "estimated"
		if d.Fallback {
			how = "fallback"
		}
		t.AddRow(k+1, r.NGrams[k], d.D1, d.D2, d.D3, d.N[0], d.N[1], d.N[2], d.N[3], how)
	}
	for _, s := range r.Texts {
		note := fmt.Sprintf("text %s (%s)", s.Input.Path, s.Kind)
		if s.Kind == "brown" {
			note += fmt.Sprintf(": %d files, %d sentences; skipped %v", s.Files, s.Sentences, s.Skipped)
		}
		t.Notes = append(t.Notes, note)
	}
	return t
}

// WriteNgramScoreText writes ln p̂(response | context) under the model
// read from modelPath, token by token.
func WriteNgramScoreText(w io.Writer, sc ngram.Scored, modelPath string) error {
	return writeText(w, []Table{ngramScoreTable(sc, modelPath)})
}

func ngramScoreTable(sc ngram.Scored, modelPath string) Table {
	t := Table{
		Title:  fmt.Sprintf("ln p̂(response | context) = %s  (p̂ = %s), model %s", F(sc.LogProb), F(math.Exp(sc.LogProb)), modelPath),
		Header: []string{"token", "known", "ln p", "p"},
	}
	for _, tp := range sc.Tokens {
		t.AddRow(tp.Word, fmt.Sprint(tp.ID != ngram.UNKID), tp.LogProb, math.Exp(tp.LogProb))
	}
	return t
}

// NgramPerplexity is the perplexity of a model on one held-out file.
type NgramPerplexity struct {
	Input        provenance.Input `json:"input"`
	Tokens       int              `json:"tokens"`
	OOV          int              `json:"oov"`
	LogProb      float64          `json:"logprob"`
	Perplexity   float64          `json:"perplexity"`
	PerplexityIV float64          `json:"perplexity_without_oov"`
}

// WriteNgramPerplexityText writes one row per held-out file for the model
// m read from modelPath.
func WriteNgramPerplexityText(w io.Writer, m *ngram.Model, modelPath string, rows []NgramPerplexity) error {
	return writeText(w, []Table{ngramPerplexityTable(m, modelPath, rows)})
}

func ngramPerplexityTable(m *ngram.Model, modelPath string, rows []NgramPerplexity) Table {
	t := Table{
		Title:  fmt.Sprintf("model %s: order %d, vocabulary %d", modelPath, m.Order(), m.VocabSize()),
		Header: []string{"text", "tokens", "oov", "ln p", "perplexity", "without oov"},
	}
	for _, r := range rows {
		t.AddRow(r.Input.Path, r.Tokens, r.OOV, r.LogProb, r.Perplexity, r.PerplexityIV)
	}
	return t
}
