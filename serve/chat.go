package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// chatRequest is the body of POST /v1/chat/completions.
type chatRequest struct {
	samplingRequest
	Messages            []chatMessage   `json:"messages"`
	MaxTokens           *int            `json:"max_tokens"`
	MaxCompletionTokens *int            `json:"max_completion_tokens"`
	Logprobs            bool            `json:"logprobs"`
	TopLogprobs         *int            `json:"top_logprobs"`
	Tools               json.RawMessage `json:"tools"`
	Functions           json.RawMessage `json:"functions"`
	ResponseFormat      *struct {
		Type string `json:"type"`
	} `json:"response_format"`
}

type chatMessage struct {
	Role      string          `json:"role"`
	Content   json.RawMessage `json:"content"`
	ToolCalls json.RawMessage `json:"tool_calls"`
}

// roleNames are the speaker labels of the rendered chat prompt.
var roleNames = map[string]string{"system": "System", "developer": "Developer", "user": "User", "assistant": "Assistant"}

// renderChat renders messages as the prompt the model continues (see the
// package documentation).
func renderChat(msgs []chatMessage) (string, error) {
	if len(msgs) == 0 {
		return "", badParam("messages", "messages must not be empty")
	}
	var b strings.Builder
	for i, m := range msgs {
		param := fmt.Sprintf("messages[%d]", i)
		name, ok := roleNames[m.Role]
		if !ok {
			return "", badParam(param+".role", "role %q is not supported; use system, developer, user or assistant", m.Role)
		}
		if len(m.ToolCalls) > 0 && string(m.ToolCalls) != "null" && string(m.ToolCalls) != "[]" {
			return "", badParam(param+".tool_calls", "tool calls are not supported by this server")
		}
		text, err := messageText(param+".content", m.Content)
		if err != nil {
			return "", err
		}
		b.WriteString(name + ": " + text + "\n\n")
	}
	b.WriteString("Assistant:")
	return b.String(), nil
}

// messageText accepts a string or a list of text parts.
func messageText(param string, raw json.RawMessage) (string, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var parts []struct {
		Type string  `json:"type"`
		Text *string `json:"text"`
	}
	if err := json.Unmarshal(raw, &parts); err != nil {
		return "", badParam(param, "content must be a string or a list of text parts")
	}
	var texts []string
	for i, p := range parts {
		if p.Type != "text" || p.Text == nil {
			return "", badParam(fmt.Sprintf("%s[%d]", param, i), "content part of type %q is not supported; only text", p.Type)
		}
		texts = append(texts, *p.Text)
	}
	return strings.Join(texts, "\n"), nil
}

type chatTokenLogprob struct {
	Token       string           `json:"token"`
	Logprob     float64          `json:"logprob"`
	Bytes       []int            `json:"bytes"`
	TopLogprobs []chatTopLogprob `json:"top_logprobs"`
}

type chatTopLogprob struct {
	Token   string  `json:"token"`
	Logprob float64 `json:"logprob"`
	Bytes   []int   `json:"bytes"`
}

type chatChoice struct {
	Index   int `json:"index"`
	Message struct {
		Role    string  `json:"role"`
		Content string  `json:"content"`
		Refusal *string `json:"refusal"`
	} `json:"message"`
	Logprobs     *chatLogprobs `json:"logprobs"`
	FinishReason string        `json:"finish_reason"`
}

type chatLogprobs struct {
	Content []chatTokenLogprob `json:"content"`
	Refusal *string            `json:"refusal"`
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) error {
	var req chatRequest
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	if err := s.checkModel(req.Model); err != nil {
		return err
	}
	text, err := renderChat(req.Messages)
	if err != nil {
		return err
	}
	opt, n, stops, err := req.parse()
	if err != nil {
		return err
	}
	switch {
	case len(req.Tools) > 0 && string(req.Tools) != "null" && string(req.Tools) != "[]":
		return badParam("tools", "tools are not supported by this server")
	case len(req.Functions) > 0 && string(req.Functions) != "null" && string(req.Functions) != "[]":
		return badParam("functions", "functions are not supported by this server")
	case req.ResponseFormat != nil && req.ResponseFormat.Type != "text":
		return badParam("response_format", "response_format %q is not supported; only text", req.ResponseFormat.Type)
	case req.MaxTokens != nil && req.MaxCompletionTokens != nil && *req.MaxTokens != *req.MaxCompletionTokens:
		return badParam("max_tokens", "max_tokens and max_completion_tokens differ; send one")
	}
	limit, param := req.MaxCompletionTokens, "max_completion_tokens"
	if limit == nil {
		limit, param = req.MaxTokens, "max_tokens"
	}
	l := s.state().limits
	maxTokens, err := s.parseMaxTokens(param, limit, l.maxTokens)
	if err != nil {
		return err
	}
	topK := -1
	if req.Logprobs {
		topK = 0
	}
	if req.TopLogprobs != nil {
		if !req.Logprobs {
			return badParam("top_logprobs", "top_logprobs requires logprobs true")
		}
		if err := parseTopLogprobs("top_logprobs", *req.TopLogprobs); err != nil {
			return err
		}
		topK = *req.TopLogprobs
	}
	p := s.promptFromText(text)
	wk := work{prompts: 1, n: n, promptTokens: []int{len(p.tokens)}, maxTokens: maxTokens, logprobs: topK >= 0}
	if err := l.check(wk); err != nil {
		if ae, ok := err.(*apiError); ok && ae.Param == "prompt" {
			ae.Param = "messages"
		}
		return err
	}
	ctx := r.Context()
	rep := reply{limit: l.replyBytes}
	rep.begin(responseHead{ID: responseID("chatcmpl"), Object: "chat.completion", Created: time.Now().Unix(), Model: s.ModelID})
	u := usage{PromptTokens: len(p.tokens)}
	for i := range n {
		if err := ctx.Err(); err != nil {
			return err
		}
		o := opt
		o.Stream = uint64(i)
		// The reply starts fresh: no space before its first word.
		c, err := s.generate(ctx, p.history(), "", sampling{maxTokens: maxTokens, opt: o, stops: stops, topK: topK})
		if err != nil {
			return err
		}
		u.CompletionTokens += len(c.pieces)
		var choice chatChoice
		choice.Index, choice.FinishReason = i, c.finish
		choice.Message.Role, choice.Message.Content = "assistant", c.text
		if topK >= 0 {
			choice.Logprobs = &chatLogprobs{Content: chatTokens(c.pieces)}
		}
		if err := rep.choice(choice); err != nil {
			return err
		}
	}
	u.TotalTokens = u.PromptTokens + u.CompletionTokens
	body, err := rep.end(u)
	if err != nil {
		return err
	}
	return send(w, body)
}

func chatTokens(pieces []piece) []chatTokenLogprob {
	out := make([]chatTokenLogprob, len(pieces))
	for i, pc := range pieces {
		top := make([]chatTopLogprob, len(pc.top))
		for j, a := range pc.top {
			top[j] = chatTopLogprob{Token: a.text, Logprob: a.logprob, Bytes: byteList(a.text)}
		}
		out[i] = chatTokenLogprob{Token: pc.text, Logprob: pc.logprob, Bytes: byteList(pc.text), TopLogprobs: top}
	}
	return out
}

// byteList is the UTF-8 bytes of a token as the JSON array of integers that
// OpenAI sends (a []byte would encode as base64).
func byteList(s string) []int {
	out := make([]int, len(s))
	for i := range len(s) {
		out[i] = int(s[i])
	}
	return out
}
