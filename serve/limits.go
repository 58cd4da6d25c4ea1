package serve

import (
	"net/http"
	"strconv"
)

// Defaults for the limits of a Server whose fields are zero. Together they
// bound what one request may cost (see the package documentation, "Limits").
const (
	DefaultMaxBodyBytes = 1 << 20
	DefaultMaxTokens    = 1024
	// DefaultMaxPromptTokens bounds the prompt tokens of one request, all
	// prompts together: scoring an echoed prompt with top_logprobs costs a
	// pass over the vocabulary per token.
	DefaultMaxPromptTokens = 16384
	// DefaultMaxChoices bounds the choices of one request, n × prompts.
	DefaultMaxChoices = 128
	// DefaultMaxRequestTokens bounds the tokens one request may return:
	// max_tokens for each choice, and with echo the prompt's tokens again for
	// each choice of that prompt.
	DefaultMaxRequestTokens = 16384
	// DefaultMaxReplyBytes bounds the size of one reply.
	DefaultMaxReplyBytes = 8 << 20
	// DefaultParallel is how many requests are worked on at once.
	DefaultParallel = 4
	// DefaultMaxQueue is how many requests may wait for one of those slots.
	DefaultMaxQueue = 32

	maxTopLogprobs = 20
	maxStops       = 4
)

// limits are a Server's limits with the defaults filled in.
type limits struct {
	bodyBytes     int64
	maxTokens     int
	promptTokens  int
	choices       int
	requestTokens int
	replyBytes    int
}

func (s *Server) limits() limits {
	or := func(v, def int) int {
		if v > 0 {
			return v
		}
		return def
	}
	body := s.MaxBodyBytes
	if body <= 0 {
		body = DefaultMaxBodyBytes
	}
	return limits{
		bodyBytes:     body,
		maxTokens:     or(s.MaxTokens, DefaultMaxTokens),
		promptTokens:  or(s.MaxPromptTokens, DefaultMaxPromptTokens),
		choices:       or(s.MaxChoices, DefaultMaxChoices),
		requestTokens: or(s.MaxRequestTokens, DefaultMaxRequestTokens),
		replyBytes:    or(s.MaxReplyBytes, DefaultMaxReplyBytes),
	}
}

// fits reports whether a × b ≤ limit for a, b ≥ 0, without computing a × b,
// which could overflow.
func fits(a, b, limit int) bool {
	return a == 0 || b <= limit/a
}

// work is what a request asks of the server, in the units the limits count.
type work struct {
	prompts      int   // number of prompts
	n            int   // choices per prompt
	promptTokens []int // tokens of each prompt
	promptBytes  []int // bytes of each prompt's text
	maxTokens    int   // tokens generated per choice, at most
	echo         bool
	logprobs     bool
}

// check refuses a request whose work exceeds the limits. Every product is
// checked by division before it is formed, so no value a client sends can
// overflow past a check.
func (l limits) check(w work) error {
	if err := l.checkPromptCount(w.prompts); err != nil {
		return err
	}
	if w.n < 1 || !fits(w.n, w.prompts, l.choices) {
		return badParam("n", "n is %d with %d prompt(s); n must be at least 1 and n × prompts at most %d", w.n, w.prompts, l.choices)
	}
	choices := w.n * w.prompts // ≤ l.choices
	total := 0                 // prompt tokens of all prompts, ≤ l.promptTokens
	for _, t := range w.promptTokens {
		if t > l.promptTokens-total {
			return l.promptTooLong()
		}
		total += t
	}
	if !fits(choices, w.maxTokens, l.requestTokens) {
		return badParam("max_tokens", "%d choices × max_tokens %d exceed this server's limit of %d tokens per request; ask for fewer choices or tokens",
			choices, w.maxTokens, l.requestTokens)
	}
	returned := choices * w.maxTokens
	if w.echo {
		// Each choice of a prompt returns the prompt's tokens again.
		if !fits(w.n, total, l.requestTokens-returned) {
			return badParam("echo", "with echo, n × prompt tokens (%d × %d) plus %d generated tokens exceed this server's limit of %d tokens per request",
				w.n, total, returned, l.requestTokens)
		}
		// Each choice carries its prompt's text, twice with logprobs (the
		// text and its tokens): a lower bound of the reply, so a request
		// certain to exceed the reply limit is refused before any work.
		copies := w.n
		if w.logprobs {
			copies *= 2
		}
		bytes := 0
		for _, b := range w.promptBytes {
			if !fits(copies, b, l.replyBytes-bytes) {
				return replyTooLarge(l.replyBytes)
			}
			bytes += copies * b
		}
	}
	return nil
}

// checkPromptCount refuses more prompts than choices a request may have
// (each prompt has at least one), before they are tokenized.
func (l limits) checkPromptCount(prompts int) error {
	if prompts > l.choices {
		return badParam("prompt", "%d prompts; this server accepts at most %d choices (n × prompts) per request", prompts, l.choices)
	}
	return nil
}

func (l limits) promptTooLong() error {
	return badParam("prompt", "the prompt has more than %d tokens (all prompts of the request together); this server accepts at most %d",
		l.promptTokens, l.promptTokens)
}

// replyTooLarge is the error of a request whose reply exceeds the limit.
func replyTooLarge(limit int) *apiError {
	return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "reply_too_large",
		Message: "the reply exceeds this server's limit of " + byteSize(limit) +
			"; ask for fewer choices, fewer tokens, fewer logprobs or no echo"}
}

// byteSize renders a byte count for a message, in MiB or KiB when exact.
func byteSize(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.Itoa(n>>20) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.Itoa(n>>10) + " KiB"
	}
	return strconv.Itoa(n) + " bytes"
}
