package main

import (
	"context"
	"fmt"
	"io"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/instances"
	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/llm"
	"github.com/hallu-dev/hallu/report"
)

// deltaChoicesResult is the JSON result of `hallu delta --choices`.
type deltaChoicesResult struct {
	Method    string  `json:"method"`
	Threshold float64 `json:"threshold"`
	Sets      int     `json:"sets"`
	Contexts  int     `json:"contexts"`   // sets scored
	PhatA     float64 `json:"model_mass"` // p̂(A)
	PA        float64 `json:"data_mass"`  // p(A)
	Delta     float64 `json:"delta"`
	ErrIIV    float64 `json:"err_iiv"`
	Err       float64 `json:"err"`
	// Bound is 2·err_iiv − max|V_c|·τ − δ (Theorem 1's, at τ = 1/min|E_c|).
	Bound      float64 `json:"bound"`
	BoundHolds bool    `json:"bound_holds"`
	// Opt and MCBound: Theorem 3 (pure multiple choice, one valid option).
	MultipleChoice bool                   `json:"multiple_choice"`
	Opt            float64                `json:"opt_err_iiv,omitempty"`
	MCBound        float64                `json:"mc_bound,omitempty"`
	Choices        *instances.ChoiceStats `json:"choices,omitempty"`
	Notes          []string               `json:"notes"`
}

// runDeltaChoices measures δ at τ on multiple-choice items, scored on the
// endpoint by echo or by letter probabilities, through iiv's one
// computation of δ, err_iiv and the bounds.
func runDeltaChoices(ctx context.Context, o deltaOptions, tau float64, stdout io.Writer) error {
	var inputs []provenance.Input
	var sets []instances.CandidateSet
	err := readInput(o.choices, &inputs, func(r io.Reader) (err error) {
		switch o.choicesFormat {
		case "mc":
			sets, _, err = instances.ReadMultipleChoice(r, o.choices, evallog.Limits{})
		case "candidates":
			sets, err = instances.ReadCandidates(r, o.choices, evallog.Limits{})
		default:
			err = usagef("--choices-format %q: want mc or candidates", o.choicesFormat)
		}
		return err
	})
	if err != nil {
		return err
	}
	if len(sets) == 0 {
		return fmt.Errorf("delta: %s holds no item", o.choices)
	}
	if o.limit > 0 && o.limit < len(sets) {
		sets = sets[:o.limit]
	}
	client, _, closeEndpoint, err := openEndpoint(o.baseURL, o.apiKeyEnv, o.cache, "hallu-delta.cache.db", o.noCache, o.client)
	if err != nil {
		return err
	}
	defer closeEndpoint()
	scored, err := instances.ScoreEndpoint[iiv.Float](ctx, sets, *o.scoring.endpoint(client, o.model, o.seed), instances.ScoreOptions{Workers: o.client.concurrency})
	if err != nil {
		return fmt.Errorf("delta: %s: %w", o.choices, optionUsage(err))
	}
	scored.Notes = flagNotes("delta", scored.Notes)
	var acc iiv.Accumulator[iiv.Float]
	for _, r := range scored.Rows {
		if err := acc.Add(r); err != nil {
			return fmt.Errorf("delta: %s: %w", o.choices, err)
		}
	}
	res, err := acc.Result(iiv.Float(tau))
	if err != nil {
		return fmt.Errorf("delta: %s: %w", o.choices, err)
	}
	th := res.Thresholds[0]
	out := deltaChoicesResult{Method: string(scored.Method), Threshold: tau, Sets: len(sets), Contexts: res.Contexts,
		PhatA: th.PhatA.Float64(), PA: th.PA.Float64(), Delta: th.Delta.Float64(), ErrIIV: th.ErrIIV.Float64(),
		Err: res.Err.Float64(), Bound: th.Bound.Float64(), BoundHolds: th.BoundHolds,
		MultipleChoice: res.MultipleChoice, Choices: scored.Choices, Notes: scored.Notes}
	if res.MultipleChoice {
		out.Opt, out.MCBound = res.Opt.Float64(), res.MCBound.Float64()
	}
	if o.json {
		params := map[string]any{"base_url": llm.RedactURL(o.baseURL), "model": o.model, "choices": o.choices, "choices_format": o.choicesFormat,
			"threshold": tau, "limit": o.limit, "seed": o.seed, "method": scored.Method, "labels": o.scoring.labels,
			"top_logprobs": o.scoring.topLogprobs}
		return provenance.WriteJSON(stdout, provenance.NewEnvelope("delta", params, out, inputs...))
	}
	return renderDeltaChoices(stdout, &out)
}

func renderDeltaChoices(w io.Writer, r *deltaChoicesResult) error {
	how := map[string]string{"echo": "by echo", "letters": "by letter probabilities"}[r.Method]
	t := report.Table{
		Title:  fmt.Sprintf("δ at τ = %s over %d of %d multiple-choice items, %s (arXiv:2509.04664, Section 3.2)", report.F(r.Threshold), r.Contexts, r.Sets, how),
		Header: []string{"quantity", "value", "meaning"},
	}
	t.AddRow("p̂(A)", fmt.Sprintf("%.4f", r.PhatA), "model mass on options with p̂ > τ")
	t.AddRow("p(A)", fmt.Sprintf("%.4f", r.PA), "reference mass on those options")
	t.AddRow("δ = |p̂(A) − p(A)|", fmt.Sprintf("%.4f", r.Delta), "calibration term of Corollary 1 and Theorem 1")
	t.AddRow("err_iiv", fmt.Sprintf("%.4f", r.ErrIIV), "Is-It-Valid error of the classifier p̂ > τ (Eq. 2)")
	t.AddRow("err", fmt.Sprintf("%.4f", r.Err), "model mass on wrong options")
	if r.BoundHolds {
		t.AddRow("2·err_iiv − max|V_c|·τ − δ", fmt.Sprintf("%.4f", r.Bound), "Theorem 1's lower bound on err")
	}
	if r.MultipleChoice {
		t.AddRow("2(1 − 1/C)·opt", fmt.Sprintf("%.4f", r.MCBound), fmt.Sprintf("Theorem 3's lower bound on err (opt err_iiv %.4f)", r.Opt))
	}
	t.Notes = r.Notes
	return t.Render(w)
}
