package serve_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/hallu-dev/hallu/ngram"
	"github.com/hallu-dev/hallu/serve"
)

// A Server answers the OpenAI completions API with an n-gram model. With
// temperature 0 the model continues with its most probable words, and with
// logprobs it reports the log-probability of each; the sentence boundary it
// draws after "." ends the completion (finish_reason "stop").
func ExampleServer() {
	tr := ngram.NewTrainer()
	tr.AddText(strings.NewReader("The whale swam away. The whale swam down. The ship sailed away."))
	m, _ := tr.Train(context.Background(), 3)
	srv := httptest.NewServer((&serve.Server{Model: m, ModelID: "tiny"}).Handler())
	defer srv.Close()

	resp, err := http.Post(srv.URL+"/v1/completions", "application/json", strings.NewReader(
		`{"model":"tiny","prompt":"The whale","max_tokens":5,"temperature":0,"logprobs":0}`))
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var out struct {
		Choices []struct {
			Text     string `json:"text"`
			Logprobs struct {
				Tokens        []string  `json:"tokens"`
				TokenLogprobs []float64 `json:"token_logprobs"`
			} `json:"logprobs"`
			FinishReason string `json:"finish_reason"`
		} `json:"choices"`
	}
	json.NewDecoder(resp.Body).Decode(&out)
	c := out.Choices[0]
	fmt.Printf("%q (%s)\n", c.Text, c.FinishReason)
	for i, tok := range c.Logprobs.Tokens {
		fmt.Printf("%q %.3f\n", tok, c.Logprobs.TokenLogprobs[i])
	}
	// Output:
	// " swam away." (stop)
	// " swam" -0.359
	// " away" -0.967
	// "." -0.242
}
