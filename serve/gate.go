package serve

import (
	"context"
	"net/http"
)

// busyRetryAfter is the Retry-After, in seconds, of a request turned away
// because the server is full or shutting down.
const busyRetryAfter = 1

// A gate admits at most cap(work) requests to work at once and lets at most
// cap(waiting) more wait for a slot, like vLLM's --max-num-seqs and
// llama.cpp's --parallel; a request beyond both is turned away at once.
type gate struct {
	work    chan struct{}
	waiting chan struct{}
}

func newGate(parallel, queue int) *gate {
	return &gate{work: make(chan struct{}, parallel), waiting: make(chan struct{}, queue)}
}

// enter waits for a slot and returns the function that frees it. It fails
// with errBusy when the queue is full, and with ctx's error when ctx ends
// first.
func (g *gate) enter(ctx context.Context) (release func(), err error) {
	release = func() { <-g.work }
	select {
	case g.work <- struct{}{}:
		return release, nil
	default:
	}
	select {
	case g.waiting <- struct{}{}:
	default:
		return nil, errBusy
	}
	defer func() { <-g.waiting }()
	select {
	case g.work <- struct{}{}:
		return release, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// errBusy is the answer to a request that finds every slot and the queue
// full: 429 with Retry-After, which clients (hallu's, the OpenAI SDKs)
// retry after the wait.
var errBusy = &apiError{Status: http.StatusTooManyRequests, Type: "server_busy", Code: "server_busy",
	Message:    "the server is working on as many requests as it accepts and its queue is full; retry after the Retry-After delay",
	RetryAfter: busyRetryAfter}

// Load returns the number of requests being worked on and the number
// waiting for a slot.
func (s *Server) Load() (inWork, waiting int) {
	g := s.state().gate
	return len(g.work), len(g.waiting)
}
