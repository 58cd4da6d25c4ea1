package main

import (
	"errors"

	"github.com/hallu-dev/hallu/instances"
	"github.com/hallu-dev/hallu/llm"
	"github.com/spf13/cobra"
)

// methodOptions choose how candidate sets are scored on an endpoint.
type methodOptions struct {
	method, labels string
	topLogprobs    int
}

func (m *methodOptions) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&m.method, "method", "auto", "how the endpoint scores candidates: echo (log-probability of each whole candidate, /completions with echo), letters (first-token probabilities of the options from chat top_logprobs), or auto (echo if the endpoint has it, else letters)")
	f.StringVar(&m.labels, "labels", "letters", "letters: options listed as A., B., … and the letter's probability read; options: the option's own text read as the first token (one-token options)")
	f.IntVar(&m.topLogprobs, "top-logprobs", 0, "letters: alternatives asked for per reply (0: as many as the endpoint returns, at most 20)")
}

// endpoint is the model at client that scores candidate sets as the flags
// say; seed draws the options' order under --method letters.
func (m *methodOptions) endpoint(client *llm.Client, model string, seed uint64) *instances.Endpoint {
	return &instances.Endpoint{Client: client, Model: model, Method: instances.Method(m.method),
		Labels: instances.Labels(m.labels), TopLogprobs: m.topLogprobs, Seed: seed}
}

// optionFlags name the flag of each option of instances.Build and
// instances.Endpoint that a command sets.
var optionFlags = map[string]string{"Format": "--from", "Limit": "--limit", "CoDExSplit": "--codex-split",
	"Method": "--method", "Labels": "--labels", "TopLogprobs": "--top-logprobs"}

// optionUsage makes an *instances.OptionError a usage error naming its
// flag; other errors pass unchanged.
func optionUsage(err error) error {
	var oe *instances.OptionError
	if errors.As(err, &oe) {
		if flag, ok := optionFlags[oe.Field]; ok {
			return usagef("%s %s", flag, oe.Msg)
		}
	}
	return err
}
