package llm

import "sync/atomic"

// Stats counts a Client's work since New.
type Stats struct {
	Calls     int64 `json:"calls"`      // Chat and Complete calls
	CacheHits int64 `json:"cache_hits"` // calls answered from the cache
	Shared    int64 `json:"shared"`     // calls answered by an identical concurrent call's request
	Sent      int64 `json:"sent"`       // HTTP attempts, retries included
	Retries   int64 `json:"retries"`    // attempts after the first of their call
	Failed    int64 `json:"failed"`     // calls that returned an error
	// Resent counts requests sent again although a call had sent them
	// before without an answer being stored: by an earlier run that was
	// killed or failed, or by an earlier call that failed. The server may
	// have answered, and billed, the first send; or the first send may
	// have been cancelled before it reached the server, so Resent bounds
	// the possible double charges from above.
	Resent int64 `json:"resent"`
}

type counters struct {
	calls, cacheHits, shared, sent, retries, failed, resent atomic.Int64
}

// Stats returns the counts so far. It may be called concurrently with
// calls, e.g. by a progress display.
func (c *Client) Stats() Stats {
	s := &c.stats
	return Stats{
		Calls: s.calls.Load(), CacheHits: s.cacheHits.Load(), Shared: s.shared.Load(),
		Sent: s.sent.Load(), Retries: s.retries.Load(), Failed: s.failed.Load(), Resent: s.resent.Load(),
	}
}
