package llm

import "testing"

// A 404 that says the model is missing does not settle a capability: the
// route may well exist. A 404 without such words says the route is missing.
func TestProbeReplyModelMissing(t *testing.T) {
	for _, c := range []struct {
		body  string
		known bool
	}{
		{`{"error":{"message":"The model ` + "`gpt-9`" + ` does not exist.","type":"NotFoundError","code":404}}`, false},
		{`{"error":{"message":"x","type":"invalid_request_error","code":"model_not_found"}}`, false},
		{`{"error":{"message":"model \"llama9\" not found, try pulling it first","type":"api_error"}}`, false},
		{`404 page not found`, true},
		{`{"error":{"message":"Not Found","type":"not_found_error"}}`, true},
	} {
		r := probeReply{status: 404, raw: []byte(c.body)}
		if got := r.known(); got != c.known {
			t.Errorf("404 %s: known %v, want %v", c.body, got, c.known)
		}
	}
}
