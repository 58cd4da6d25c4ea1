package ngram

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// SampleOptions control how a Sampler draws words.
type SampleOptions struct {
	// Temperature reshapes the distribution to p^(1/T), renormalised. 0
	// picks the most probable word every time (ties go to the lower id); 1
	// draws from the model as it is. It must be ≥ 0.
	Temperature float64
	// TopP keeps only the smallest set of most probable words whose tempered
	// probability adds up to at least TopP (nucleus sampling). 0 or 1 keeps
	// every word; otherwise it must be in (0, 1).
	TopP float64
	// Seed and Stream seed the sampler's PCG generator (math/rand/v2): the
	// same model, history, options, seed and stream draw the same words.
	Seed, Stream uint64
}

// Validate reports options that are out of range.
func (o SampleOptions) Validate() error {
	switch {
	case !(o.Temperature >= 0) || math.IsInf(o.Temperature, 1):
		return fmt.Errorf("ngram: temperature %v must be finite and ≥ 0", o.Temperature)
	case !(o.TopP >= 0 && o.TopP <= 1):
		return fmt.Errorf("ngram: top_p %v must be in [0, 1]", o.TopP)
	}
	return nil
}

// A Sampler draws a text from a model one word at a time. It is not safe for
// concurrent use; make one per sample.
type Sampler struct {
	m       *Model
	opt     SampleOptions
	rng     *rand.Rand
	hist    []WordID
	dist    []float64
	weights []float64
	rank    []WordID
}

// NewSampler returns a Sampler that continues history (Start() for a new
// text). It panics if opt does not Validate.
func (m *Model) NewSampler(history []WordID, opt SampleOptions) *Sampler {
	if err := opt.Validate(); err != nil {
		panic(err)
	}
	return &Sampler{
		m:    m,
		opt:  opt,
		rng:  rand.New(rand.NewPCG(opt.Seed, opt.Stream)),
		hist: slices.Clone(history),
	}
}

// Next draws the next word, appends it to the history, and returns it with
// ln p(word | history) under the model itself, as LogProb gives it: the
// temperature and TopP shape the draw, not the reported log-probability.
func (s *Sampler) Next() (WordID, float64) {
	s.dist = s.m.Dist(s.hist, s.dist)
	w := s.choose()
	lp := s.m.LogProb(s.hist, w)
	s.hist = append(s.hist, w)
	return w, lp
}

// Dist returns the model's distribution that the last call to Next drew
// from, indexed by WordID. It is valid until the next call to Next.
func (s *Sampler) Dist() []float64 { return s.dist }

func (s *Sampler) choose() WordID {
	p := s.dist
	if s.opt.Temperature == 0 {
		best := 0
		for i, x := range p {
			if x > p[best] {
				best = i
			}
		}
		return WordID(best)
	}
	w := p
	if s.opt.Temperature != 1 {
		s.weights = slices.Grow(s.weights[:0], len(p))[:len(p)]
		top := slices.Max(p)
		inv := 1 / s.opt.Temperature
		for i, x := range p {
			s.weights[i] = math.Exp(math.Log(x/top) * inv) // (p/top)^(1/T), faster than math.Pow
		}
		w = s.weights
	}
	if s.opt.TopP > 0 && s.opt.TopP < 1 {
		return s.nucleus(w)
	}
	var total float64
	for _, x := range w {
		total += x
	}
	u := s.rng.Float64() * total
	last := 0
	for i, x := range w {
		if x > 0 {
			last = i
		}
		if u -= x; u < 0 {
			return WordID(i)
		}
	}
	return WordID(last) // rounding left u ≥ 0 after the last word
}

// nucleus draws from the smallest set of heaviest words whose weight reaches
// TopP of the total.
func (s *Sampler) nucleus(w []float64) WordID {
	s.rank = s.rank[:0]
	var total float64
	for i, x := range w {
		if x > 0 {
			s.rank = append(s.rank, WordID(i))
			total += x
		}
	}
	slices.SortFunc(s.rank, func(a, b WordID) int {
		return cmp.Or(cmp.Compare(w[b], w[a]), cmp.Compare(a, b))
	})
	var kept float64
	n := 0
	for n < len(s.rank) && kept < s.opt.TopP*total {
		kept += w[s.rank[n]]
		n++
	}
	u := s.rng.Float64() * kept
	for _, id := range s.rank[:n] {
		if u -= w[id]; u < 0 {
			return id
		}
	}
	return s.rank[n-1]
}

// TopK returns the k most probable words of dist (as Dist returns it), most
// probable first; ties go to the lower id.
func TopK(dist []float64, k int) []WordID {
	k = min(k, len(dist))
	if k <= 0 {
		return nil
	}
	top := make([]WordID, 0, k)
	floor := math.Inf(-1) // the probability of the k-th word so far, once there are k
	for i, x := range dist {
		// Words come in increasing id order, so a tie with the k-th loses.
		if len(top) == k && x <= floor {
			continue
		}
		if len(top) < k {
			top = append(top, WordID(i))
		} else {
			top[k-1] = WordID(i)
		}
		for j := len(top) - 1; j > 0 && dist[top[j-1]] < dist[top[j]]; j-- {
			top[j-1], top[j] = top[j], top[j-1]
		}
		if len(top) == k {
			floor = dist[top[k-1]]
		}
	}
	return top
}
