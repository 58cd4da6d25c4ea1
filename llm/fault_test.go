package llm

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// faultServer is a real HTTP server on 127.0.0.1 that answers chat and
// completion requests by a script carried in the request itself: the last
// message (or the prompt) "script:429,500,ok" makes the n-th arrival of
// that exact body behave as the n-th step, the last step repeating; text
// after a space makes bodies with the same script distinct. It
// counts arrivals per body, so that duplicates are seen server-side.
type faultServer struct {
	*httptest.Server
	t *testing.T

	mu       sync.Mutex
	arrivals map[[32]byte]int // by SHA-256 of the body
	total    int
	inFlight int
	maxIn    int
	auth     []string // Authorization headers seen
}

func newFaultServer(t *testing.T) *faultServer {
	t.Helper()
	fs := &faultServer{t: t, arrivals: make(map[[32]byte]int)}
	fs.Server = httptest.NewServer(http.HandlerFunc(fs.serve))
	t.Cleanup(fs.Close)
	return fs
}

// baseURL is the server's API root.
func (fs *faultServer) baseURL() string { return fs.URL + "/v1" }

// count returns how many times body-identical requests with this script
// arrived. Scripts are unique per test case, so the script names the body.
func (fs *faultServer) count(body []byte) int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.arrivals[sha256.Sum256(body)]
}

func (fs *faultServer) totals() (total, maxInFlight int) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.total, fs.maxIn
}

func (fs *faultServer) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	h := sha256.Sum256(body)
	fs.mu.Lock()
	fs.arrivals[h]++
	n := fs.arrivals[h]
	fs.total++
	fs.inFlight++
	fs.maxIn = max(fs.maxIn, fs.inFlight)
	fs.auth = append(fs.auth, r.Header.Get("Authorization"))
	fs.mu.Unlock()
	defer func() {
		fs.mu.Lock()
		fs.inFlight--
		fs.mu.Unlock()
	}()

	var req struct {
		Messages []Message `json:"messages"`
		Prompt   string    `json:"prompt"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		http.Error(w, `{"error":{"message":"bad json","type":"invalid_request_error"}}`, http.StatusBadRequest)
		return
	}
	text := req.Prompt
	if len(req.Messages) > 0 {
		text = req.Messages[len(req.Messages)-1].Content
	}
	step := "ok"
	if script, ok := strings.CutPrefix(text, "script:"); ok {
		script, _, _ = strings.Cut(script, " ") // text after a space only tells bodies apart
		steps := strings.Split(script, ",")
		step = steps[min(n, len(steps))-1]
	}
	fs.act(w, r, step, text)
}

// act performs one scripted step.
func (fs *faultServer) act(w http.ResponseWriter, r *http.Request, step, text string) {
	switch step {
	case "ok":
		if r.URL.Path == "/v1/completions" {
			fmt.Fprintf(w, `{"id":"c1","model":"m","choices":[{"index":0,"text":%q,"finish_reason":"stop",
				"logprobs":{"tokens":["a","b"],"token_logprobs":[null,-0.5],"top_logprobs":[null,{"b":-0.5}],"text_offset":[0,1]}}],
				"usage":{"prompt_tokens":2,"completion_tokens":0,"total_tokens":2}}`, "echo:"+text)
			return
		}
		fmt.Fprintf(w, `{"id":"x1","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":%q},"finish_reason":"stop",
			"logprobs":{"content":[{"token":"Paris","logprob":-0.1,"top_logprobs":[{"token":"Paris","logprob":-0.1}]}]}}],
			"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6},"extra_field":{"ignored":true}}`, "answer to "+text)
	case "429":
		w.Header().Set("Retry-After", "1")
		http.Error(w, `{"error":{"message":"rate limited","type":"rate_limit_error"}}`, http.StatusTooManyRequests)
	case "429date":
		w.Header().Set("Retry-After", time.Now().Add(time.Second).UTC().Format(http.TimeFormat))
		http.Error(w, `{"error":{"message":"rate limited","type":"rate_limit_error"}}`, http.StatusTooManyRequests)
	case "429ms":
		w.Header().Set("Retry-After-Ms", "20")
		w.WriteHeader(http.StatusTooManyRequests)
	case "429long":
		w.Header().Set("Retry-After", "86400")
		w.WriteHeader(http.StatusTooManyRequests)
	case "500":
		w.WriteHeader(http.StatusInternalServerError)
	case "503":
		http.Error(w, `{"error":{"message":"overloaded","type":"server_error","code":503}}`, http.StatusServiceUnavailable)
	case "400":
		http.Error(w, `{"error":{"message":"no such model","type":"invalid_request_error","code":"model_not_found"}}`, http.StatusBadRequest)
	case "401echo": // a server quoting the key back, which some do
		http.Error(w, `{"error":{"message":"Incorrect API key provided: `+strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")+`"}}`, http.StatusUnauthorized)
	case "500echo":
		http.Error(w, "upstream rejected "+r.Header.Get("Authorization"), http.StatusBadGateway)
	case "noretry":
		w.Header().Set("X-Should-Retry", "false")
		w.WriteHeader(http.StatusServiceUnavailable)
	case "slow":
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	case "malformed":
		io.WriteString(w, `{"choices":[{"index":0,"message":`)
	case "nochoices":
		io.WriteString(w, `{"id":"x","choices":[]}`)
	case "truncated":
		w.Header().Set("Content-Length", "1000")
		io.WriteString(w, `{"id":"x","choices":[`)
	case "reset":
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			fs.t.Errorf("hijack: %v", err)
			return
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.SetLinger(0) // close with RST, not FIN
		}
		conn.Close()
	default:
		fs.t.Errorf("unknown script step %q", step)
	}
}
