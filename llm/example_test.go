package llm_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/hallu-dev/hallu/llm"
)

// A client with a response cache: the second, identical call is answered
// from the cache file without reaching the server.
func Example() {
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests++
		io.WriteString(w, `{"choices":[{"index":0,"message":{"role":"assistant","content":"Paris"},"finish_reason":"stop"}]}`)
	}))
	defer srv.Close()

	dir, err := os.MkdirTemp("", "llm-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	cache, err := llm.OpenCache(filepath.Join(dir, "cache.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer cache.Close()

	c, err := llm.New(llm.Config{BaseURL: srv.URL + "/v1", Cache: cache, Concurrency: 4})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	zero := 0.0
	req := &llm.ChatRequest{
		Model:       "any",
		Messages:    []llm.Message{{Role: "user", Content: "What is the capital of France?"}},
		Temperature: &zero,
	}
	for range 2 {
		resp, err := c.Chat(context.Background(), req)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s (cached: %v)\n", resp.Choices[0].Message.Content, resp.Meta.Cached)
	}
	fmt.Println("requests the server saw:", requests)
	// Output:
	// Paris (cached: false)
	// Paris (cached: true)
	// requests the server saw: 1
}
