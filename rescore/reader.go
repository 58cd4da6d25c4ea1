package rescore

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/score"
	"github.com/hallu-dev/hallu/score/grade"
)

// A Reader reads eval logs under Options and grades their samples.
type Reader struct {
	opt      Options
	read     evallog.Options
	resolver *grade.Resolver
	inputs   []provenance.Input
}

// LogReport is what Logs says about one log read.
type LogReport struct {
	Path string `json:"path"`
	evallog.Stats
	// Reclassified counts samples the log graded wrong that the
	// abstention detector counts as abstained; Matched counts samples
	// graded by the grader (ungraded in the log, or all with Regrade).
	Reclassified int `json:"reclassified_abstentions"`
	Matched      int `json:"graded_by_matching"`
}

// NewReader reads the files opt names besides the logs (the abstention
// phrase file, the SimpleQA test set) and returns a Reader over them.
func NewReader(opt Options) (*Reader, error) {
	r := &Reader{opt: opt}
	detector := grade.DefaultDetector()
	if opt.AbstainPhrases != "" {
		f, err := input.Open(opt.AbstainPhrases)
		if err != nil {
			return nil, err
		}
		detector, err = grade.ParseDetector(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", opt.AbstainPhrases, err)
		}
		r.inputs = append(r.inputs, f.Input())
	}
	r.resolver = &grade.Resolver{Grader: opt.Grader, Regrade: opt.Regrade}
	if r.resolver.Grader == nil {
		r.resolver.Grader = &grade.Matcher{NumTol: opt.NumTol, Exact: opt.Exact, Coarse: opt.Coarse, Abstention: detector}
	}
	if !opt.NoAbstainDetect {
		r.resolver.Abstention = detector
	}
	r.read = evallog.Options{Format: orAuto(opt.Format), Map: opt.Map, Model: opt.Model, SkipBad: opt.SkipBad,
		LMEvalFilter: opt.LMEvalFilter, LMEvalMetric: opt.LMEvalMetric, LengthNormalized: opt.LengthNorm,
		InspectScorer: opt.InspectScorer, Abstention: detector, GradeValues: opt.GradeValues,
		Limits: opt.Limits}
	if opt.SimpleQATest != "" {
		f, err := input.Open(opt.SimpleQATest)
		if err != nil {
			return nil, err
		}
		r.read.SimpleQATest, err = evallog.ReadSimpleQATest(f, opt.SimpleQATest)
		if err == nil {
			_, err = io.Copy(io.Discard, f) // hash the whole file
		}
		f.Close()
		if err != nil {
			return nil, err
		}
		r.inputs = append(r.inputs, f.Input())
		if r.read.Format == evallog.Auto {
			r.read.Format = evallog.SimpleQA
		}
	}
	return r, nil
}

// orAuto is f, or evallog.Auto when f is empty.
func orAuto(f evallog.Format) evallog.Format {
	if f == "" {
		return evallog.Auto
	}
	return f
}

// Inputs returns the provenance of the files NewReader read.
func (r *Reader) Inputs() []provenance.Input { return r.inputs }

// GraderName names the grader in reports: the Grader's Name, or
// "matching".
func (r *Reader) GraderName() string {
	if n, ok := r.resolver.Grader.(interface{ Name() string }); ok {
		return n.Name()
	}
	return "matching"
}

// open opens the log at path, hashing it when hash is set.
func (r *Reader) open(path string, hash bool) (*input.File, error) {
	if r.opt.Open == nil {
		if hash {
			return input.Open(path)
		}
		return input.OpenUnhashed(path)
	}
	rc, err := r.opt.Open(path)
	if err != nil {
		return nil, err
	}
	return input.Wrap(path, rc, hash)
}

// Read reads the log at path ("-": standard input), grades its samples
// and calls use with each. keep, if not nil, is asked first: a sample it
// declines is neither graded nor given to use (the log's Stats still count
// it as read). The sample passed is reused:
// use must copy what it keeps. Read returns what it says about the log
// and the provenance of the files it read: the log, whole, and an
// lm-eval results file.
func (r *Reader) Read(ctx context.Context, path string, keep func(*score.Sample) (bool, error), use func(*score.Sample) error) (LogReport, []provenance.Input, error) {
	rep := LogReport{Path: path}
	var inputs []provenance.Input
	ropt := r.read
	ropt.DefaultModel = ModelFromPath(path)
	prov := map[string]string{}
	if rp := r.lmEvalResultsPath(path); rp != "" {
		f, err := input.Open(rp)
		if err != nil {
			return rep, nil, err
		}
		res, err := evallog.ReadLMEvalResults(f, rp)
		f.Close()
		if err != nil {
			return rep, nil, err
		}
		inputs = append(inputs, f.Input())
		prov = res.Provenance()
		prov["lm_eval_results"] = rp
		if res.Model != "" {
			ropt.DefaultModel = res.Model
		}
	}
	f, err := r.open(path, true)
	if err != nil {
		return rep, nil, err
	}
	defer f.Close()
	st, err := evallog.Read(f, path, ropt, func(s *score.Sample) error {
		if keep != nil {
			if ok, err := keep(s); !ok || err != nil {
				return err
			}
		}
		before := s.Outcome
		if err := r.resolver.Resolve(ctx, s); err != nil {
			return err
		}
		switch {
		case before == score.Ungraded || r.resolver.Regrade:
			rep.Matched++
		case before != s.Outcome:
			rep.Reclassified++
		}
		return use(s)
	})
	if err != nil {
		return rep, nil, err
	}
	if _, err := io.Copy(io.Discard, f); err != nil { // hash the whole file
		return rep, nil, fmt.Errorf("%s: %w", path, err)
	}
	for k, v := range prov {
		if st.Provenance == nil {
			st.Provenance = map[string]string{}
		}
		st.Provenance[k] = v
	}
	rep.Stats = st
	return rep, append(inputs, f.Input()), nil
}

// lmEvalResultsPath returns the lm-eval results file whose provenance goes
// with the log at path: Options.LMEvalResults, or the one file lm-eval
// wrote beside it, or "" when the log is not lm-eval's or none is found.
func (r *Reader) lmEvalResultsPath(path string) string {
	if r.read.Format != evallog.LMEval && r.read.Format != evallog.Auto {
		return ""
	}
	if r.opt.LMEvalResults != "" || r.opt.Open != nil {
		return r.opt.LMEvalResults
	}
	if name, ok := evallog.LMEvalResultsName(path); ok {
		if m, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*"+name)); len(m) == 1 {
			return m[0]
		}
	}
	return ""
}

// Pending calls fn with a copy of every sample of the logs at paths that
// grading will give to the grader (the ungraded ones, or all with
// Regrade), in file order, without grading them: an LLM judge's prefetch.
// Standard input ("-") is skipped, to be read once, by the scoring pass.
func (r *Reader) Pending(ctx context.Context, paths []string, fn func(score.Sample) error) error {
	for _, path := range paths {
		if path == "-" {
			continue
		}
		f, err := r.open(path, false)
		if err != nil {
			return err
		}
		ropt := r.read
		ropt.DefaultModel = ModelFromPath(path)
		_, err = evallog.Read(f, path, ropt, func(s *score.Sample) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if s.Outcome != score.Ungraded && !r.resolver.Regrade {
				return nil
			}
			c := *s
			c.Golds = append([]string(nil), s.Golds...)
			return fn(c)
		})
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// ModelFromPath names a model after its log file: the base name without
// compression and format extensions; "stdin" for "-".
func ModelFromPath(path string) string {
	if path == "-" {
		return "stdin"
	}
	b := filepath.Base(path)
	for _, ext := range []string{".gz", ".zst", ".jsonl", ".json", ".csv", ".eval", ".txt"} {
		b = strings.TrimSuffix(b, ext)
	}
	return b
}
