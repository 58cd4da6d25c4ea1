package llm

import (
	"net/url"
	"strings"
)

// redacted replaces a secret wherever hallu shows or stores a URL.
const redacted = "REDACTED"

// secretParams are query-parameter names, lower-cased with '-' and '_'
// removed, whose values are credentials (Azure's api-key, Google's key,
// OAuth's access_token, signed URLs' sig, …).
var secretParams = []string{"key", "apikey", "token", "accesstoken", "secret", "password", "passwd", "pwd", "auth", "authorization", "sig", "signature", "credential", "credentials", "xapikey", "code"}

// RedactURL returns rawURL fit to be shown or stored: user info (user and
// password) is replaced by REDACTED, and so is the value of every query
// parameter whose name says it is a credential (key, api-key, token,
// access_token, secret, password, sig, …) or whose value looks like an
// API key ("sk-…"). Anything else, e.g. Azure's api-version, is kept, so
// that the URL still says which endpoint was asked. Text that does not
// parse as a URL keeps only what precedes any '@' or '?'.
//
// Every place hallu prints, logs or writes an endpoint's URL calls it.
func RedactURL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		s := rawURL
		if i := strings.LastIndexByte(s, '@'); i >= 0 {
			s = redacted + s[i:]
		}
		if i := strings.IndexAny(s, "?#"); i >= 0 {
			s = s[:i] + "?" + redacted
		}
		return s
	}
	if u.User != nil {
		u.User = url.User(redacted)
	}
	if u.RawQuery != "" {
		q := u.Query()
		for name, values := range q {
			for i, v := range values {
				if secretName(name) || strings.HasPrefix(v, "sk-") {
					values[i] = redacted
				}
			}
			q[name] = values
		}
		u.RawQuery = q.Encode()
	}
	if u.Fragment != "" {
		u.Fragment = redacted
	}
	return u.String()
}

// secretName reports whether a query parameter's name says it holds a
// credential.
func secretName(name string) bool {
	n := strings.NewReplacer("-", "", "_", "", ".", "").Replace(strings.ToLower(name))
	for _, s := range secretParams {
		if n == s || strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

// LooksLikeKey reports whether s looks like an API key rather than the
// name of an environment variable: variable names are letters, digits and
// underscores not starting with a digit, while keys have dashes ("sk-…",
// "hf_…" excepted) or are long and mixed-case.
func LooksLikeKey(s string) bool {
	if strings.HasPrefix(s, "sk-") || strings.HasPrefix(s, "hf_") || strings.HasPrefix(s, "gsk_") || strings.HasPrefix(s, "xai-") {
		return true
	}
	lower, upper := false, false
	for i, r := range s {
		switch {
		case r == '_', r >= '0' && r <= '9' && i > 0:
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		default:
			return true // not a variable name: '-', '.', a leading digit, …
		}
	}
	return len(s) >= 32 && lower && upper
}
