package llm

import (
	"strings"
	"testing"
)

func TestRedactURL(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1"},
		{"https://user:hunter2@api.example.com/v1", "https://REDACTED@api.example.com/v1"},
		{"https://sk-abc@api.example.com/v1", "https://REDACTED@api.example.com/v1"},
		{"https://x.openai.azure.com/openai?api-version=2024-06-01&api-key=s3cret", "https://x.openai.azure.com/openai?api-key=REDACTED&api-version=2024-06-01"},
		{"https://h/v1?key=AIzaXYZ&access_token=t0k&X-Api-Key=k&sig=abc&region=eu", "https://h/v1?X-Api-Key=REDACTED&access_token=REDACTED&key=REDACTED&region=eu&sig=REDACTED"},
		{"https://h/v1?q=sk-proj-123", "https://h/v1?q=REDACTED"},
		{"https://h/v1#token=abc", "https://h/v1#REDACTED"},
		{"http://u:p@h:80:80/v1?api-key=s3cret", "REDACTED@h:80:80/v1?REDACTED"}, // does not parse
	} {
		if got := RedactURL(c.in); got != c.want {
			t.Errorf("RedactURL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestRedactURLHidesEverySecret: whatever the URL, no credential given in
// user info or a key-like query parameter survives.
func TestRedactURLHidesEverySecret(t *testing.T) {
	const secret = "Zq9SECRETvalue"
	for _, u := range []string{
		"http://" + secret + "@h/v1", "http://u:" + secret + "@h/v1", "http://h/v1?api_key=" + secret,
		"http://h/v1?apikey=" + secret + "&x=1", "http://h/v1?token=" + secret, "http://h/v1?password=" + secret,
		"http://h/v1?api-key=" + secret + "&api-key=" + secret, "h:1:2/v1?key=" + secret, "http://u:" + secret + "@h:1:2/",
	} {
		if got := RedactURL(u); strings.Contains(got, secret) {
			t.Errorf("RedactURL(%q) = %q keeps the secret", u, got)
		}
	}
}

func TestLooksLikeKey(t *testing.T) {
	for s, want := range map[string]bool{
		"OPENAI_API_KEY": false, "MY_KEY_2": false, "together_api_key": false,
		"sk-proj-AbC123": true, "hf_abcdefghijklmnop": true, "gsk_x": true, "xai-123": true,
		"AbCdEfGhIjKlMnOpQrStUvWxYz012345": true, "1PASSWORD": true, "key.with.dots": true,
	} {
		if got := LooksLikeKey(s); got != want {
			t.Errorf("LooksLikeKey(%q) = %v, want %v", s, got, want)
		}
	}
}
