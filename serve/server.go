package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hallu-dev/hallu/ngram"
)

// A Server answers OpenAI API requests with one n-gram model. Its fields
// must not change once it serves; it is safe for concurrent requests. Zero
// limits take the Default constants; see the package documentation,
// "Limits".
type Server struct {
	Model   *ngram.Model
	ModelID string // the name clients pass as "model" and GET /v1/models lists
	// MaxBodyBytes limits the size of a request body (DefaultMaxBodyBytes
	// when 0); a larger body gets 413.
	MaxBodyBytes int64
	// MaxTokens is the largest max_tokens a request may ask for, and the
	// default of chat completions (DefaultMaxTokens when 0).
	MaxTokens int
	// MaxPromptTokens is the most prompt tokens one request may have, all
	// its prompts together (DefaultMaxPromptTokens when 0).
	MaxPromptTokens int
	// MaxChoices is the most choices, n × prompts, of one request
	// (DefaultMaxChoices when 0).
	MaxChoices int
	// MaxRequestTokens is the most tokens one request may return: its
	// choices times max_tokens, plus with echo each choice's prompt tokens
	// (DefaultMaxRequestTokens when 0).
	MaxRequestTokens int
	// MaxReplyBytes is the largest reply body (DefaultMaxReplyBytes when 0).
	MaxReplyBytes int
	// Parallel is how many completion requests are worked on at once
	// (DefaultParallel when 0).
	Parallel int
	// MaxQueue is how many more may wait for a slot (DefaultMaxQueue when
	// 0, none when negative); beyond it a request gets 429 with Retry-After.
	MaxQueue int
	// AllowHosts are the hosts, beyond loopback ones, that requests may name
	// in their Host header; "*" allows any.
	AllowHosts []string
	// AllowOrigins are the web origins ("https://app.example"), beyond
	// loopback ones, whose pages may call the API; "*" allows any.
	AllowOrigins []string
	// AllowAdvice tells a client refused for its host or origin how the
	// server's operator would allow it: given the option ("AllowHosts" or
	// "AllowOrigins") and the host or origin, the words that end "only
	// loopback hosts are allowed unless …". Nil says "the server's
	// AllowHosts names HOST" (or AllowOrigins).
	AllowAdvice func(option, value string) string
	Created     time.Time    // reported as the model's creation time
	Logger      *slog.Logger // request log at debug level, failures at error; nil: slog.Default()

	once sync.Once
	st   *state
}

// ErrShuttingDown is the cause with which to cancel the base context of
// the requests (http.Server.BaseContext) to stop the work in flight when
// the server shuts down: requests stopped so are answered 503 with
// Retry-After, rather than counted as abandoned by their clients.
var ErrShuttingDown = errors.New("the server is shutting down")

// bodyReadTimeout bounds the time a client may take to send its request
// body once the request has a slot of work.
const bodyReadTimeout = 30 * time.Second

// state is what a Server derives from its fields when it first serves.
type state struct {
	limits limits
	gate   *gate
	access access
}

func (s *Server) state() *state {
	s.once.Do(func() {
		parallel, queue := s.Parallel, s.MaxQueue
		if parallel <= 0 {
			parallel = DefaultParallel
		}
		switch {
		case queue == 0:
			queue = DefaultMaxQueue
		case queue < 0:
			queue = 0
		}
		s.st = &state{limits: s.limits(), gate: newGate(parallel, queue), access: newAccess(s.AllowHosts, s.AllowOrigins, s.AllowAdvice)}
	})
	return s.st
}

// Handler returns the HTTP handler of the API.
func (s *Server) Handler() http.Handler {
	s.state()
	return http.HandlerFunc(s.route)
}

func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	st := s.state()
	defer func() {
		s.logger().Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "duration", time.Since(start))
	}()
	if !st.access.guard(sw, r) {
		return
	}
	var h func(http.ResponseWriter, *http.Request) error
	method := http.MethodPost
	switch path := r.URL.Path; {
	case path == "/v1/completions":
		h = s.completions
	case path == "/v1/chat/completions":
		h = s.chat
	case path == "/v1/models":
		h, method = s.models, http.MethodGet
	case len(path) > len("/v1/models/") && path[:len("/v1/models/")] == "/v1/models/":
		h, method = s.model, http.MethodGet
	case path == "/health":
		h, method = s.health, http.MethodGet
	default:
		writeError(sw, &apiError{Status: http.StatusNotFound, Type: "invalid_request_error",
			Message: fmt.Sprintf("unknown path %s", path)})
		return
	}
	if r.Method == http.MethodOptions {
		preflight(sw, method)
		return
	}
	if r.Method != method && !(method == http.MethodGet && r.Method == http.MethodHead) {
		sw.Header().Set("Allow", method)
		writeError(sw, &apiError{Status: http.StatusMethodNotAllowed, Type: "invalid_request_error",
			Message: fmt.Sprintf("%s %s: method not allowed, use %s", r.Method, r.URL.Path, method)})
		return
	}
	err := s.admit(r, h, sw)
	if err == nil {
		return
	}
	var ae *apiError
	switch {
	case errors.As(err, &ae):
	case r.Context().Err() != nil && errors.Is(context.Cause(r.Context()), ErrShuttingDown):
		ae = &apiError{Status: http.StatusServiceUnavailable, Type: "server_error", Code: "shutting_down",
			Message: "the server is shutting down; retry after the Retry-After delay", RetryAfter: busyRetryAfter}
	case r.Context().Err() != nil:
		// The client is gone: nobody reads an answer. Logged with nginx's
		// 499 (client closed request), not as a failure of the server.
		sw.status = 499
		s.logger().Info("request abandoned by the client", "method", r.Method, "path", r.URL.Path, "after", time.Since(start))
		return
	default:
		s.logger().Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		ae = &apiError{Status: http.StatusInternalServerError, Type: "server_error", Message: "internal error"}
	}
	if sw.status != 0 {
		// The answer has begun; nothing more can be said on this request.
		s.logger().Info("reply not delivered", "method", r.Method, "path", r.URL.Path, "status", sw.status, "err", err)
		return
	}
	writeError(sw, ae)
}

// admit runs a POST's handler once the request has a slot of work; GET
// requests, which cost little, run at once.
func (s *Server) admit(r *http.Request, h func(http.ResponseWriter, *http.Request) error, w http.ResponseWriter) error {
	if r.Method != http.MethodPost {
		return h(w, r)
	}
	if err := checkJSON(r); err != nil {
		return err
	}
	release, err := s.state().gate.enter(r.Context())
	if err != nil {
		return err
	}
	defer release()
	http.NewResponseController(w).SetReadDeadline(time.Now().Add(bodyReadTimeout)) // not supported by recorders in tests
	return h(w, r)
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// decode reads the JSON request body into v, enforcing the size limit.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.state().limits.bodyBytes))
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("data after the JSON object")
	}
	if ctxErr := r.Context().Err(); ctxErr != nil {
		// The client left or the server is shutting down while the body was
		// read: no work starts, and route answers (or not) accordingly.
		return ctxErr
	}
	if err == nil {
		return nil
	}
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooBig):
		return &apiError{Status: http.StatusRequestEntityTooLarge, Type: "invalid_request_error",
			Message: fmt.Sprintf("request body exceeds %d bytes", tooBig.Limit)}
	case errors.As(err, &typeErr):
		field := strings.TrimPrefix(typeErr.Field, "samplingRequest.") // the embedded struct's name
		if field == "" {
			field = "the request body"
		}
		return badParam(field, "%s must be %s, not a JSON %s", field, jsonKind(typeErr.Type.Kind().String()), typeErr.Value)
	}
	return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error",
		Message: fmt.Sprintf("could not parse the JSON body of the request: %v", err)}
}

func jsonKind(goKind string) string {
	switch goKind {
	case "int", "int64", "float64":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "slice":
		return "an array"
	}
	return "an object"
}

// checkModel refuses a request for a model this server does not serve.
func (s *Server) checkModel(model string) error {
	if model == "" {
		return badParam("model", "model is required")
	}
	if model != s.ModelID {
		return &apiError{Status: http.StatusNotFound, Type: "invalid_request_error", Param: "model", Code: "model_not_found",
			Message: fmt.Sprintf("the model %q does not exist; this server serves %q", model, s.ModelID)}
	}
	return nil
}

type modelObject struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	OwnedBy string `json:"owned_by"`
}

func (s *Server) modelObject() modelObject {
	return modelObject{ID: s.ModelID, Object: "model", Created: s.Created.Unix(), OwnedBy: "hallu"}
}

func (s *Server) models(w http.ResponseWriter, _ *http.Request) error {
	return writeJSON(w, struct {
		Object string        `json:"object"`
		Data   []modelObject `json:"data"`
	}{"list", []modelObject{s.modelObject()}})
}

func (s *Server) model(w http.ResponseWriter, r *http.Request) error {
	if err := s.checkModel(r.URL.Path[len("/v1/models/"):]); err != nil {
		return err
	}
	return writeJSON(w, s.modelObject())
}

func (s *Server) health(w http.ResponseWriter, _ *http.Request) error {
	return writeJSON(w, map[string]string{"status": "ok"})
}

func writeJSON(w http.ResponseWriter, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	_, err = w.Write(append(b, '\n'))
	return err
}

// statusWriter records the status code for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap gives http.ResponseController the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}
