package llm

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryableStatus reports whether a reply with this status may succeed if
// sent again: request timeout, conflict, too many requests, and server
// errors. Other 4xx replies describe the request itself and fail at once.
func retryableStatus(code int) bool {
	switch {
	case code == http.StatusRequestTimeout, code == http.StatusConflict, code == http.StatusTooManyRequests:
		return true
	case code >= 500 && code <= 599:
		return true
	}
	return false
}

// shouldRetry applies the server's explicit x-should-retry header (sent by
// OpenAI) over the status-based default.
func shouldRetry(code int, h http.Header) bool {
	switch strings.ToLower(h.Get("X-Should-Retry")) {
	case "true":
		return true
	case "false":
		return false
	}
	return retryableStatus(code)
}

// retryAfter returns the wait a reply asks for before the next attempt:
// Retry-After-Ms (milliseconds, OpenAI's extension) if present, else
// Retry-After as delay-seconds or as an HTTP-date (RFC 9110 §10.2.3)
// relative to now. A date in the past asks for no wait. ok is false when
// neither header is present or parses.
func retryAfter(h http.Header, now time.Time) (d time.Duration, ok bool) {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 && !math.IsInf(ms, 0) {
			return durationOf(ms / 1e3), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s < 0 || math.IsNaN(s) {
			return 0, false
		}
		return durationOf(s), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// durationOf converts seconds to a Duration, saturating instead of
// overflowing.
func durationOf(seconds float64) time.Duration {
	if seconds >= float64(math.MaxInt64)/float64(time.Second) {
		return math.MaxInt64
	}
	return time.Duration(seconds * float64(time.Second))
}

// backoffCeiling is the ceiling of the k-th retry's wait (k from 0):
// min(max, base·2^k).
func backoffCeiling(base, ceiling time.Duration, k int) time.Duration {
	if k >= 63 || base > ceiling>>k { // base·2^k > ceiling, tested without overflow
		return ceiling
	}
	return base << k
}
