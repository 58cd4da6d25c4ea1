package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hallu-dev/hallu/facts"
	"github.com/hallu-dev/hallu/internal/atomicfile"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/missingmass"
	"github.com/hallu-dev/hallu/report"
	"github.com/spf13/cobra"
)

type simOptions struct {
	prompts   string
	mu        string
	answers   string
	alpha     string
	n         string
	runs      int
	seed      uint64
	worldSeed uint64
	gamma     float64
	learners  []string
	sweeps    []string
	method    string
	workers   int
	json      bool
	csv       bool
	perRun    bool
	out       string
	quiet     bool
	html      string

	nSet, worldSeedSet, promptsSet bool
}

const simLong = `sim simulates the Arbitrary Facts model (Definition 1, Section 3.3.1 and
Appendix B) and checks Theorem 2 against learners trained on the simulated data.

A world has K prompts with weights μ (uniform, zipf:S, or profile:FILE — a
frequency-of-frequencies table "j f_j" or the JSON of hallu audit --json, so
that μ(c) ∝ j reproduces a corpus's mention profile), an answer set R_c of
--answers plausible answers per prompt (a constant such as 365, or
SIZE:PROB,… drawn per prompt), and an answer probability α_c (--alpha, a
constant or beta:A,B). Each run draws the correct answers a_c uniformly and N
training examples i.i.d. from p (a prompt from μ, then a_c with probability
α_c, IDK otherwise), trains every learner and reports, per learner:

  sr (Definition 2) and the true missing mass MM, err, δ at 1/min|E_c|,
  max_z δ_z, err_iiv, the abstention rate p̂(IDK), Theorem 1's bound,
  Theorem 2's lower bound (1−γ and printed 99% forms) and upper bound, and
  whether each held.

Learners: calibrated (Appendix B's algorithm, with the world's α_c),
calibrated-est (α pooled from the data), guess (uniform over R_c where
unanswered), abstain (IDK where unanswered), addk:K (add-K smoothing over
R_c ∪ {IDK}). calibrated, guess and abstain memorise every prompt seen with
an answer, reproducing p(·|c) there (calibrated-est with α̂ for α_c).

--runs R makes R runs in parallel (run r uses seed --seed + r; the numbers do
not depend on --workers) and summarises each figure (mean, quantiles) and the
fraction of runs in which each bound held, next to what the paper promises.
--sweep n=1e3..1e7 (log grid; :P for P points) or zipf=0.5..1.5 (linear)
repeats it over a grid; repeat --sweep for a product grid. Output: a text
table, --json (every run and summary), or --csv (a summary row per point and
learner; --per-run for a row per run and learner).`

func newSimCmd() *cobra.Command {
	var opts simOptions
	cmd := &cobra.Command{
		Use:   "sim",
		Short: "Simulate the Arbitrary Facts model and check Theorem 2 against learners",
		Long:  simLong,
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.nSet = cmd.Flags().Changed("n")
			opts.worldSeedSet = cmd.Flags().Changed("world-seed")
			opts.promptsSet = cmd.Flags().Changed("prompts")
			return runSim(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.prompts, "prompts", "10000", "number of prompts `K` (1e6 is accepted; a profile μ fixes K = Σ f_j)")
	f.StringVar(&opts.mu, "mu", "zipf:1", "prompt distribution: uniform, zipf:S or profile:FILE")
	f.StringVar(&opts.answers, "answers", "365", "answer-set size |R_c|: N or SIZE:PROB,…")
	f.StringVar(&opts.alpha, "alpha", "1", "answer probability α_c: a number in [0,1] or beta:A,B")
	f.StringVar(&opts.n, "n", "100000", "training examples `N` per run, IDK included (1e6 is accepted; default for a profile μ: Σ j·f_j)")
	f.IntVar(&opts.runs, "runs", 1, "number of runs")
	f.Uint64Var(&opts.seed, "seed", 1, "seed of run 0; run r uses seed+r")
	f.Uint64Var(&opts.worldSeed, "world-seed", 0, "seed that draws |R_c| and α_c (default: --seed)")
	f.Float64Var(&opts.gamma, "gamma", 0.01, "failure probability γ of the general-γ bounds")
	f.StringSliceVar(&opts.learners, "learners", []string{"calibrated", "calibrated-est", "guess", "abstain", "addk:1"}, "learners to evaluate")
	f.StringArrayVar(&opts.sweeps, "sweep", nil, "sweep `AXIS`: n=LO..HI[:P], zipf=LO..HI[:P] or PARAM=V1,V2 (repeatable)")
	f.StringVar(&opts.method, "method", "closed-form", "closed-form, enumerate (every row through iiv, float64) or exact (rational)")
	f.IntVar(&opts.workers, "workers", 0, "goroutines (0: one per CPU); results do not depend on it")
	f.BoolVar(&opts.json, "json", false, "print JSON: every run and the summaries")
	f.BoolVar(&opts.csv, "csv", false, "print CSV: a summary row per sweep point and learner")
	f.BoolVar(&opts.perRun, "per-run", false, "with --csv: a row per run and learner instead")
	f.StringVarP(&opts.out, "out", "o", "", "write the output to `FILE` (atomically) instead of standard output")
	f.BoolVarP(&opts.quiet, "quiet", "q", false, "no progress on standard error")
	f.StringVar(&opts.html, "html", "", "also write a self-contained HTML report to `FILE`")
	return cmd
}

func runSim(ctx context.Context, stdout, stderr io.Writer, opts simOptions) error {
	e, inputs, err := simExperiment(opts)
	if err != nil {
		return err
	}
	if opts.json && opts.csv {
		return usagef("sim: --json and --csv exclude each other")
	}
	if opts.perRun && !opts.csv {
		return usagef("sim: --per-run needs --csv")
	}
	stop := func() {}
	if !opts.quiet && isTerminal(stderr) {
		var c counter
		e.Progress = c.update
		start := time.Now()
		stop = statusLine(stderr, 100*time.Millisecond, false, func() string {
			return c.line("hallu sim: %d/%d runs, ") + time.Since(start).Round(time.Second/10).String()
		})
	}
	sim, err := facts.Simulate(ctx, e)
	stop()
	if err != nil {
		return err
	}
	page := func() (report.Page, error) {
		return report.SimPage(e, sim, pageProvenance(simParams(opts, e), inputs...))
	}
	render := func(w io.Writer) error {
		switch {
		case opts.json:
			return provenance.WriteJSON(w, provenance.NewEnvelope("sim", simParams(opts, e), report.NewSimData(e, sim), inputs...))
		case opts.csv && opts.perRun:
			return report.WriteSimRunsCSV(w, sim)
		case opts.csv:
			return report.WriteSimSummaryCSV(w, sim)
		}
		return report.WriteSimText(w, e, sim)
	}
	return writeResult(opts.html, page, func() error {
		if opts.out == "" {
			return render(stdout)
		}
		return atomicfile.Write(opts.out, func(f *os.File) error { return render(f) })
	})
}

// simExperiment turns the flags into a facts.Experiment, reading the
// profile file if μ names one.
func simExperiment(opts simOptions) (facts.Experiment, []provenance.Input, error) {
	var e facts.Experiment
	var inputs []provenance.Input
	var err error
	if opts.promptsSet || !strings.HasPrefix(opts.mu, "profile:") {
		if e.World.Prompts, err = parseCount(opts.prompts); err != nil {
			return e, nil, usagef("sim: --prompts: %v", err)
		}
	}
	if path, ok := strings.CutPrefix(opts.mu, "profile:"); ok {
		in, err := input.Open(path)
		if err != nil {
			return e, nil, err
		}
		p, err := missingmass.ReadTable(in)
		in.Close()
		if err != nil {
			return e, nil, fmt.Errorf("profile %s: %w", path, err)
		}
		e.World.Mu = facts.Mu{Kind: facts.FromProfile, Profile: p}
		inputs = append(inputs, in.Input())
		if !opts.nSet {
			opts.n = strconv.FormatInt(p.Answered(), 10)
		}
	} else {
		if e.World.Mu, err = facts.ParseMu(opts.mu); err != nil {
			return e, nil, usagef("sim: --mu: %v", err)
		}
	}
	if e.World.Answers, err = facts.ParseAnswers(opts.answers); err != nil {
		return e, nil, usagef("sim: --answers: %v", err)
	}
	if e.World.Alpha, err = facts.ParseAlpha(opts.alpha); err != nil {
		return e, nil, usagef("sim: --alpha: %v", err)
	}
	n, err := parseCount(opts.n)
	if err != nil {
		return e, nil, usagef("sim: --n: %v", err)
	}
	e.N, e.Runs, e.Seed, e.Gamma, e.Workers = n, opts.runs, opts.seed, opts.gamma, opts.workers
	e.WorldSeed = opts.seed
	if opts.worldSeedSet {
		e.WorldSeed = opts.worldSeed
	}
	for _, s := range opts.learners {
		l, err := facts.ParseLearner(s)
		if err != nil {
			return e, nil, usagef("sim: --learners: %v", err)
		}
		e.Learners = append(e.Learners, l)
	}
	for _, s := range opts.sweeps {
		a, err := facts.ParseAxis(s)
		if err != nil {
			return e, nil, usagef("sim: --sweep: %v", err)
		}
		e.Sweep = append(e.Sweep, a)
	}
	switch opts.method {
	case "closed-form":
		e.Method = facts.ClosedForm
	case "enumerate":
		e.Method = facts.Enumerate
	case "exact":
		e.Method = facts.Exact
	default:
		return e, nil, usagef("sim: --method %q: want closed-form, enumerate or exact", opts.method)
	}
	if err := e.Validate(); err != nil {
		return e, nil, usagef("sim: %v", err)
	}
	return e, inputs, nil
}

// parseCount reads a whole number, also in scientific notation (1e7).
func parseCount(s string) (int, error) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<62 {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	return int(f), nil
}

func simParams(opts simOptions, e facts.Experiment) map[string]any {
	learners := make([]string, len(e.Learners))
	for i, l := range e.Learners {
		learners[i] = l.String()
	}
	sweeps := make([]string, len(e.Sweep))
	for i, a := range e.Sweep {
		sweeps[i] = a.String()
	}
	return map[string]any{
		"prompts": e.World.Prompts, "mu": opts.mu, "answers": e.World.Answers.String(), "alpha": e.World.Alpha.String(),
		"n": e.N, "runs": e.Runs, "seed": e.Seed, "world_seed": e.WorldSeed, "gamma": e.Gamma,
		"learners": learners, "sweep": sweeps, "method": e.Method.String(),
	}
}
