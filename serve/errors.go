package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// apiError is an error in the shape of OpenAI's API:
//
//	{"error": {"message": "...", "type": "invalid_request_error", "param": "n", "code": null}}
type apiError struct {
	Status  int
	Message string
	Type    string
	Param   string // "" is sent as null
	Code    string // "" is sent as null
	// RetryAfter, when positive, is sent as the Retry-After header (seconds).
	RetryAfter int
}

func (e *apiError) Error() string {
	if e.Param != "" {
		return fmt.Sprintf("%d %s (param %s): %s", e.Status, e.Type, e.Param, e.Message)
	}
	return fmt.Sprintf("%d %s: %s", e.Status, e.Type, e.Message)
}

// badParam is a 400 invalid_request_error about one request parameter.
func badParam(param, format string, args ...any) *apiError {
	return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Param: param,
		Message: fmt.Sprintf(format, args...)}
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// errorObject is the body of an error response, under the key "error".
type errorObject struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

func writeError(w http.ResponseWriter, e *apiError) {
	body, _ := json.Marshal(map[string]errorObject{
		"error": {Message: e.Message, Type: e.Type, Param: nullable(e.Param), Code: nullable(e.Code)},
	})
	w.Header().Set("Content-Type", "application/json")
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	w.WriteHeader(e.Status)
	w.Write(append(body, '\n'))
}
