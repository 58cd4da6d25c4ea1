package llm

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// APIError is a reply with a non-2xx status. Message is the server's
// explanation, from OpenAI's error shape {"error":{"message","type","code"}}
// when the body has it, else the start of the body.
type APIError struct {
	Method     string
	Endpoint   string // URL without user info or query
	StatusCode int
	Type       string
	Code       string
	Message    string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.Endpoint, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Type != "" {
		b.WriteString(" (" + e.Type + ")")
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	return b.String()
}

// ErrMalformed marks a 2xx reply whose body is not a usable answer: not
// JSON, cut short, or without choices. Such replies are retried and never
// cached.
var ErrMalformed = errors.New("malformed response")

// maxErrorText bounds how much of a non-JSON error body goes into an
// APIError's Message.
const maxErrorText = 200

// newAPIError builds the error for a non-2xx reply, with secret removed from
// every text the server sent.
func newAPIError(method, endpoint string, status int, body []byte, secret string) *APIError {
	e := &APIError{Method: method, Endpoint: endpoint, StatusCode: status}
	var shape struct {
		Error *struct {
			Message string `json:"message"`
			Type    string `json:"type"`
			Code    any    `json:"code"` // a string at OpenAI, a number at some servers
		} `json:"error"`
	}
	if json.Unmarshal(body, &shape) == nil && shape.Error != nil {
		e.Message, e.Type = shape.Error.Message, shape.Error.Type
		if shape.Error.Code != nil {
			e.Code = fmt.Sprint(shape.Error.Code)
		}
	} else {
		e.Message = truncate(redact(strings.TrimSpace(string(body)), secret), maxErrorText)
	}
	e.Message = redact(e.Message, secret)
	e.Type = redact(e.Type, secret)
	e.Code = redact(e.Code, secret)
	return e
}

// truncate cuts s to at most n bytes at a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// redact replaces every occurrence of secret in s. Servers that reject a
// key sometimes quote it back.
func redact(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "[redacted]")
}
