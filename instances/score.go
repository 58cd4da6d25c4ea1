package instances

import (
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/internal/softmax"
)

// A Scorer gives ln p̂(response | context), the natural log of the
// probability that a model continues context with response (Section 3.2
// of arXiv:2509.04664). Implementations must be safe for concurrent use.
type Scorer interface {
	LogProb(ctx context.Context, context, response string) (float64, error)
}

// ScoreOptions configures Score.
type ScoreOptions struct {
	// Workers bounds the candidates scored at once (default 1).
	Workers int
	// Progress, if set, is called after each set is scored with the number
	// done and the total.
	Progress func(done, total int)
}

// Score asks s for the log-probability of every candidate of every set,
// and returns the instance: per set, p̂(r|c) is the softmax of the
// candidates' log-probabilities over the set (the model's distribution
// restricted to the plausible set X_c, see RestrictionNote), valid
// candidates are labelled iiv.Valid with the set's p (uniform when absent),
// errors iiv.Error. A log-probability that is NaN, +Inf or positive, or a
// set whose candidates are all −Inf, is an error naming the set's line and
// the candidate. Rows carry the set's line.
func Score[T iiv.Scalar[T]](ctx context.Context, sets []CandidateSet, s Scorer, opt ScoreOptions) ([]iiv.Row[T], error) {
	type job struct{ set, cand int }
	lps := make([][]float64, len(sets))
	var jobs []job
	for i := range sets {
		n := len(sets[i].Valid) + len(sets[i].Errors)
		lps[i] = make([]float64, n)
		for j := range n {
			jobs = append(jobs, job{i, j})
		}
	}
	workers := max(1, opt.Workers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		firstErr error
		left     = make([]int, len(sets))
		done     int
	)
	for i := range sets {
		left[i] = len(lps[i])
	}
	next := make(chan job)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for jb := range next {
				set := &sets[jb.set]
				cand := candidate(set, jb.cand)
				lp, err := s.LogProb(ctx, set.Context, cand)
				if err == nil {
					err = checkLogProb(lp)
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("set %s, candidate %q: %w", setName(set, jb.set), cand, err)
					cancel()
				}
				lps[jb.set][jb.cand] = lp
				left[jb.set]--
				if left[jb.set] == 0 {
					done++
					if opt.Progress != nil {
						opt.Progress(done, len(sets))
					}
				}
				mu.Unlock()
			}
		})
	}
feed:
	for _, jb := range jobs {
		select {
		case next <- jb:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var rows []iiv.Row[T]
	for i := range sets {
		r, err := setRows[T](&sets[i], lps[i])
		if err != nil {
			return nil, fmt.Errorf("set %s: %w", setName(&sets[i], i), err)
		}
		rows = append(rows, r...)
	}
	return rows, nil
}

// candidate returns the j-th candidate of s, valid ones first.
func candidate(s *CandidateSet, j int) string {
	if j < len(s.Valid) {
		return s.Valid[j]
	}
	return s.Errors[j-len(s.Valid)]
}

func setName(s *CandidateSet, i int) string {
	if s.Line > 0 {
		return fmt.Sprintf("at line %d", s.Line)
	}
	return fmt.Sprintf("#%d", i+1)
}

// checkLogProb rejects what is not a log-probability; −Inf (probability 0)
// is one.
func checkLogProb(lp float64) error {
	if math.IsNaN(lp) || lp > 0 {
		return fmt.Errorf("log-probability %v is not a number ≤ 0", lp)
	}
	return nil
}

// setRows normalises the log-probabilities lps of s's candidates (valid
// first) into rows.
func setRows[T iiv.Scalar[T]](s *CandidateSet, lps []float64) ([]iiv.Row[T], error) {
	phat, err := softmax.Of(lps)
	if err != nil {
		return nil, fmt.Errorf("log-probabilities: %w", err)
	}
	return probRows[T](s, phat), nil
}
