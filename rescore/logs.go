package rescore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/score"
)

// Result is what Logs computes: the scores and what it says about each log.
type Result struct {
	*score.Report
	Inputs []LogReport `json:"inputs"`
	// Provenance names and hashes every file read: the phrase file, the
	// SimpleQA test set, each log and lm-eval results file.
	Provenance []provenance.Input `json:"-"`
}

// An UnusableError says why scores that Logs computed cannot mean what
// they say: a model whose every sample is invalid, records that repeat a
// (model, id, target) without Options.AllowRepeats, or no sample at all.
type UnusableError struct {
	Problems []string
	// Repeats is set when records repeat a (model, id, target): setting
	// Options.AllowRepeats counts them as further samples (epochs).
	Repeats bool
}

func (e *UnusableError) Error() string { return "score: " + strings.Join(e.Problems, "; ") }

// A ConfigError is score.Evaluate's refusal of Options.Config.
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// Logs reads the logs at paths, grades the samples that need it and scores
// them all under opt.Config (Section 4.2 of arXiv:2509.04664). When the
// scores cannot mean what they say it returns the Result with an
// *UnusableError, so that a caller can show the scores and then fail; with
// no sample at all there is no Result, only the *UnusableError.
func Logs(ctx context.Context, paths []string, opt Options) (*Result, error) {
	r, err := NewReader(opt)
	if err != nil {
		return nil, err
	}
	return r.Logs(ctx, paths)
}

// Logs is the package's Logs over r, for a caller that used r before (an
// LLM judge's prefetch).
func (r *Reader) Logs(ctx context.Context, paths []string) (*Result, error) {
	var d score.Dataset
	res := &Result{Provenance: slices.Clone(r.inputs)}
	inv := invalidCensus{}
	for _, path := range paths {
		rep, in, err := r.Read(ctx, path, nil, func(s *score.Sample) error {
			if err := d.Add(s); err != nil {
				return fmt.Errorf("%s: %w", s.Source, err)
			}
			inv.add(s)
			return nil
		})
		if err != nil {
			return nil, err
		}
		res.Inputs = append(res.Inputs, rep)
		res.Provenance = append(res.Provenance, in...)
	}
	if d.Len() == 0 {
		return nil, &UnusableError{Problems: []string{"no samples in " + strings.Join(paths, ", ")}}
	}
	rep, err := Evaluate(&d, r.opt.Config)
	if err != nil {
		return nil, err
	}
	res.Report = rep
	if problems, repeats := unusable(res, &inv, r.opt.AllowRepeats); len(problems) > 0 {
		return res, &UnusableError{Problems: problems, Repeats: repeats}
	}
	return res, nil
}

// Evaluate is score.Evaluate with cfg.Seed2 derived from cfg.Seed, as
// Logs evaluates, for callers that build their own dataset from a
// Reader's samples. A refusal of cfg is a *ConfigError.
func Evaluate(d *score.Dataset, cfg score.Config) (*score.Report, error) {
	cfg.Seed2 = Seed2(cfg.Seed)
	rep, err := score.Evaluate(d, cfg)
	if err != nil {
		return nil, &ConfigError{err}
	}
	return rep, nil
}

// invalidCensus counts the invalid samples of each model and their reasons.
type invalidCensus struct {
	invalid map[string]int            // model → invalid samples
	reasons map[string]map[string]int // model → reason → samples, for the first few reasons
}

func (c *invalidCensus) add(s *score.Sample) {
	if s.Outcome != score.Invalid {
		return
	}
	if c.invalid == nil {
		c.invalid, c.reasons = map[string]int{}, map[string]map[string]int{}
	}
	c.invalid[s.Model]++
	rs := c.reasons[s.Model]
	if rs == nil {
		rs = map[string]int{}
		c.reasons[s.Model] = rs
	}
	why := cmp.Or(s.Reason, "no reason given")
	if len(why) > 120 {
		why = why[:120] + "…"
	}
	if _, ok := rs[why]; ok || len(rs) < 5 {
		rs[why]++
	}
}

// unusable says why the scores of res cannot mean what they say: a model
// whose every sample is invalid, or records of hallu, JSONL or CSV logs
// that repeat a (model, id, target) unless allowRepeats; repeats says
// whether the latter is among them.
func unusable(res *Result, inv *invalidCensus, allowRepeats bool) (problems []string, repeats bool) {
	seen := map[string]bool{}
	generic := true
	for _, in := range res.Inputs {
		generic = generic && (in.Format == evallog.Run || in.Format == evallog.JSONL || in.Format == evallog.CSV)
	}
	for _, r := range res.Results {
		if seen[r.Model] {
			continue
		}
		seen[r.Model] = true
		if n := inv.invalid[r.Model]; n > 0 && n == modelSamples(res.Results, r.Model) {
			var reasons []string
			for why, k := range inv.reasons[r.Model] {
				reasons = append(reasons, fmt.Sprintf("%q (%d)", why, k))
			}
			slices.Sort(reasons)
			problems = append(problems, fmt.Sprintf("every one of the %d samples of model %q is invalid, so its scores are 0 by construction; reasons: %s",
				n, r.Model, strings.Join(reasons, ", ")))
		}
	}
	if generic && !allowRepeats {
		groups := map[string]bool{} // a model's samples under no run target share one row per t
		for _, r := range res.Results {
			key, where := r.Model, ""
			if r.RunTarget {
				key, where = fmt.Sprintf("%s@%v", r.Model, r.T), fmt.Sprintf(" run at t = %g", r.T)
			}
			if r.Repeated > 0 && !groups[key] {
				groups[key] = true
				problems = append(problems, fmt.Sprintf("model %q%s: %d records repeat the id of an earlier record of the same model and target, and would count twice; remove them, or allow repeats if they are epochs",
					r.Model, where, r.Repeated))
				repeats = true
			}
		}
	}
	return problems, repeats
}

// modelSamples is the number of samples of model m: the N of its row at
// its first target, or the sum over its run targets.
func modelSamples(rs []score.TargetResult, m string) int {
	n, plain := 0, false
	for _, r := range rs {
		switch {
		case r.Model != m:
		case r.RunTarget:
			n += r.N
		case !plain:
			n, plain = n+r.N, true
		}
	}
	return n
}
