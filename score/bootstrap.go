package score

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Comparison is a paired bootstrap of two models' scores under one target
// on the questions both answered (paired by sample ID): the paper's claim
// that binary grading can rank a guesser above a more careful model
// (Observation 1 of arXiv:2509.04664) tested on the data at hand.
type Comparison struct {
	A string  `json:"a"`
	B string  `json:"b"`
	T float64 `json:"t"`
	// Shared is the number of questions both models have samples for.
	Shared int `json:"shared"`
	// MeanDiff is the mean over shared questions of A's points minus B's
	// (a question asked several times scores the mean of its samples).
	MeanDiff float64 `json:"mean_diff"`
	// CI is the percentile bootstrap interval of MeanDiff and PABetter the
	// share of bootstrap replicates in which A's mean exceeds B's.
	CI         Interval `json:"ci"`
	PABetter   float64  `json:"p_a_better"`
	Replicates int      `json:"replicates"`
}

// pairCell is one kind of shared question: the outcome counts of model A
// and of model B on it. Questions of the same kind have the same points
// difference at every t, so resampling questions is resampling kinds.
type pairCell struct{ a, b Counts }

// pairedBootstrap compares groups ga and gb at each target in ts.
//
// A nonparametric paired bootstrap draws Shared questions with replacement.
// The statistic depends on a question only through its kind (pairCell), so
// the draw is equivalent to drawing the number of questions of each kind
// from Multinomial(Shared; m_k/Shared), which this function does by
// conditional binomials. That is exact, not an approximation, and costs
// O(kinds) per replicate instead of O(Shared).
func pairedBootstrap(a, b string, ga, gb *group, ts []float64, reps int, rng *rand.Rand, z float64) []Comparison {
	qa, qb := ga.questions(), gb.questions()
	kinds := map[pairCell]int{}
	shared := 0
	// Merge-join the two groups' questions, both sorted by ID hash.
	for i, j := 0, 0; i < len(qa) && j < len(qb); {
		switch {
		case qa[i].qid < qb[j].qid:
			i++
		case qa[i].qid > qb[j].qid:
			j++
		default:
			kinds[pairCell{qa[i].c, qb[j].c}]++
			shared++
			i++
			j++
		}
	}
	out := make([]Comparison, len(ts))
	for i, t := range ts {
		out[i] = Comparison{A: a, B: b, T: t, Shared: shared, Replicates: max(reps, 0)}
	}
	if shared == 0 {
		return out
	}
	// Deterministic order of kinds, so that a seed reproduces the draws.
	cells := make([]pairCell, 0, len(kinds))
	for c := range kinds {
		cells = append(cells, c)
	}
	slices.SortFunc(cells, func(x, y pairCell) int {
		return cmp.Or(cmpCounts(x.a, y.a), cmpCounts(x.b, y.b))
	})
	m := make([]int, len(cells))
	diff := make([][]float64, len(ts)) // diff[i][k]: points difference of kind k at ts[i]
	for i, t := range ts {
		diff[i] = make([]float64, len(cells))
		for k, c := range cells {
			diff[i][k] = meanPoints(c.a, t) - meanPoints(c.b, t)
		}
	}
	for k, c := range cells {
		m[k] = kinds[c]
	}
	for i := range ts {
		var s float64
		for k := range cells {
			s += float64(m[k]) * diff[i][k]
		}
		out[i].MeanDiff = s / float64(shared)
	}
	if reps <= 0 {
		return out
	}
	stats := make([][]float64, len(ts))
	for i := range stats {
		stats[i] = make([]float64, reps)
	}
	draw := make([]int, len(cells))
	for r := 0; r < reps; r++ {
		multinomial(rng, shared, m, draw)
		for i := range ts {
			var s float64
			for k := range cells {
				s += float64(draw[k]) * diff[i][k]
			}
			stats[i][r] = s / float64(shared)
		}
	}
	alpha := 2 * (1 - normalCDF(z)) // z = 1.96 → 0.05
	for i := range ts {
		st := stats[i]
		slices.Sort(st)
		out[i].CI = Interval{quantile(st, alpha/2), quantile(st, 1-alpha/2)}
		better := 0
		for _, v := range st {
			if v > 0 {
				better++
			}
		}
		out[i].PABetter = float64(better) / float64(reps)
	}
	return out
}

// multinomial draws counts of n items over categories with weights m
// (Σm = n) into out, by conditional binomials: out[k] ~ Bin(remaining,
// m_k / Σ_{j≥k} m_j).
func multinomial(rng *rand.Rand, n int, m []int, out []int) {
	rem, mrem := n, n
	for k := range m {
		switch {
		case rem == 0:
			out[k] = 0
		case m[k] == mrem:
			out[k] = rem
		case m[k] == 0:
			out[k] = 0
		default:
			out[k] = int(distuv.Binomial{N: float64(rem), P: float64(m[k]) / float64(mrem), Src: rng}.Rand())
		}
		rem -= out[k]
		mrem -= m[k]
	}
}

// meanPoints is the mean points of a question's samples under target t.
func meanPoints(c Counts, t float64) float64 { return c.Score(t) }

func cmpCounts(x, y Counts) int {
	return cmp.Or(cmp.Compare(x.Correct, y.Correct), cmp.Compare(x.Wrong, y.Wrong),
		cmp.Compare(x.Abstained, y.Abstained), cmp.Compare(x.Invalid, y.Invalid))
}

// quantile is the type-7 (linear interpolation) sample quantile of sorted x.
func quantile(x []float64, p float64) float64 {
	h := p * float64(len(x)-1)
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(x) {
		return x[len(x)-1]
	}
	return x[i] + (h-lo)*(x[i+1]-x[i])
}

func normalCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }
