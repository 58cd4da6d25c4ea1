package serve

import (
	"encoding/json"
	"net/http"
	"time"
)

// completionRequest is the body of POST /v1/completions.
type completionRequest struct {
	samplingRequest
	Prompt    json.RawMessage `json:"prompt"`
	MaxTokens *int            `json:"max_tokens"`
	Logprobs  *int            `json:"logprobs"`
	Echo      bool            `json:"echo"`
	Suffix    *string         `json:"suffix"`
	BestOf    *int            `json:"best_of"`
}

// completionLogprobs is the legacy logprobs object of a completion choice.
type completionLogprobs struct {
	Tokens        []string             `json:"tokens"`
	TokenLogprobs []float64            `json:"token_logprobs"`
	TopLogprobs   []map[string]float64 `json:"top_logprobs"`
	TextOffset    []int                `json:"text_offset"`
}

type completionChoice struct {
	Text         string              `json:"text"`
	Index        int                 `json:"index"`
	Logprobs     *completionLogprobs `json:"logprobs"`
	FinishReason string              `json:"finish_reason"`
}

// defaultCompletionTokens is OpenAI's default max_tokens for completions.
const defaultCompletionTokens = 16

func (s *Server) completions(w http.ResponseWriter, r *http.Request) error {
	var req completionRequest
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	if err := s.checkModel(req.Model); err != nil {
		return err
	}
	l := s.state().limits
	prompts, err := s.parsePrompts(req.Prompt, l)
	if err != nil {
		return err
	}
	opt, n, stops, err := req.parse()
	if err != nil {
		return err
	}
	switch {
	case req.Suffix != nil && *req.Suffix != "":
		return badParam("suffix", "suffix is not supported by this server")
	case req.BestOf != nil && *req.BestOf != n:
		return badParam("best_of", "best_of %d differs from n %d; this server does not rank candidates", *req.BestOf, n)
	}
	maxTokens, err := s.parseMaxTokens("max_tokens", req.MaxTokens, defaultCompletionTokens)
	if err != nil {
		return err
	}
	topK := -1
	if req.Logprobs != nil {
		if err := parseTopLogprobs("logprobs", *req.Logprobs); err != nil {
			return err
		}
		topK = *req.Logprobs
	}
	wk := work{prompts: len(prompts), n: n, maxTokens: maxTokens, echo: req.Echo, logprobs: topK >= 0}
	for _, p := range prompts {
		wk.promptTokens = append(wk.promptTokens, len(p.tokens))
		wk.promptBytes = append(wk.promptBytes, len(p.text))
	}
	if err := l.check(wk); err != nil {
		return err
	}
	ctx := r.Context()
	rep := reply{limit: l.replyBytes}
	rep.begin(responseHead{ID: responseID("cmpl"), Object: "text_completion", Created: time.Now().Unix(), Model: s.ModelID})
	var u usage
	for j, p := range prompts {
		var echoed []piece
		if req.Echo && topK >= 0 {
			if echoed, err = s.scorePrompt(ctx, p, topK); err != nil {
				return err
			}
		}
		u.PromptTokens += len(p.tokens)
		for i := range n {
			if err := ctx.Err(); err != nil {
				return err
			}
			o := opt
			o.Stream = uint64(j*n + i)
			c, err := s.generate(ctx, p.history(), p.prevWord(),
				sampling{maxTokens: maxTokens, opt: o, stops: stops, topK: topK, withChosen: true})
			if err != nil {
				return err
			}
			u.CompletionTokens += len(c.pieces)
			choice := completionChoice{Text: c.text, Index: j*n + i, FinishReason: c.finish}
			shift := 0
			if req.Echo {
				choice.Text, shift = p.text+c.text, len(p.text)
			}
			if topK >= 0 {
				choice.Logprobs = legacyLogprobs(echoed, c.pieces, shift)
			}
			if err := rep.choice(choice); err != nil {
				return err
			}
		}
	}
	u.TotalTokens = u.PromptTokens + u.CompletionTokens
	body, err := rep.end(u)
	if err != nil {
		return err
	}
	return send(w, body)
}

// legacyLogprobs lays out the prompt's pieces (when echoed) and the
// completion's, whose offsets are shifted past the echoed prompt.
func legacyLogprobs(prompt, gen []piece, shift int) *completionLogprobs {
	lp := &completionLogprobs{
		Tokens:        make([]string, 0, len(prompt)+len(gen)),
		TokenLogprobs: make([]float64, 0, len(prompt)+len(gen)),
		TopLogprobs:   make([]map[string]float64, 0, len(prompt)+len(gen)),
		TextOffset:    make([]int, 0, len(prompt)+len(gen)),
	}
	add := func(pc piece, offset int) {
		lp.Tokens = append(lp.Tokens, pc.text)
		lp.TokenLogprobs = append(lp.TokenLogprobs, pc.logprob)
		lp.TextOffset = append(lp.TextOffset, offset)
		top := make(map[string]float64, len(pc.top))
		for _, a := range pc.top {
			top[a.text] = a.logprob
		}
		lp.TopLogprobs = append(lp.TopLogprobs, top)
	}
	for _, pc := range prompt {
		add(pc, pc.offset)
	}
	for _, pc := range gen {
		add(pc, pc.offset+shift)
	}
	return lp
}

// parsePrompts accepts a string, a list of strings, a list of token ids or
// a list of lists of token ids. It refuses more prompts than the limits
// allow choices, and more token ids than they allow prompt tokens, before
// building the prompts.
func (s *Server) parsePrompts(raw json.RawMessage, l limits) ([]prompt, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, badParam("prompt", "prompt is required")
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []prompt{s.promptFromText(one)}, nil
	}
	var texts []string
	if json.Unmarshal(raw, &texts) == nil && len(texts) > 0 {
		if err := l.checkPromptCount(len(texts)); err != nil {
			return nil, err
		}
		out := make([]prompt, len(texts))
		for i, t := range texts {
			out[i] = s.promptFromText(t)
		}
		return out, nil
	}
	var ids []int64
	if json.Unmarshal(raw, &ids) == nil && len(ids) > 0 {
		if len(ids) > l.promptTokens {
			return nil, l.promptTooLong()
		}
		p, err := s.promptFromIDs("prompt", ids)
		return []prompt{p}, err
	}
	var lists [][]int64
	if json.Unmarshal(raw, &lists) == nil && len(lists) > 0 {
		if err := l.checkPromptCount(len(lists)); err != nil {
			return nil, err
		}
		total := 0
		for _, ids := range lists {
			if total += len(ids); total > l.promptTokens {
				return nil, l.promptTooLong()
			}
		}
		out := make([]prompt, len(lists))
		for i, ids := range lists {
			p, err := s.promptFromIDs("prompt", ids)
			if err != nil {
				return nil, err
			}
			out[i] = p
		}
		return out, nil
	}
	return nil, badParam("prompt", "prompt must be a string, a non-empty list of strings, a list of token ids or a list of lists of token ids")
}
