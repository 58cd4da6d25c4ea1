package main

import (
	"context"
	"io"

	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/missingmass"
	"github.com/hallu-dev/hallu/report"
	"github.com/spf13/cobra"
)

type floorOptions struct {
	json                bool
	t                   missingmass.Theorem2
	gamma               float64
	kvMis, kvFactRatio  float64
	kvFactRatioExplicit bool
	html                string
}

func newFloorCmd() *cobra.Command {
	var opts floorOptions
	cmd := &cobra.Command{
		Use:   "floor --n N --sr SR --min-errors K",
		Short: "Theorem 2's finite-sample bounds from N, the singleton rate and |E_c|",
		Long: `floor evaluates Theorem 2 (Arbitrary Facts, Appendix B) for a training set of
N examples whose singleton rate is sr (Definition 2; hallu audit measures it on
a corpus): the lower bound on any model's error rate in its general-γ and
printed 99% forms, the calibrated algorithm's upper bound, Lemma 1's interval
for the missing mass, and Kalai & Vempala's (2024) monofact bound as
reconstructed in Kalai & Vempala 2024 (arXiv:2311.14648). It names the term that dominates the gap
between sr and the floor, and the N from which the floor is within one point
of sr.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.kvFactRatioExplicit = cmd.Flags().Changed("kv-fact-ratio")
			for _, name := range []string{"n", "sr", "min-errors"} {
				if !cmd.Flags().Changed(name) {
					return usagef("floor: --%s is required", name)
				}
			}
			if !cmd.Flags().Changed("max-errors") {
				opts.t.MaxE = opts.t.MinE
			}
			return runFloor(cmd.Context(), cmd.OutOrStdout(), opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.json, "json", false, "print JSON")
	f.StringVar(&opts.html, "html", "", "also write a self-contained HTML report to `FILE`")
	f.Var(countFlag{&opts.t.N}, "n", "number of training examples `N`, abstentions included (1e6 is accepted)")
	f.Float64Var(&opts.t.SR, "sr", 0, "singleton rate: prompts seen exactly once with an answer, over N")
	f.Int64Var(&opts.t.MinE, "min-errors", 0, "min_c |E_c|: the fewest wrong answers any prompt has (364 for birthdays)")
	f.Int64Var(&opts.t.MaxE, "max-errors", 0, "max_c |E_c| (default: --min-errors)")
	f.Float64Var(&opts.t.Delta, "delta", 0, "the model's calibration term δ at 1/min|E_c| (0 if calibrated)")
	f.Float64Var(&opts.gamma, "gamma", 0.01, "failure probability γ: bounds hold with probability ≥ 1 − γ")
	f.Float64Var(&opts.kvMis, "kv-mis", 0, "Kalai–Vempala: the model's miscalibration Mis")
	f.Float64Var(&opts.kvFactRatio, "kv-fact-ratio", 0, "Kalai–Vempala: e^−s = |facts|/|possible hallucinations| (default 1/min-errors)")
	return cmd
}

func runFloor(_ context.Context, stdout io.Writer, opts floorOptions) error {
	ratio := opts.kvFactRatio
	if !opts.kvFactRatioExplicit && opts.t.MinE > 0 {
		ratio = 1 / float64(opts.t.MinE)
	}
	fl, err := missingmass.NewFloor(opts.t, opts.gamma, opts.kvMis, ratio)
	if err != nil {
		return usagef("floor: %v", err)
	}
	params := map[string]any{"n": opts.t.N, "sr": opts.t.SR, "min_errors": opts.t.MinE, "max_errors": opts.t.MaxE,
		"delta": opts.t.Delta, "gamma": opts.gamma, "kv_mis": opts.kvMis, "kv_fact_ratio": ratio}
	return writeResult(opts.html, func() (report.Page, error) { return report.FloorPage(fl, pageProvenance(params)) }, func() error {
		if !opts.json {
			return report.WriteFloorText(stdout, fl)
		}
		return provenance.WriteJSON(stdout, provenance.NewEnvelope("floor", params, fl))
	})
}
