package serve

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"
)

// replyWriteTimeout bounds the time a client may take to read a reply, so
// that a client that stops reading cannot hold a slot of work for longer.
const replyWriteTimeout = time.Minute

// A reply is the JSON body of a completion response, built one choice at a
// time in a buffer that may not grow past a limit: a request whose reply
// would exceed it fails as soon as it does, its work stops there, and the
// server holds at most the limit (plus one choice) in memory for it.
//
// The body is {head's fields, "choices": [choice, ...], "usage": usage}.
type reply struct {
	buf     bytes.Buffer
	limit   int
	choices int
	err     error
}

// add appends the JSON encoding of v, or records an error when it cannot be
// encoded or the body would exceed the limit. Once an error is recorded,
// add does nothing.
func (r *reply) add(prefix string, v any, suffix string) {
	if r.err != nil {
		return
	}
	b, err := json.Marshal(v)
	switch {
	case err != nil:
		r.err = err
	case r.buf.Len()+len(prefix)+len(b)+len(suffix) > r.limit:
		r.err = replyTooLarge(r.limit)
	default:
		r.buf.WriteString(prefix)
		r.buf.Write(b)
		r.buf.WriteString(suffix)
	}
}

// begin writes the fields of the struct head and opens the choices.
func (r *reply) begin(head any) {
	r.add("", head, "")
	if r.err == nil {
		r.buf.Truncate(r.buf.Len() - 1) // head's closing brace
		r.buf.WriteString(`,"choices":[`)
	}
}

// choice appends one choice and returns the error recorded so far: the
// caller stops working when it is not nil.
func (r *reply) choice(c any) error {
	sep := ","
	if r.choices == 0 {
		sep = ""
	}
	r.choices++
	r.add(sep, c, "")
	return r.err
}

// end closes the choices, appends the usage and returns the body.
func (r *reply) end(u usage) ([]byte, error) {
	r.add(`],"usage":`, u, "}\n")
	return r.buf.Bytes(), r.err
}

// send writes a finished JSON body, giving the client replyWriteTimeout to
// read it.
func send(w http.ResponseWriter, body []byte) error {
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(replyWriteTimeout)) // not supported by every ResponseWriter (recorders in tests): then the server's own timeout holds
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(body)
	return err
}
