package main

import (
	"context"
	"fmt"
	"io"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/instances"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/llm"
	"github.com/hallu-dev/hallu/report"
)

// runDeltaChoices measures δ at τ on multiple-choice items, scored on the
// endpoint by echo or by letter probabilities, through iiv's one
// computation of δ, err_iiv and the bounds.
func runDeltaChoices(ctx context.Context, o deltaOptions, tau float64, stdout io.Writer) error {
	var sets []instances.CandidateSet
	in, err := input.Read(o.choices, func(r io.Reader) (err error) {
		switch o.choicesFormat {
		case "mc":
			sets, _, err = instances.ReadMultipleChoice(r, o.choices, evallog.Limits{MaxLine: o.maxLine})
		case "candidates":
			sets, err = instances.ReadCandidates(r, o.choices, evallog.Limits{MaxLine: o.maxLine})
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
	out := report.DeltaChoices{Method: string(scored.Method), Threshold: tau, Sets: len(sets), Contexts: res.Contexts,
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
		return provenance.WriteJSON(stdout, provenance.NewEnvelope("delta", params, out, in))
	}
	return report.WriteDeltaChoicesText(stdout, &out)
}
