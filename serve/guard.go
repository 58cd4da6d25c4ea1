package serve

import (
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// A web page the user visits can send requests to a server on the user's
// machine: with a hostname that its DNS first resolves elsewhere and then
// to 127.0.0.1 (DNS rebinding, the class of Ollama's CVE-2024-28224), or
// directly, as a "simple" cross-origin POST with Content-Type text/plain.
// The guard refuses both: the Host header must name a loopback host or one
// the operator allowed, a browser's Origin must be loopback or allowed, and
// a POST must be application/json, which a page can only send after a CORS
// preflight that an origin not allowed fails.

// access is the set of hosts and origins a Server allows beyond loopback.
type access struct {
	anyHost, anyOrigin bool
	hosts, origins     map[string]bool
	advice             func(option, value string) string // Server.AllowAdvice, never nil
}

func newAccess(hosts, origins []string, advice func(option, value string) string) access {
	if advice == nil {
		advice = func(option, value string) string { return fmt.Sprintf("the server's %s names %s", option, value) }
	}
	a := access{hosts: map[string]bool{}, origins: map[string]bool{}, advice: advice}
	for _, h := range hosts {
		if h == "*" {
			a.anyHost = true
		}
		a.hosts[normalHost(h)] = true
	}
	for _, o := range origins {
		if o == "*" {
			a.anyOrigin = true
		}
		a.origins[strings.ToLower(strings.TrimSuffix(o, "/"))] = true
	}
	return a
}

// normalHost lower-cases a host, drops a port, IPv6 brackets and a final dot.
func normalHost(hostport string) string {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	return strings.ToLower(host)
}

// isLoopbackHost reports whether host (normalised) is "localhost", a name
// under .localhost (RFC 6761, resolved to loopback by browsers) or a
// loopback address.
func isLoopbackHost(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// hostAllowed checks the Host header. A request without one (HTTP/1.0)
// cannot come from a browser and is allowed.
func (a access) hostAllowed(hostport string) bool {
	if hostport == "" || a.anyHost {
		return true
	}
	host := normalHost(hostport)
	return isLoopbackHost(host) || a.hosts[host]
}

// originAllowed checks the Origin header, which browsers send with every
// cross-origin request and every POST. Clients that are not browsers send
// none, and are allowed; "null" (sandboxed pages, files) is not.
func (a access) originAllowed(origin string) bool {
	if origin == "" || a.anyOrigin || a.origins[strings.ToLower(origin)] {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" {
		return false
	}
	return isLoopbackHost(normalHost(u.Host))
}

// guard answers a request that the access rules refuse, and sets the CORS
// headers of one they allow from a browser. It reports whether the request
// may go on.
func (a access) guard(w http.ResponseWriter, r *http.Request) bool {
	if !a.hostAllowed(r.Host) {
		writeError(w, &apiError{Status: http.StatusForbidden, Type: "permission_error", Code: "host_not_allowed",
			Message: fmt.Sprintf("requests for host %q are refused; only loopback hosts are allowed unless %s",
				r.Host, a.advice("AllowHosts", normalHost(r.Host)))})
		return false
	}
	origin := r.Header.Get("Origin")
	if !a.originAllowed(origin) {
		writeError(w, &apiError{Status: http.StatusForbidden, Type: "permission_error", Code: "origin_not_allowed",
			Message: fmt.Sprintf("requests from web pages at %q are refused; only loopback origins are allowed unless %s",
				origin, a.advice("AllowOrigins", origin))})
		return false
	}
	if origin != "" {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Add("Vary", "Origin")
	}
	return true
}

// preflight answers a CORS preflight (OPTIONS) from an allowed origin.
func preflight(w http.ResponseWriter, method string) {
	h := w.Header()
	h.Set("Allow", method+", OPTIONS")
	h.Set("Access-Control-Allow-Methods", method)
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}

// checkJSON refuses a POST whose body is not declared application/json.
func checkJSON(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err == nil && mt == "application/json" {
		return nil
	}
	return &apiError{Status: http.StatusUnsupportedMediaType, Type: "invalid_request_error",
		Message: fmt.Sprintf("Content-Type is %q; send the request body as application/json", ct)}
}
