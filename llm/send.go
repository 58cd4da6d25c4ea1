package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// errAttemptTimeout is the cause of an attempt's context when
// Config.Timeout ran out (as opposed to the caller's context ending).
var errAttemptTimeout = errors.New("attempt timed out")

// errTooLarge marks a reply body over maxBody; it is not retried.
var errTooLarge = fmt.Errorf("reply body larger than %d bytes", maxBody)

// fetch sends a request, retrying as the package doc describes, and
// decodes the answer into out after storing it in the cache. It returns
// the raw answer and the number of attempts made.
func (c *Client) fetch(ctx context.Context, path string, key Key, body []byte, out answer) ([]byte, int, error) {
	endpoint := c.endpoint + path
	if cache := c.cfg.Cache; cache != nil {
		sends, err := cache.markSent(key, endpoint, body)
		if err != nil {
			return nil, 0, fmt.Errorf("llm: %w", err)
		}
		if sends > 1 {
			c.stats.resent.Add(1)
		}
	}
	target := c.base.JoinPath(path).String()
	for attempt := 1; ; attempt++ {
		status, header, raw, err := c.attempt(ctx, target, endpoint, body)
		var (
			wait   time.Duration
			hinted bool
		)
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return nil, attempt, ctx.Err()
			}
			if errors.Is(err, errTooLarge) {
				return nil, attempt, fmt.Errorf("llm: %w", err)
			}
		case status/100 == 2:
			if err = decode(raw, out); err == nil {
				if cache := c.cfg.Cache; cache != nil {
					if err := cache.store(key, endpoint, body, raw); err != nil {
						return nil, attempt, fmt.Errorf("llm: %w", err)
					}
				}
				return raw, attempt, nil
			}
			err = fmt.Errorf("POST %s: %d reply: %w: %v", endpoint, status, ErrMalformed, err)
		default:
			apiErr := newAPIError(http.MethodPost, endpoint, status, raw, c.cfg.APIKey)
			if !shouldRetry(status, header) {
				return nil, attempt, apiErr
			}
			err = apiErr
			wait, hinted = retryAfter(header, time.Now())
		}
		if attempt > c.cfg.MaxRetries {
			return nil, attempt, fmt.Errorf("llm: giving up after %d attempts: %w", attempt, err)
		}
		if hinted && wait > c.cfg.MaxRetryAfter {
			return nil, attempt, fmt.Errorf("llm: server asks to wait %v, longer than the %v allowed: %w", wait, c.cfg.MaxRetryAfter, err)
		}
		if !hinted {
			wait = time.Duration(c.jitter(int64(backoffCeiling(c.cfg.BackoffBase, c.cfg.BackoffMax, attempt-1)) + 1))
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return nil, attempt, fmt.Errorf("llm: no time left to wait %v and retry: %w", wait, err)
		}
		c.stats.retries.Add(1)
		c.log.Debug("llm retry", "endpoint", endpoint, "attempt", attempt, "status", status, "wait", wait, "err", err)
		if err := sleep(ctx, wait); err != nil {
			return nil, attempt, err
		}
	}
}

// decode decodes a 2xx body into out and checks it is usable.
func decode(raw []byte, out answer) error {
	if err := json.Unmarshal(raw, out); err != nil {
		return err
	}
	return out.check()
}

// attempt sends one request, within the rate limit, a concurrency slot and
// the per-attempt timeout, and reads the whole reply. A transport error, a
// timeout or a body cut short is returned as err; any complete reply, of
// whatever status, as status, header and body.
func (c *Client) attempt(ctx context.Context, target, endpoint string, body []byte) (status int, header http.Header, raw []byte, err error) {
	if err := c.limiter.Wait(ctx); err != nil {
		return 0, nil, nil, err
	}
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return 0, nil, nil, ctx.Err()
	}
	defer func() { <-c.slots }()
	c.stats.sent.Add(1)

	actx, cancel := context.WithTimeoutCause(ctx, c.cfg.Timeout, errAttemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("POST %s: %w", endpoint, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if c.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	failed := func(err error) error {
		if context.Cause(actx) == errAttemptTimeout && ctx.Err() == nil {
			return fmt.Errorf("POST %s: no complete reply within %v", endpoint, c.cfg.Timeout)
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its message repeats the full URL, query included
		}
		return fmt.Errorf("POST %s: %w", endpoint, err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, failed(err)
	}
	defer resp.Body.Close()
	raw, err = io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return 0, nil, nil, failed(fmt.Errorf("reading %d reply: %w", resp.StatusCode, err))
	}
	if len(raw) > maxBody {
		return 0, nil, nil, fmt.Errorf("POST %s: %w", endpoint, errTooLarge)
	}
	return resp.StatusCode, resp.Header, raw, nil
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
