package score

import "math"

// Selective summarises selective prediction over a set of predictions: the
// model answers only its most confident questions and the rest are set
// aside. N (the predictions) is the denominator of coverage.
//
// Ties in confidence have no order, so every quantity is the expectation
// over a uniformly random order within each run of equal confidence: the
// first k predictions hold, in expectation, the wrong answers of the runs
// wholly inside them plus a pro-rata share of the run the cut falls in.
type Selective struct {
	N int `json:"n"`
	// AURC is the area under the risk–coverage curve (Geifman & El-Yaniv
	// 2017; Geifman et al. 2019): the mean over k = 1…N of the error rate
	// among the k most confident predictions.
	AURC float64 `json:"aurc"`
	// Coverage is the coverage at which SelectiveAccuracy is reported, and
	// SelectiveAccuracy the accuracy among the ⌈Coverage·N⌉ most confident.
	Coverage          float64 `json:"coverage"`
	SelectiveAccuracy float64 `json:"selective_accuracy"`
	// Curve is the risk–coverage curve at coverages 1/100, 2/100, …, 1
	// (fewer points when N < 100: one per prediction).
	Curve []RiskPoint `json:"curve"`
}

// A RiskPoint is one point of a risk–coverage curve: among the K most
// confident predictions (Coverage = K/N), the error rate Risk and the
// confidence threshold of the K-th.
type RiskPoint struct {
	Coverage  float64 `json:"coverage"`
	Risk      float64 `json:"risk"`
	Threshold float64 `json:"threshold"`
}

// RiskCoverage computes selective-prediction metrics over p, reporting
// selective accuracy at the given coverage in (0,1].
func RiskCoverage(p []Prediction, coverage float64) Selective {
	if !(coverage > 0 && coverage <= 1) {
		panic("score: RiskCoverage coverage must be in (0,1]")
	}
	p = sortedDesc(p)
	s := Selective{N: len(p), Coverage: coverage, Curve: []RiskPoint{}}
	n := len(p)
	if n == 0 {
		return s
	}
	// cum[g] = wrong answers before tie group g; groups hold [start,end).
	type tg struct {
		start, end, wrong int
		conf              float64
	}
	var groups []tg
	tieGroups(p, func(i, j int, conf float64, correct int) {
		groups = append(groups, tg{i, j, (j - i) - correct, conf})
	})
	var aurc float64
	wrongBefore := 0
	for _, g := range groups {
		r := float64(g.wrong) / float64(g.end-g.start)
		for k := g.start + 1; k <= g.end; k++ {
			aurc += (float64(wrongBefore) + float64(k-g.start)*r) / float64(k)
		}
		wrongBefore += g.wrong
	}
	s.AURC = aurc / float64(n)

	// expectedWrong(k) and the threshold of the k-th prediction, by a
	// forward walk over the groups (k increases along the curve).
	gi, before := 0, 0
	at := func(k int) (wrong float64, conf float64) {
		for groups[gi].end < k {
			before += groups[gi].wrong
			gi++
		}
		g := groups[gi]
		return float64(before) + float64(k-g.start)*float64(g.wrong)/float64(g.end-g.start), g.conf
	}
	points := min(n, 100)
	kSel := max(1, int(math.Ceil(coverage*float64(n)-1e-9)))
	selDone := false
	for j := 1; j <= points; j++ {
		k := max(1, int(math.Round(float64(j)*float64(n)/float64(points))))
		if !selDone && kSel <= k {
			w, _ := at(kSel)
			s.SelectiveAccuracy = 1 - w/float64(kSel)
			selDone = true
		}
		w, c := at(k)
		s.Curve = append(s.Curve, RiskPoint{Coverage: float64(k) / float64(n), Risk: w / float64(k), Threshold: c})
	}
	return s
}
