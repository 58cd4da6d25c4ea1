package score

import (
	"cmp"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
)

// Config sets what Evaluate computes. The zero value of each field selects
// its default.
type Config struct {
	// Targets are the confidence targets to score samples at that were not
	// produced under a stated target (default DefaultTargets). Each must be
	// in [0,1).
	Targets []float64
	// Z is the normal quantile of every interval (default DefaultZ, 95%).
	Z float64
	// Bins is the number of calibration bins (default 10).
	Bins int
	// Coverage is where selective accuracy is reported (default 0.8).
	Coverage float64
	// CurveStep is the grid step of the policy curve (default 0.01); the
	// Targets are added to the grid.
	CurveStep float64
	// Bootstrap is the number of paired-bootstrap replicates (default
	// 1000); negative disables the bootstrap (point estimates only).
	Bootstrap int
	// Seed seeds the bootstrap's PCG generator (with Seed2).
	Seed, Seed2 uint64
}

func (c Config) withDefaults() (Config, error) {
	if c.Targets == nil {
		c.Targets = DefaultTargets
	}
	if len(c.Targets) == 0 {
		return c, errors.New("score: no confidence targets")
	}
	for _, t := range c.Targets {
		if err := CheckTarget(t); err != nil {
			return c, fmt.Errorf("score: %w", err)
		}
	}
	c.Targets = sortedTargets(c.Targets)
	if c.Z == 0 {
		c.Z = DefaultZ
	}
	if c.Bins == 0 {
		c.Bins = 10
	}
	if c.Coverage == 0 {
		c.Coverage = 0.8
	}
	if c.CurveStep == 0 {
		c.CurveStep = 0.01
	}
	if c.Bootstrap == 0 {
		c.Bootstrap = 1000
	}
	switch {
	case !(c.Z > 0):
		return c, fmt.Errorf("score: z = %v must be positive", c.Z)
	case c.Bins < 1:
		return c, fmt.Errorf("score: %d calibration bins", c.Bins)
	case !(c.Coverage > 0 && c.Coverage <= 1):
		return c, fmt.Errorf("score: coverage %v is not in (0,1]", c.Coverage)
	case !(c.CurveStep > 0 && c.CurveStep < 1):
		return c, fmt.Errorf("score: curve step %v is not in (0,1)", c.CurveStep)
	}
	return c, nil
}

// Report is everything Evaluate computes over a Dataset.
type Report struct {
	// Results holds one row per (model, t): for samples produced without
	// a stated target, one row at each Config target (the same responses
	// re-scored); for samples produced under a target, one row at it.
	// Rows are ordered by model (first seen first), then t.
	Results []TargetResult `json:"results"`
	// Groups holds the confidence-based analyses of each model (and run
	// target), present when some of its samples carry a confidence.
	Groups []GroupReport `json:"groups"`
	// Behavioral audits each model run under two or more stated targets.
	Behavioral []Behavioral `json:"behavioral"`
	// Comparisons are paired bootstraps of every pair of models at every
	// target both were scored at, on their shared questions (pairs that
	// share none are left out).
	Comparisons []Comparison `json:"comparisons"`
	// Denominators states the denominator of each rate in Results.
	Denominators map[string]string `json:"denominators"`
}

// GroupReport is the confidence-based analysis of one model's samples,
// under one run target when RunTarget is set.
type GroupReport struct {
	Model     string   `json:"model"`
	RunTarget *float64 `json:"run_target,omitempty"`
	N         int      `json:"n"`
	// NConfidence is the number of samples with a confidence; the
	// calibration and selective analyses use the answered ones among them.
	NConfidence int         `json:"n_confidence"`
	Calibration Calibration `json:"calibration"`
	Selective   Selective   `json:"selective"`
	Policy      PolicyCurve `json:"policy"`
}

var denominators = map[string]string{
	"accuracy":                 "n (all samples, invalid included)",
	"error_rate":               "n (all samples, invalid included)",
	"abstention_rate":          "n (all samples, invalid included)",
	"invalid_rate":             "n (all samples, invalid included)",
	"score":                    "n (all samples; abstained and invalid score 0)",
	"accuracy_given_attempted": "attempted (correct + wrong)",
	"f1":                       "harmonic mean of correct/n and correct/attempted",
	"calibration":              "answered samples with a confidence",
	"policy":                   "samples with a confidence",
}

// Evaluate scores every model in d at every target (Section 4.2 of arXiv:2509.04664), ranks
// the models under binary grading and at each target, runs the paired
// bootstrap between models, and, where samples carry confidences or run
// targets, the calibration, selective-prediction, policy and behavioural-
// calibration analyses.
func Evaluate(d *Dataset, cfg Config) (*Report, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	rep := &Report{Results: []TargetResult{}, Groups: []GroupReport{}, Behavioral: []Behavioral{},
		Comparisons: []Comparison{}, Denominators: denominators}
	models := d.Models()
	byModel := map[string][]*group{}
	for _, g := range d.groups {
		byModel[g.key.model] = append(byModel[g.key.model], g)
	}
	for _, m := range models {
		slices.SortFunc(byModel[m], func(x, y *group) int {
			return cmp.Or(boolCmp(x.key.hasTarget, y.key.hasTarget), cmp.Compare(x.key.target, y.key.target))
		})
	}

	// groupAt returns the group whose samples a model is scored on at t:
	// the samples run under t if any, else those run under no target.
	groupAt := func(m string, t float64) *group {
		var plain *group
		for _, g := range byModel[m] {
			if g.key.hasTarget && g.key.target == t {
				return g
			}
			if !g.key.hasTarget {
				plain = g
			}
		}
		return plain
	}
	var allTs []float64
	for _, m := range models {
		for _, g := range byModel[m] {
			if g.key.hasTarget {
				allTs = append(allTs, g.key.target)
			}
		}
	}
	allTs = sortedTargets(append(allTs, cfg.Targets...))

	// Results, one row per (model, t).
	for _, m := range models {
		for _, t := range allTs {
			g := groupAt(m, t)
			if g == nil || (!g.key.hasTarget && !slices.Contains(cfg.Targets, t)) {
				continue
			}
			r := Summarize(m, g.counts, t, cfg.Z)
			r.RunTarget = g.key.hasTarget
			r.Repeated = len(g.recs) - len(g.questions())
			rep.Results = append(rep.Results, r)
		}
	}
	rankResults(rep.Results, func(m string) (float64, bool) {
		if g := groupAt(m, 0); g != nil {
			return g.counts.Score(0), true
		}
		return 0, false
	}, models)

	// Confidence-based analyses per group.
	for _, m := range models {
		for _, g := range byModel[m] {
			if gr, ok := analyse(g, cfg); ok {
				rep.Groups = append(rep.Groups, gr)
			}
		}
	}

	// Behavioural calibration: models run under two or more targets.
	for _, m := range models {
		var gs []*group
		for _, g := range byModel[m] {
			if g.key.hasTarget {
				gs = append(gs, g)
			}
		}
		if len(gs) >= 2 {
			rep.Behavioral = append(rep.Behavioral, behavioral(m, gs, cfg.Z))
		}
	}

	// Paired bootstrap between every pair of models, per group pair. Each
	// pair of models draws from its own stream, so that adding a model
	// changes no other pair's interval.
	for i := 0; i < len(models); i++ {
		for j := i + 1; j < len(models); j++ {
			a, b := models[i], models[j]
			rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed2^pairStream(a, b)))
			type pair struct{ ga, gb *group }
			var order []pair
			ts := map[pair][]float64{}
			for _, t := range allTs {
				ga, gb := groupAt(a, t), groupAt(b, t)
				if ga == nil || gb == nil || !scoredAt(ga, t, cfg) || !scoredAt(gb, t, cfg) {
					continue
				}
				p := pair{ga, gb}
				if _, ok := ts[p]; !ok {
					order = append(order, p)
				}
				ts[p] = append(ts[p], t)
			}
			for _, p := range order {
				for _, c := range pairedBootstrap(a, b, p.ga, p.gb, ts[p], cfg.Bootstrap, rng, cfg.Z) {
					if c.Shared > 0 {
						rep.Comparisons = append(rep.Comparisons, c)
					}
				}
			}
		}
	}
	slices.SortStableFunc(rep.Comparisons, func(x, y Comparison) int { return cmp.Compare(x.T, y.T) })
	return rep, nil
}

// pairStream names the random stream of the bootstrap between models a and
// b: FNV-1a of their names.
func pairStream(a, b string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(a))
	h.Write([]byte{0})
	h.Write([]byte(b))
	return h.Sum64()
}

// scoredAt reports whether group g has a Results row at t.
func scoredAt(g *group, t float64, cfg Config) bool {
	return g.key.hasTarget || slices.Contains(cfg.Targets, t)
}

// analyse computes the confidence-based analyses of g, if any of its
// samples has a confidence.
func analyse(g *group, cfg Config) (GroupReport, bool) {
	var preds []Prediction
	others := 0
	for _, r := range g.recs {
		switch {
		case !r.hasConf:
		case r.outcome.Attempted():
			preds = append(preds, Prediction{r.conf, r.outcome == Correct})
		default:
			others++
		}
	}
	if len(preds)+others == 0 {
		return GroupReport{}, false
	}
	slices.SortFunc(preds, byConfidenceDesc)
	gr := GroupReport{Model: g.key.model, N: g.counts.N(), NConfidence: len(preds) + others}
	if g.key.hasTarget {
		t := g.key.target
		gr.RunTarget = &t
	}
	gr.Calibration = Calibrate(preds, cfg.Bins)
	gr.Selective = RiskCoverage(preds, cfg.Coverage)
	gr.Policy = Policy(preds, others, Grid(cfg.CurveStep, cfg.Targets...))
	return gr, true
}

// rankResults fills Rank, BinaryRank and RankChange: competition ranking
// ("1224") by score among the rows at the same t.
func rankResults(rs []TargetResult, binary func(model string) (float64, bool), models []string) {
	byT := map[float64][]int{}
	for i, r := range rs {
		byT[r.T] = append(byT[r.T], i)
	}
	for _, idx := range byT {
		for _, i := range idx {
			rank := 1
			for _, j := range idx {
				if rs[j].Score > rs[i].Score {
					rank++
				}
			}
			rs[i].Rank = rank
		}
	}
	bin := map[string]int{}
	for _, m := range models {
		s, ok := binary(m)
		if !ok {
			continue
		}
		rank := 1
		for _, o := range models {
			if so, ok := binary(o); ok && so > s {
				rank++
			}
		}
		bin[m] = rank
	}
	for i := range rs {
		if b, ok := bin[rs[i].Model]; ok {
			rs[i].BinaryRank = b
			rs[i].RankChange = b - rs[i].Rank
		}
	}
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}
