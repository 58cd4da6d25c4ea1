package ngram

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/ngram/corpus"
)

func mobyTrainer(b *testing.B) *Trainer {
	tr := NewTrainer()
	if err := tr.AddText(corpus.MobyDick()); err != nil {
		b.Fatal(err)
	}
	return tr
}

// BenchmarkAddText measures tokenizing Moby-Dick (1.2 MB) into a trainer.
func BenchmarkAddText(b *testing.B) {
	text, _ := io.ReadAll(corpus.MobyDick())
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		tr := NewTrainer()
		tr.AddText(bytes.NewReader(text))
	}
}

// BenchmarkTrain measures counting and smoothing Moby-Dick's ~250k tokens.
func BenchmarkTrain(b *testing.B) {
	for _, order := range []int{3, 5} {
		b.Run(fmt.Sprintf("order=%d", order), func(b *testing.B) {
			tr := mobyTrainer(b)
			for b.Loop() {
				if _, err := tr.Train(context.Background(), order); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(tr.Tokens())*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}

// BenchmarkLogProb measures one probability lookup of a trigram model, over
// the histories of held-out text.
func BenchmarkLogProb(b *testing.B) {
	trainText, testText := heldOut(b)
	m := train(b, 3, trainText)
	ids := append(Start(), m.Encode(Tokenize(testText))...)
	i := 1
	for b.Loop() {
		m.LogProb(ids[max(0, i-2):i], ids[i])
		if i++; i == len(ids) {
			i = 1
		}
	}
}

// BenchmarkScore measures ln p̂(response | context) for the sentence of
// Corollary 2.
func BenchmarkScore(b *testing.B) {
	m := train(b, 3, strings.Repeat("She lost it and was completely out of her mind. ", 3))
	for b.Loop() {
		m.Score("She lost it and was completely out of", " her mind")
	}
}

// BenchmarkSampleNext measures drawing one word from a trigram model of
// Moby-Dick (a full distribution over its ~17k-word vocabulary).
func BenchmarkSampleNext(b *testing.B) {
	m, err := mobyTrainer(b).Train(context.Background(), 3)
	if err != nil {
		b.Fatal(err)
	}
	for _, temp := range []float64{1, 0.7} {
		b.Run(fmt.Sprintf("T=%g", temp), func(b *testing.B) {
			s := m.NewSampler(Start(), SampleOptions{Temperature: temp, Seed: 1})
			for b.Loop() {
				if w, _ := s.Next(); w == EOSID {
					s.hist = append(s.hist[:0], EOSID)
				}
			}
		})
	}
}

// BenchmarkLoad measures reading a trigram model of Moby-Dick from memory.
func BenchmarkLoad(b *testing.B) {
	m, err := mobyTrainer(b).Train(context.Background(), 3)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	m.WriteTo(&buf)
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, err := Load(bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}
