package instances

import (
	"context"

	"github.com/hallu-dev/hallu/ngram"
)

// NgramScorer scores candidates with an n-gram model in process:
// ln p̂(r|c) is ngram.Model.Score(c, r), the sum of the response's tokens'
// log-probabilities (with the sentence end when r ends a sentence).
type NgramScorer struct{ Model *ngram.Model }

// LogProb implements Scorer.
func (s NgramScorer) LogProb(_ context.Context, c, r string) (float64, error) {
	return s.Model.Score(c, r).LogProb, nil
}
