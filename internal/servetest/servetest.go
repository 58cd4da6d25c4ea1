// Package servetest serves a model with hallu serve (package serve) on a
// loopback test server and returns an llm client for it: the end-to-end
// path of the OpenAI wire format that tests of the packages scoring through
// an endpoint share.
package servetest

import (
	"net/http/httptest"
	"testing"

	"github.com/hallu-dev/hallu/llm"
	"github.com/hallu-dev/hallu/ngram"
	"github.com/hallu-dev/hallu/serve"
)

// Client serves m under the model id on 127.0.0.1 for the rest of the test
// and returns a client for it, without retries or cache; both are closed
// when the test ends.
func Client(t testing.TB, m *ngram.Model, id string) *llm.Client {
	t.Helper()
	hs := httptest.NewServer((&serve.Server{Model: m, ModelID: id}).Handler())
	t.Cleanup(hs.Close)
	client, err := llm.New(llm.Config{BaseURL: hs.URL + "/v1", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return client
}
