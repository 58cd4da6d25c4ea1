package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/hallu-dev/hallu/iiv"
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

// scoredSets is an instance scored on an endpoint, with what reports say
// about how.
type scoredSets[T iiv.Scalar[T]] struct {
	rows    []iiv.Row[T]
	method  string
	notes   []string
	choices *instances.ChoiceStats
}

// scoreSets checks that the endpoint can score by the method asked (auto:
// echo if it can, else letters) before any scoring request, then scores.
func scoreSets[T iiv.Scalar[T]](ctx context.Context, sets []instances.CandidateSet, client *llm.Client, model string, m methodOptions, seed uint64, sopt instances.ScoreOptions) (scoredSets[T], error) {
	var out scoredSets[T]
	if m.labels != string(instances.Letters) && m.labels != string(instances.OptionText) {
		return out, usagef("--labels %q: want letters or options", m.labels)
	}
	if m.topLogprobs < 0 {
		return out, usagef("--top-logprobs must be ≥ 0")
	}
	switch m.method {
	case "echo":
		if err := client.Require(ctx, model, llm.MeasureEchoScore); err != nil {
			return out, err
		}
	case "letters":
		if err := client.Require(ctx, model, llm.MeasureLetters); err != nil {
			return out, err
		}
	case "auto":
		echoErr := client.Require(ctx, model, llm.MeasureEchoScore)
		var noEcho, noLetters *llm.MissingError
		if echoErr == nil {
			m.method = "echo"
			break
		}
		if !errors.As(echoErr, &noEcho) {
			return out, echoErr
		}
		lettersErr := client.Require(ctx, model, llm.MeasureLetters)
		if errors.As(lettersErr, &noLetters) {
			return out, fmt.Errorf("the endpoint can score candidates neither by echo (%s: %s) nor by letter probabilities (%s: %s); hallu serve and vLLM echo, and OpenAI, vLLM, llama.cpp, Ollama ≥ 0.12.11, SGLang and TGI give chat top_logprobs (hallu probe checks an endpoint)",
				noEcho.Finding.Capability, noEcho.Finding.Detail, noLetters.Finding.Capability, noLetters.Finding.Detail)
		}
		if lettersErr != nil {
			return out, lettersErr
		}
		m.method = "letters"
		out.notes = append(out.notes, fmt.Sprintf("--method auto chose letters: the endpoint lacks %s (%s).", noEcho.Finding.Capability, noEcho.Finding.Detail))
	default:
		return out, usagef("--method %q: want auto, echo or letters", m.method)
	}
	out.method = m.method
	if m.method == "letters" {
		f, err := client.Probe(ctx, model, llm.ChatTopLogprobs)
		if err != nil {
			return out, err
		}
		switch {
		case m.topLogprobs == 0:
			m.topLogprobs = min(20, f.TopLogprobs)
		case f.Known && m.topLogprobs > f.TopLogprobs:
			return out, usagef("--top-logprobs %d: the endpoint returned %d alternatives when probed (%s); ask for at most that", m.topLogprobs, f.TopLogprobs, f.Detail)
		}
	}
	var err error
	if m.method == "echo" {
		out.rows, err = instances.Score[T](ctx, sets, instances.EndpointScorer{Client: client, Model: model}, sopt)
		out.notes = append(out.notes, fmt.Sprintf("p̂(r|c) is the softmax over each context's candidates of ln p̂(candidate | context) from model %q, read from echoed prompt log-probabilities: the model's distribution restricted to the candidate set, not over all answers.", model))
		return out, err
	}
	cs := instances.ChoiceScorer{Client: client, Model: model, TopLogprobs: m.topLogprobs, Labels: instances.Labels(m.labels), Seed: seed}
	rows, st, err := instances.ScoreChoices[T](ctx, sets, cs, sopt)
	if err != nil {
		return out, err
	}
	out.rows, out.choices = rows, &st
	how := "each option listed under a letter (order drawn from --seed), the letter's probability read"
	if cs.Labels == instances.OptionText {
		how = "the option's own text read as the first token"
	}
	out.notes = append(out.notes,
		fmt.Sprintf("p̂(r|c) is model %q's first-token probability over the options in one chat reply (max_tokens 1, top_logprobs %d; %s), renormalised over the options: not the probability of the whole answer (see docs/endpoints.md).", model, m.topLogprobs, how),
		fmt.Sprintf("First-token mass outside the options, removed by renormalising: mean %.4f, largest %.4f over %d sets.", st.OutsideMean, st.OutsideMax, st.Used))
	if st.Used < st.Sets {
		out.notes = append(out.notes, "Left out: "+st.Summary()+".")
	}
	return out, nil
}
