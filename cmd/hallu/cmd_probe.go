package main

import (
	"context"
	"io"

	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/llm"
	"github.com/hallu-dev/hallu/report"
	"github.com/spf13/cobra"
)

const probeLong = `probe asks an OpenAI-compatible endpoint a handful of small questions
(max_tokens at most 4; about ten requests, none of them retried or cached)
and prints what it supports and which of hallu's measurements it therefore
allows:

  models              GET /models lists models (and which server it looks like)
  chat                POST /chat/completions answers
  chat top_logprobs   logprobs true with top_logprobs 20 (else 5) returns that
                      many alternatives for the first generated token
  completions         POST /completions (the legacy endpoint) answers
  echo with logprobs  echo, logprobs 0, max_tokens 0 returns the prompt's tokens
                      with their log-probabilities, readable as hallu reads them
  n on completions    n 2 returns two choices
  seed                two chat requests at temperature 1 with one seed agree
  prompt_logprobs     vLLM's prompt_logprobs extension answers

An HTTP 200 proves nothing by itself (most servers ignore fields they do not
know), so each check reads the reply. hallu run, delta and bound --from make
the checks their measurement needs before their first request, and stop
naming the missing capability and what to use instead.`

type probeOptions struct {
	baseURL, model, apiKeyEnv string
	client                    clientOptions
	json                      bool
}

func newProbeCmd() *cobra.Command {
	var o probeOptions
	cmd := &cobra.Command{
		Use:   "probe --base-url URL [--model M]",
		Short: "Find out what an OpenAI-compatible endpoint supports and which measurements it allows",
		Long:  probeLong,
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("base-url") {
				return usagef("probe: --base-url is required")
			}
			return runProbe(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.baseURL, "base-url", "", "API root of the endpoint, e.g. http://127.0.0.1:8080/v1")
	f.StringVar(&o.model, "model", "", "model to probe (default: the first the endpoint lists)")
	f.StringVar(&o.apiKeyEnv, "api-key-env", "", "environment variable holding the API key (default OPENAI_API_KEY, optional)")
	f.BoolVar(&o.json, "json", false, "print JSON")
	o.client.concurrency = 1
	return cmd
}

func runProbe(ctx context.Context, o probeOptions, stdout io.Writer) error {
	client, err := newClient(o.baseURL, o.apiKeyEnv, nil, o.client)
	if err != nil {
		return err
	}
	defer client.Close()
	res := report.Probe{BaseURL: llm.RedactURL(o.baseURL), Model: o.model}
	byCap := map[llm.Capability]llm.Finding{}
	for _, c := range llm.AllCapabilities {
		f, err := client.Probe(ctx, res.Model, c)
		if err != nil {
			return err
		}
		if c == llm.Models {
			res.Server = f.Server
			if res.Model == "" {
				if len(f.Models) == 0 {
					return usagef("probe: %s lists no model (%s); name one with --model", llm.RedactURL(o.baseURL), f.Detail)
				}
				res.Model = f.Models[0]
			}
		}
		byCap[c] = f
		res.Findings = append(res.Findings, f)
	}
	for _, m := range probeMeasurements {
		mr := report.ProbeMeasurement{Measurement: m, Possible: true}
		for _, need := range m.Needs {
			switch f := byCap[need]; {
			case !f.Known:
				mr.Unknown = append(mr.Unknown, need)
			case !f.Supported:
				mr.Missing = append(mr.Missing, need)
				mr.Possible = false
			}
		}
		res.Measurements = append(res.Measurements, mr)
	}
	if o.json {
		params := map[string]any{"base_url": llm.RedactURL(o.baseURL), "model": res.Model}
		return provenance.WriteJSON(stdout, provenance.NewEnvelope("probe", params, res))
	}
	return report.WriteProbeText(stdout, &res)
}
