package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/hallu-dev/hallu/ngram"
)

// Defaults for the limits of a Server whose fields are zero.
const (
	DefaultMaxBodyBytes = 1 << 20
	DefaultMaxTokens    = 1024
	// DefaultMaxPromptTokens bounds the tokens of one prompt: scoring an
	// echoed prompt with top_logprobs costs a pass over the vocabulary per
	// token.
	DefaultMaxPromptTokens = 16384
	maxChoices             = 128 // n × prompts per request
	maxTopLogprobs         = 20
	maxStops               = 4
)

// A Server answers OpenAI API requests with one n-gram model. Its fields
// must not change once it serves; it is safe for concurrent requests.
type Server struct {
	Model   *ngram.Model
	ModelID string // the name clients pass as "model" and GET /v1/models lists
	// MaxBodyBytes limits the size of a request body (DefaultMaxBodyBytes
	// when 0); a larger body gets 413.
	MaxBodyBytes int64
	// MaxTokens is the largest max_tokens a request may ask for, and the
	// default of chat completions (DefaultMaxTokens when 0).
	MaxTokens int
	// MaxPromptTokens is the most tokens one prompt may have
	// (DefaultMaxPromptTokens when 0).
	MaxPromptTokens int
	Created         time.Time    // reported as the model's creation time
	Logger          *slog.Logger // request log at debug level, failures at error; nil: slog.Default()
}

// Handler returns the HTTP handler of the API.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(s.route)
}

func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		s.logger().Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "duration", time.Since(start))
	}()
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
	if r.Method != method && !(method == http.MethodGet && r.Method == http.MethodHead) {
		sw.Header().Set("Allow", method)
		writeError(sw, &apiError{Status: http.StatusMethodNotAllowed, Type: "invalid_request_error",
			Message: fmt.Sprintf("%s %s: method not allowed, use %s", r.Method, r.URL.Path, method)})
		return
	}
	if err := h(sw, r); err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			s.logger().Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
			ae = &apiError{Status: http.StatusInternalServerError, Type: "server_error", Message: "internal error"}
		}
		writeError(sw, ae)
	}
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// checkPrompt refuses a prompt longer than the limit.
func (s *Server) checkPrompt(param string, p prompt) error {
	limit := s.MaxPromptTokens
	if limit <= 0 {
		limit = DefaultMaxPromptTokens
	}
	if len(p.tokens) > limit {
		return badParam(param, "the prompt has %d tokens; this server accepts at most %d", len(p.tokens), limit)
	}
	return nil
}

func (s *Server) maxTokens() int {
	if s.MaxTokens > 0 {
		return s.MaxTokens
	}
	return DefaultMaxTokens
}

// decode reads the JSON request body into v, enforcing the size limit.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) error {
	limit := s.MaxBodyBytes
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("data after the JSON object")
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

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}
