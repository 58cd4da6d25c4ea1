// Package llm is a client for OpenAI-compatible HTTP endpoints (OpenAI,
// vLLM, llama.cpp's server, Ollama, `hallu serve`, ...) built so that a paid
// request is never lost and never repeated.
//
// It speaks two endpoints: chat completions (POST {base}/chat/completions,
// with token log-probabilities) and legacy completions (POST
// {base}/completions, whose echo + logprobs give the log-probability of a
// prompt, which Section 3.1 of arXiv:2509.04664 needs to compare p̂(A) with p(A));
// ContinuationLogprob reads ln p̂(r | c) of a continuation r of c from such
// an echo. Most servers have no such echo (docs/endpoints.md); for them
// ReadChoiceProbs reads a multiple-choice item's option probabilities from
// the first generated token's top log-probabilities of a chat reply, and
// Client.Probe and Client.Require find out, before a measurement's first
// request, which of these an endpoint offers.
//
// # Why our own client
//
// The official SDK (github.com/openai/openai-go/v3) is correct but costs
// about 83 s of cold compile on two cores and 31 MB of binary for a program
// that only builds a client, through ~230k lines of generated code (measured
// here). The two requests hallu makes are single JSON POSTs; a client on
// net/http and encoding/json is a few hundred lines, compiles in seconds, accepts the extra fields self-hosted servers send, and
// puts the parts that matter here — retries, the cache, the in-flight record
// — where a test can see them. Wire compatibility is checked in two steps:
// the serve package's tests drive `hallu serve` with the official SDK, and
// hallu's end-to-end tests (cmd/hallu, harness) drive `hallu serve` with
// this client.
//
// # What a call does
//
//  1. The request is marshalled to canonical JSON (object keys sorted); those
//     exact bytes are sent, and their SHA-256, with the method, the endpoint
//     URL and Request.Draw, is the cache key (Key). The API key is not part of
//     it.
//  2. A cached answer is returned without any network traffic.
//  3. Identical concurrent calls in one process share one request.
//  4. The request is recorded in the cache as in flight, then sent under a
//     bounded number of concurrent requests and a token-bucket rate limit
//     (golang.org/x/time/rate), each attempt with its own timeout.
//  5. 408, 409, 429 and 5xx replies, timeouts, connection resets, truncated
//     bodies and 2xx bodies that do not decode are retried with exponential
//     backoff and full jitter (a uniform wait in [0, min(max, base·2^k)]),
//     or after exactly the wait a Retry-After (seconds or HTTP-date) or
//     Retry-After-Ms header asks for. Other replies fail at once with an
//     *APIError.
//  6. A good answer is committed to the cache before the call returns it.
//
// # What survives a crash
//
// With a Cache, every answer received is durable before it is used, and a
// request whose answer is in the cache is never sent again, by this run or
// any later one: a rerun, or a run killed with SIGKILL and restarted,
// resumes where it stopped. What no client can promise is the request that
// was on the wire when the process died: the server may have answered (and
// billed) it, but the answer never arrived, so the restarted run must send it
// again. The cache records each request as in flight before sending it and
// counts, in Stats.Resent, the requests that an earlier run sent without an
// answer being cached (killed mid-request, or failed), so that such possible
// double charges are reported rather than hidden. They are at most the
// Concurrency requests in flight at the moment of the crash.
//
// The cache is SQLite (modernc.org/sqlite, pure Go) in WAL mode with
// synchronous=FULL: a commit is on disk before the call returns, so answers
// survive power loss and OS crashes as well as SIGKILL (NORMAL would survive
// SIGKILL alone, losing the last answers to a power cut, and they would be
// paid again). The fsync that FULL costs is shared: one writer goroutine
// commits every write waiting at that moment in one transaction.
//
// # Secrets
//
// The API key is sent only in the Authorization header. It is not in the
// cache key, the cache, log records or error messages; an error message
// from the server that repeats it is redacted. APIKeyFromEnv reads it from
// the environment.
package llm
