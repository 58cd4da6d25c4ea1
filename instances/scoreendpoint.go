package instances

import (
	"context"
	"errors"
	"fmt"

	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/llm"
)

// The measurements ScoreEndpoint makes, one per Method, with what to use
// when the endpoint lacks a capability one needs.
var (
	MeasureEcho = llm.Measurement{Name: "scores of given answers by echo", Needs: []llm.Capability{llm.Completions, llm.Echo},
		Instead: "if the endpoint has chat top_logprobs, use Endpoint.Method letters (option probabilities from the first generated token); probing the endpoint says which it has"}
	MeasureLetters = llm.Measurement{Name: "δ and err_iiv by letter probabilities", Needs: []llm.Capability{llm.Chat, llm.ChatTopLogprobs},
		Instead: "if the endpoint echoes prompt log-probabilities on /completions, use Endpoint.Method echo; probing the endpoint says which it has"}
)

// Method says how an Endpoint scores candidate sets.
type Method string

const (
	// MethodAuto takes MethodEcho when the endpoint has it, else
	// MethodLetters.
	MethodAuto Method = "auto"
	// MethodEcho scores each whole candidate by its log-probability after
	// the context (EndpointScorer: /completions with echo).
	MethodEcho Method = "echo"
	// MethodLetters reads first-token probabilities of the options from
	// one chat reply's top_logprobs (ChoiceScorer).
	MethodLetters Method = "letters"
)

// An Endpoint is a model behind an OpenAI-compatible endpoint that scores
// candidate sets, and how it scores them.
type Endpoint struct {
	Client *llm.Client
	Model  string
	// Method is how (default MethodAuto).
	Method Method
	// Labels, TopLogprobs and Seed configure MethodLetters as they do
	// ChoiceScorer; TopLogprobs 0 asks for as many alternatives as the
	// endpoint returned when probed, at most 20.
	Labels      Labels
	TopLogprobs int
	Seed        uint64
}

// Scored is an instance scored on an endpoint, with what reports say
// about how.
type Scored[T iiv.Scalar[T]] struct {
	Rows []iiv.Row[T]
	// Method is the method used (MethodAuto resolved).
	Method Method
	// Notes say what p̂ is, and what was left out.
	Notes []string
	// Choices counts what MethodLetters read; nil under MethodEcho.
	Choices *ChoiceStats
}

// validate checks e's options without asking the endpoint anything.
func (e *Endpoint) validate() error {
	if e.Labels == "" {
		e.Labels = Letters
	}
	if e.Method == "" {
		e.Method = MethodAuto
	}
	switch {
	case e.Labels != Letters && e.Labels != OptionText:
		return &OptionError{"Labels", fmt.Sprintf("%q: want letters or options", string(e.Labels))}
	case e.TopLogprobs < 0:
		return &OptionError{"TopLogprobs", "must be ≥ 0"}
	case e.Method != MethodAuto && e.Method != MethodEcho && e.Method != MethodLetters:
		return &OptionError{"Method", fmt.Sprintf("%q: want auto, echo or letters", string(e.Method))}
	}
	return nil
}

// ScoreEndpoint checks that the endpoint can score by e.Method (auto: echo
// if it can, else letters) before any scoring request, then scores the
// sets: by Score with an EndpointScorer (echo) or by ScoreChoices with a
// ChoiceScorer (letters).
func ScoreEndpoint[T iiv.Scalar[T]](ctx context.Context, sets []CandidateSet, e Endpoint, opt ScoreOptions) (Scored[T], error) {
	var out Scored[T]
	if err := e.validate(); err != nil {
		return out, err
	}
	client, model := e.Client, e.Model
	switch e.Method {
	case MethodEcho:
		if err := client.Require(ctx, model, MeasureEcho); err != nil {
			return out, err
		}
	case MethodLetters:
		if err := client.Require(ctx, model, MeasureLetters); err != nil {
			return out, err
		}
	case MethodAuto:
		echoErr := client.Require(ctx, model, MeasureEcho)
		var noEcho, noLetters *llm.MissingError
		if echoErr == nil {
			e.Method = MethodEcho
			break
		}
		if !errors.As(echoErr, &noEcho) {
			return out, echoErr
		}
		lettersErr := client.Require(ctx, model, MeasureLetters)
		if errors.As(lettersErr, &noLetters) {
			return out, fmt.Errorf("the endpoint can score candidates neither by echo (%s: %s) nor by letter probabilities (%s: %s); hallu serve and vLLM echo, and OpenAI, vLLM, llama.cpp, Ollama ≥ 0.12.11, SGLang and TGI give chat top_logprobs (hallu probe checks an endpoint)",
				noEcho.Finding.Capability, noEcho.Finding.Detail, noLetters.Finding.Capability, noLetters.Finding.Detail)
		}
		if lettersErr != nil {
			return out, lettersErr
		}
		e.Method = MethodLetters
		out.Notes = append(out.Notes, fmt.Sprintf("Endpoint.Method auto chose letters: the endpoint lacks %s (%s).", noEcho.Finding.Capability, noEcho.Finding.Detail))
	}
	out.Method = e.Method
	if e.Method == MethodLetters {
		f, err := client.Probe(ctx, model, llm.ChatTopLogprobs)
		if err != nil {
			return out, err
		}
		switch {
		case e.TopLogprobs == 0:
			e.TopLogprobs = min(20, f.TopLogprobs)
		case f.Known && e.TopLogprobs > f.TopLogprobs:
			return out, &OptionError{"TopLogprobs", fmt.Sprintf("%d: the endpoint returned %d alternatives when probed (%s); ask for at most that", e.TopLogprobs, f.TopLogprobs, f.Detail)}
		}
	}
	var err error
	if e.Method == MethodEcho {
		out.Rows, err = Score[T](ctx, sets, EndpointScorer{Client: client, Model: model}, opt)
		out.Notes = append(out.Notes, fmt.Sprintf("p̂(r|c) is the softmax over each context's candidates of ln p̂(candidate | context) from model %q, read from echoed prompt log-probabilities: the model's distribution restricted to the candidate set, not over all answers.", model))
		return out, err
	}
	cs := ChoiceScorer{Client: client, Model: model, TopLogprobs: e.TopLogprobs, Labels: e.Labels, Seed: e.Seed}
	rows, st, err := ScoreChoices[T](ctx, sets, cs, opt)
	if err != nil {
		return out, err
	}
	out.Rows, out.Choices = rows, &st
	how := "each option listed under a letter (order drawn from Endpoint.Seed), the letter's probability read"
	if cs.Labels == OptionText {
		how = "the option's own text read as the first token"
	}
	out.Notes = append(out.Notes,
		fmt.Sprintf("p̂(r|c) is model %q's first-token probability over the options in one chat reply (max_tokens 1, top_logprobs %d; %s), renormalised over the options: not the probability of the whole answer (see docs/endpoints.md).", model, e.TopLogprobs, how),
		fmt.Sprintf("First-token mass outside the options, removed by renormalising: mean %.4f, largest %.4f over %d sets.", st.OutsideMean, st.OutsideMax, st.Used))
	if st.Used < st.Sets {
		out.Notes = append(out.Notes, "Left out: "+st.Summary()+".")
	}
	return out, nil
}
