// Package serve puts an n-gram language model (package ngram) behind the
// OpenAI wire protocol, so that any OpenAI-compatible client (hallu's own,
// the official SDKs, lm-evaluation-harness, Inspect) can sample it and read
// its log-probabilities: the local model of hallu's end-to-end tests and
// demos, and the p̂ of "Why Language Models Hallucinate" (arXiv:2509.04664,
// Sections 3.1–3.2) made
// observable over HTTP.
//
// # Endpoints
//
//	POST /v1/completions        prompt (string, list of strings, token ids, or lists of token ids),
//	                            max_tokens (default 16), temperature, top_p, n, seed, stop,
//	                            logprobs (0–20), echo
//	POST /v1/chat/completions   messages, max_tokens or max_completion_tokens, temperature, top_p,
//	                            n, seed, stop, logprobs, top_logprobs (0–20)
//	GET  /v1/models             the one model served
//	GET  /v1/models/{id}
//	GET  /health                {"status":"ok"} once the server is up
//
// Errors use OpenAI's shape, {"error":{"message","type","param","code"}},
// with 400 for a bad request (one over a limit included), 403 for a host or
// origin not allowed, 404 for an unknown model or path, 405 for a wrong
// method, 413 for a body over the size limit, 415 for a body that is not
// application/json, 429 when the server is full, 503 while it shuts down
// (both with Retry-After) and 500 for a failure of the server. Parameters
// the model cannot honour (stream, suffix, best_of other than n,
// logit_bias, frequency and presence penalties, tools) are refused with 400
// rather than ignored; unknown fields are ignored.
//
// # Limits
//
// Every request is treated as hostile; what one may cost is bounded, and
// checked before any work with products formed only after a division has
// shown they fit (an n near 2⁶³ cannot overflow past a check):
//
//	MaxBodyBytes      the request body (413 above)
//	MaxChoices        choices, n × prompts; without n, the prompts
//	MaxTokens         max_tokens
//	MaxPromptTokens   prompt tokens, all prompts of a request together
//	MaxRequestTokens  tokens returned: choices × max_tokens, plus with echo
//	                  n × the prompt tokens of each prompt
//	MaxReplyBytes     the reply: built one choice at a time in a buffer that
//	                  may not grow past it; a request whose echoed text alone
//	                  would exceed it is refused before any work, one that
//	                  exceeds it while working stops there (400, code
//	                  reply_too_large)
//
// At most Parallel completion requests are worked on at once and MaxQueue
// more wait for a slot; beyond that a request gets 429 (code server_busy)
// with Retry-After, as vLLM's --max-num-seqs and llama.cpp's --parallel
// bound their work. GET requests are not queued. Work stops between choices
// and between tokens when the request's context ends: a client that goes
// away stops its work (logged at info with status 499, nginx's "client
// closed request", not as an error), and cancelling the requests' base
// context with ErrShuttingDown stops all work in flight, whose clients get
// 503 with Retry-After.
//
// # Access
//
// A web page the user visits can reach a server on loopback, by DNS
// rebinding (the class of Ollama's CVE-2024-28224) or by a cross-origin
// POST. The server answers only requests whose Host header is loopback
// (localhost, *.localhost, 127.0.0.0/8, ::1) or in AllowHosts, whose
// Origin, when a browser sends one, is loopback or in AllowOrigins, and
// whose POST body is declared application/json (so that a page must pass a
// CORS preflight, which only allowed origins pass).
//
// # Tokens
//
// A token is a word of ngram.Tokenize; the token ids of a prompt and of
// logprobs are the model's word ids. A token's text is the word as it
// appears in the returned text, with the space before it (" mind"), so the
// tokens of a choice concatenate to its text. Sentence boundaries are the
// token "</s>": it occupies no text, its text_offset is the end of its
// sentence, and when the model draws it the completion stops with
// finish_reason "stop" (the boundary itself is not returned, as a hosted
// model does not return its end-of-text token). Generated words are
// lower-case, with quotes and dashes normalised, because the model is.
//
// # Log-probabilities
//
// Every log-probability is the model's own, ln p(token | text before it),
// unaffected by temperature and top_p (which shape only the draw). With
// echo, the prompt's tokens come with theirs, the first one included: the
// model predicts it from the start of a text, where OpenAI returns null.
// top_logprobs lists the k most probable tokens, and for completions also
// the token chosen when it is not among them (OpenAI's legacy behaviour).
//
// To obtain ln p̂(r | c) for a context c and a response r, request
// /v1/completions with prompt c+r, echo true, max_tokens 0 and logprobs 0,
// and sum token_logprobs over the tokens with text_offset ≥ len(c), except
// a "</s>" at exactly len(c), which closes a sentence of c. This equals
// ngram's Model.Score(c, r) whenever c+r tokenizes as c and r apart (r
// starting with a space).
//
// # Chat prompts
//
// Messages are rendered as one text, each message a paragraph "Role:
// content" with Role one of System, Developer, User, Assistant, paragraphs
// separated by a blank line (a sentence boundary), and the text ends with
// "\n\nAssistant:" for the model to continue. Content may be a string or a
// list of text parts; other part types, tool messages and tool calls are
// refused.
//
// # Sampling
//
// Choice i of prompt j is drawn by a PCG generator seeded with seed and
// stream j·n+i, so a request with a seed is answered identically every time;
// without a seed the server draws one. temperature 0 and top_p 0 pick the
// most probable word at every step.
package serve
