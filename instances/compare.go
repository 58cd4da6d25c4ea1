package instances

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/score"
)

// A Model is one model's scored questions, to be compared with others'.
type Model struct {
	Name      string
	Questions []Question
	// Groups, when set, gives each question's group (e.g. the position of
	// its file among the model's files): pairing by id matches ids within
	// the same group only.
	Groups []int
}

// Pairing by question text or by id.
const (
	PairByText = "text" // the question's text, spaces collapsed
	PairByID   = "id"   // the source's id (and the question's group)
)

// CompareOptions configures Compare.
type CompareOptions struct {
	PairBy string // PairByText (default) or PairByID
	// Reps is the number of bootstrap resamples (default 1000); Level the
	// intervals' coverage (default 0.95); Seed the base of every
	// resample's seed.
	Reps  int
	Level float64
	Seed  uint64
	// Bins is the number of equal-width bins of ECE and the reliability
	// diagram (default 10).
	Bins int
}

func (o CompareOptions) withDefaults() (CompareOptions, error) {
	if o.PairBy == "" {
		o.PairBy = PairByText
	}
	if o.PairBy != PairByText && o.PairBy != PairByID {
		return o, fmt.Errorf("pair by %q: want %s or %s", o.PairBy, PairByText, PairByID)
	}
	if o.Reps == 0 {
		o.Reps = 1000
	}
	if o.Level == 0 {
		o.Level = 0.95
	}
	if o.Bins == 0 {
		o.Bins = 10
	}
	switch {
	case o.Reps < 2:
		return o, fmt.Errorf("bootstrap resamples %d: want at least 2", o.Reps)
	case !(o.Level > 0 && o.Level < 1):
		return o, fmt.Errorf("interval level %v: want a number in (0,1)", o.Level)
	case o.Bins < 1:
		return o, fmt.Errorf("bins %d: want at least 1", o.Bins)
	}
	return o, nil
}

// Interval is a bootstrap percentile interval.
type Interval struct {
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
}

// ModelSummary is one model's figures on all its questions.
type ModelSummary struct {
	Name      string
	Questions int
	// Calibration of the chosen answer (the first largest p̂) against its
	// correctness: accuracy, mean confidence, ECE and the reliability
	// diagram, computed by score.Calibrate.
	Calibration score.Calibration
	// Result holds every quantity of the reduction (err, err_iiv, δ at
	// 1/min_c|E_c|, max_z δ_z, Theorems 1 and 3), computed by package iiv.
	Result iiv.Result[iiv.Float]
	// Delta is the bootstrap interval of Result.Paper.Delta over
	// resamples of the questions; Seed seeded it.
	Delta Interval
	Seed  uint64
	// DuplicateKeys counts questions whose pairing key repeats an earlier
	// one of the same model: they are paired in order of appearance.
	DuplicateKeys int
}

// PairSummary compares two models on the questions they share.
type PairSummary struct {
	A, B string
	// Shared questions, and those only one of the two has (left out of
	// this pair's figures, which are on the shared questions only).
	Shared, OnlyA, OnlyB int
	// DeltaA and DeltaB are δ at 1/min_c|E_c| on the shared questions,
	// Diff = DeltaA − DeltaB, DiffCI its paired bootstrap interval (both
	// models' δ on the same resample of shared questions), seeded by Seed.
	DeltaA, DeltaB, Diff float64
	DiffCI               Interval
	Seed                 uint64
}

// Comparison is Compare's result.
type Comparison struct {
	Models []ModelSummary
	Pairs  []PairSummary
	Opts   CompareOptions
}

// Compare computes, for each model, the calibration of its chosen answers
// (score.Calibrate) and every quantity of the reduction (iiv.Accumulator:
// err, err_iiv and δ at 1/min_c|E_c|, max_z δ_z, Theorem 1's bound, the
// best threshold's err_iiv and Theorem 3's bound; arXiv:2509.04664,
// Sections 3.2 and 3.3.2), with a bootstrap percentile interval for δ; and
// for each pair of models, δ on the questions they share and a paired
// bootstrap interval of its difference.
//
// Questions are paired by opts.PairBy. Every resample draws the questions
// with replacement and weighs each by its count (μ(c) = count/n in the
// instance), so each δ is computed by package iiv. Each model's and each
// pair's resamples are seeded from opts.Seed and their names alone, so
// adding a model changes no other interval.
func Compare(ctx context.Context, models []Model, opts CompareOptions) (Comparison, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return Comparison{}, err
	}
	cmp := Comparison{Opts: opts}
	keys := make([][]string, len(models))
	dups := make([]int, len(models))
	names := map[string]bool{}
	for m, mod := range models {
		if names[mod.Name] {
			return cmp, fmt.Errorf("model name %q given twice", mod.Name)
		}
		names[mod.Name] = true
		if len(mod.Questions) == 0 {
			return cmp, fmt.Errorf("model %s: no questions", mod.Name)
		}
		keys[m], dups[m], err = pairKeys(mod, opts.PairBy)
		if err != nil {
			return cmp, fmt.Errorf("model %s: %w", mod.Name, err)
		}
	}
	// Each model and each pair is its own job with its own seed, so they
	// run in parallel without changing any figure.
	type pair struct{ a, b int }
	var pairs []pair
	for a := range models {
		for b := a + 1; b < len(models); b++ {
			pairs = append(pairs, pair{a, b})
		}
	}
	cmp.Models = make([]ModelSummary, len(models))
	cmp.Pairs = make([]PairSummary, len(pairs))
	errs := make([]error, len(models)+len(pairs))
	parallel(len(errs), func(j int) {
		if j < len(models) {
			m := models[j]
			cmp.Models[j], errs[j] = summarise(ctx, m, opts)
			cmp.Models[j].DuplicateKeys = dups[j]
			if errs[j] != nil {
				errs[j] = fmt.Errorf("model %s: %w", m.Name, errs[j])
			}
			return
		}
		p := pairs[j-len(models)]
		a, b := models[p.a], models[p.b]
		cmp.Pairs[j-len(models)], errs[j] = comparePair(ctx, a, b, keys[p.a], keys[p.b], opts)
		if errs[j] != nil {
			errs[j] = fmt.Errorf("models %s and %s: %w", a.Name, b.Name, errs[j])
		}
	})
	for _, err := range errs {
		if err != nil {
			return cmp, err
		}
	}
	return cmp, nil
}

// parallel calls fn(0), …, fn(n−1) on GOMAXPROCS goroutines.
func parallel(n int, fn func(int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for j := range next {
				fn(j)
			}
		})
	}
	for j := range n {
		next <- j
	}
	close(next)
	wg.Wait()
}

// pairKeys returns each question's pairing key, numbering repeats.
func pairKeys(m Model, by string) ([]string, int, error) {
	keys := make([]string, len(m.Questions))
	seen := map[string]int{}
	dup := 0
	for i, q := range m.Questions {
		var k string
		if by == PairByText {
			if q.Text == "" {
				return nil, 0, fmt.Errorf("%s: the question has no text to pair by; pair by id", q.Where)
			}
			k = strings.Join(strings.Fields(q.Text), " ")
		} else {
			k = q.ID
			if m.Groups != nil {
				k = strconv.Itoa(m.Groups[i]) + "\x1f" + k
			}
		}
		if n := seen[k]; n > 0 {
			dup++
			seen[k] = n + 1
			k += "\x1f#" + strconv.Itoa(n+1)
		} else {
			seen[k] = 1
		}
		keys[i] = k
	}
	return keys, dup, nil
}

// seedOf mixes base with the names, so that each model's and each pair's
// resamples depend on nothing else.
func seedOf(base uint64, names ...string) uint64 {
	h := fnv.New64a()
	for _, n := range names {
		h.Write([]byte(n))
		h.Write([]byte{0})
	}
	return base ^ h.Sum64()
}

func summarise(ctx context.Context, m Model, opts CompareOptions) (ModelSummary, error) {
	s := ModelSummary{Name: m.Name, Questions: len(m.Questions), Seed: seedOf(opts.Seed, m.Name)}
	preds := make([]score.Prediction, len(m.Questions))
	for i := range m.Questions {
		q := &m.Questions[i]
		p := q.Pred()
		preds[i] = score.Prediction{Confidence: q.Phat[p], Correct: p == q.Gold}
	}
	s.Calibration = score.Calibrate(preds, opts.Bins)
	all := make([]int, len(m.Questions))
	for i := range all {
		all[i] = i
	}
	var err error
	if s.Result, err = analyse(m.Questions, all, nil); err != nil {
		return s, err
	}
	w := weighter{n: len(all), rng: rand.New(rand.NewPCG(s.Seed, 0))}
	ds := make([]float64, opts.Reps)
	for r := range ds {
		if err := ctx.Err(); err != nil {
			return s, err
		}
		res, err := analyse(m.Questions, all, w.draw())
		if err != nil {
			return s, err
		}
		ds[r] = res.Paper.Delta.Float64()
	}
	s.Delta = percentile(ds, opts.Level)
	return s, nil
}

func comparePair(ctx context.Context, a, b Model, ka, kb []string, opts CompareOptions) (PairSummary, error) {
	p := PairSummary{A: a.Name, B: b.Name, Seed: seedOf(opts.Seed, a.Name, b.Name)}
	inB := make(map[string]int, len(kb))
	for i, k := range kb {
		inB[k] = i
	}
	var ia, ib []int
	for i, k := range ka {
		if j, ok := inB[k]; ok {
			ia, ib = append(ia, i), append(ib, j)
			delete(inB, k)
		}
	}
	p.Shared, p.OnlyA, p.OnlyB = len(ia), len(ka)-len(ia), len(inB)
	if p.Shared == 0 {
		return p, errors.New("no question in common (see the pairing option)")
	}
	for k, i := range ia {
		if qa, qb := &a.Questions[i], &b.Questions[ib[k]]; len(qa.Phat) != len(qb.Phat) || qa.Gold != qb.Gold {
			return p, fmt.Errorf("%s and %s pair as the same question but have %d and %d choices, gold %d and %d",
				qa.Where, qb.Where, len(qa.Phat), len(qb.Phat), qa.Gold, qb.Gold)
		}
	}
	ra, err := analyse(a.Questions, ia, nil)
	if err != nil {
		return p, err
	}
	rb, err := analyse(b.Questions, ib, nil)
	if err != nil {
		return p, err
	}
	p.DeltaA, p.DeltaB = ra.Paper.Delta.Float64(), rb.Paper.Delta.Float64()
	p.Diff = p.DeltaA - p.DeltaB
	w := weighter{n: len(ia), rng: rand.New(rand.NewPCG(p.Seed, 0))}
	ds := make([]float64, opts.Reps)
	for r := range ds {
		if err := ctx.Err(); err != nil {
			return p, err
		}
		counts := w.draw()
		ra, err := analyse(a.Questions, ia, counts)
		if err != nil {
			return p, err
		}
		rb, err := analyse(b.Questions, ib, counts)
		if err != nil {
			return p, err
		}
		ds[r] = ra.Paper.Delta.Float64() - rb.Paper.Delta.Float64()
	}
	p.DiffCI = percentile(ds, opts.Level)
	return p, nil
}

// weighter draws bootstrap counts: n questions drawn with replacement.
type weighter struct {
	n      int
	rng    *rand.Rand
	counts []int
}

func (w *weighter) draw() []int {
	if w.counts == nil {
		w.counts = make([]int, w.n)
	}
	clear(w.counts)
	for range w.n {
		w.counts[w.rng.IntN(w.n)]++
	}
	return w.counts
}

// analyse computes the reduction's quantities on the questions qs[idx[k]],
// each weighted μ = counts[k]/Σcounts (left out when its count is 0), or
// uniformly when counts is nil.
func analyse(qs []Question, idx, counts []int) (iiv.Result[iiv.Float], error) {
	acc := iiv.Accumulator[iiv.Float]{}
	var zero iiv.Float
	one := zero.Frac(1, 1)
	total := int64(0)
	for _, c := range counts {
		total += int64(c)
	}
	for k, i := range idx {
		q := &qs[i]
		row := iiv.Row[iiv.Float]{Context: strconv.Itoa(k), Line: q.Line}
		if counts != nil {
			if counts[k] == 0 {
				continue
			}
			row.Mu, row.HasMu = zero.Frac(int64(counts[k]), total), true
		}
		for c, ph := range q.Phat {
			row.Response, row.Phat, row.Label, row.P, row.HasP = choiceName(c), zero.FromFloat(ph), iiv.Error, zero, false
			if c == q.Gold {
				row.Label, row.P, row.HasP = iiv.Valid, one, true
			}
			if err := acc.Add(row); err != nil {
				return iiv.Result[iiv.Float]{}, fmt.Errorf("%s: %w", q.Where, err)
			}
		}
	}
	return acc.Result()
}

// choiceNames name the first choices of analyse's rows without
// allocating.
var choiceNames = func() []string {
	s := make([]string, 64)
	for i := range s {
		s[i] = strconv.Itoa(i)
	}
	return s
}()

func choiceName(c int) string {
	if c < len(choiceNames) {
		return choiceNames[c]
	}
	return strconv.Itoa(c)
}

// percentile returns the central level interval of xs (sorted in place),
// by linear interpolation between order statistics (type 7 of Hyndman and
// Fan 1996).
func percentile(xs []float64, level float64) Interval {
	slices.Sort(xs)
	q := func(p float64) float64 {
		h := p * float64(len(xs)-1)
		lo := math.Floor(h)
		i := int(lo)
		if i+1 >= len(xs) {
			return xs[len(xs)-1]
		}
		return xs[i] + (h-lo)*(xs[i+1]-xs[i])
	}
	a := (1 - level) / 2
	return Interval{Lo: q(a), Hi: q(1 - a)}
}
