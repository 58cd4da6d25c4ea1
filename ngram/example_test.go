package ngram_test

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/hallu-dev/hallu/ngram"
)

// A bigram model of "a b a." (the hand-computed case of the tests): the
// history "a" was followed once by "b" and once by ".", and Kneser–Ney
// leaves mass for every other word.
func ExampleTrainer() {
	tr := ngram.NewTrainer()
	tr.AddText(strings.NewReader("a b a."))
	m, _ := tr.Train(context.Background(), 2)
	a := m.ID("a")
	for _, w := range []string{"b", ".", "a", ngram.EOS, "zebra"} {
		fmt.Printf("p(%s | a) = %.2f\n", w, math.Exp(m.LogProb([]ngram.WordID{a}, m.ID(w))))
	}
	// Output:
	// p(b | a) = 0.35
	// p(. | a) = 0.35
	// p(a | a) = 0.15
	// p(</s> | a) = 0.10
	// p(zebra | a) = 0.05
}

// The probability of a response given a context is the product of its
// words' probabilities; a trigram sees only the last two words of the
// context, so it scores "her mind" the same after "She" and after "He".
func ExampleModel_Score() {
	tr := ngram.NewTrainer()
	tr.AddText(strings.NewReader("She lost it and was out of her mind. He lost it and was out of his mind."))
	m, _ := tr.Train(context.Background(), 3)
	she := m.Score("She lost it and was out of", " her mind")
	he := m.Score("He lost it and was out of", " her mind")
	fmt.Printf("ln p(her mind | She …) = %.4f\n", she.LogProb)
	fmt.Printf("ln p(her mind | He …)  = %.4f\n", he.LogProb)
	for _, t := range she.Tokens {
		fmt.Printf("%q %.4f\n", t.Word, t.LogProb)
	}
	// Output:
	// ln p(her mind | She …) = -1.1900
	// ln p(her mind | He …)  = -1.1900
	// "her" -0.9358
	// "mind" -0.2541
}

// Sampling is reproducible from its seed. A temperature below 1 sharpens the
// distribution toward the likelier words.
func ExampleModel_NewSampler() {
	tr := ngram.NewTrainer()
	tr.AddText(strings.NewReader("the cat sat on the mat. the dog sat on the log."))
	m, _ := tr.Train(context.Background(), 2)
	s := m.NewSampler(ngram.Start(), ngram.SampleOptions{Temperature: 0.3, Seed: 2})
	var words []string
	for range 12 {
		w, _ := s.Next()
		if w == ngram.EOSID {
			break
		}
		words = append(words, m.Word(w))
	}
	fmt.Println(strings.Join(words, " "))
	// Output:
	// the dog sat on the cat sat on the log .
}
