package serve

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// These tests drive the server with the official OpenAI Go SDK, so that wire
// compatibility is judged by code written elsewhere. The SDK is a test-only
// dependency: it does not enter the hallu binary.

func sdkClient(t *testing.T) (openai.Client, *Server) {
	s, hs := newTestServer(t)
	return openai.NewClient(
		option.WithBaseURL(hs.URL+"/v1/"),
		option.WithAPIKey("not-a-real-key"),
		option.WithMaxRetries(0),
	), s
}

func TestSDKCompletionEcho(t *testing.T) {
	client, s := sdkClient(t)
	ctx := context.Background()
	c, r := "She lost it and was completely out of", " her mind"
	resp, err := client.Completions.New(ctx, openai.CompletionNewParams{
		Model:     openai.CompletionNewParamsModel(testModelID),
		Prompt:    openai.CompletionNewParamsPromptUnion{OfString: openai.String(c + r)},
		Echo:      openai.Bool(true),
		MaxTokens: openai.Int(0),
		Logprobs:  openai.Int(3),
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Object != "text_completion" || resp.Model != testModelID || len(resp.Choices) != 1 {
		t.Fatalf("response %+v", resp)
	}
	lp := resp.Choices[0].Logprobs
	if n := len(lp.Tokens); n != 10 || len(lp.TokenLogprobs) != n || len(lp.TextOffset) != n || len(lp.TopLogprobs) != n {
		t.Fatalf("logprobs of %d tokens: %+v", n, lp)
	}
	var sum float64
	for i := range lp.Tokens {
		if lp.TextOffset[i] >= int64(len(c)) {
			sum += lp.TokenLogprobs[i]
		}
		if k := len(lp.TopLogprobs[i]); k < 3 || k > 4 {
			t.Errorf("token %d: %d top logprobs, want 3 or 4", i, k)
		}
	}
	if want := s.Model.Score(c, r).LogProb; math.Abs(sum-want) > 1e-9 {
		t.Errorf("ln p̂(r|c) from the SDK %v, from the model %v", sum, want)
	}
	if got := strings.Join(lp.Tokens, ""); got != c+r {
		t.Errorf("tokens join to %q", got)
	}
	if resp.Usage.PromptTokens != 10 || resp.Usage.CompletionTokens != 0 {
		t.Errorf("usage %+v", resp.Usage)
	}
}

func TestSDKCompletionSampling(t *testing.T) {
	client, _ := sdkClient(t)
	params := openai.CompletionNewParams{
		Model:       openai.CompletionNewParamsModel(testModelID),
		Prompt:      openai.CompletionNewParamsPromptUnion{OfArrayOfStrings: []string{"The sea", "Ahab said"}},
		MaxTokens:   openai.Int(12),
		N:           openai.Int(3),
		Seed:        openai.Int(99),
		Temperature: openai.Float(0.9),
		Stop:        openai.CompletionNewParamsStopUnion{OfStringArray: []string{"!", "?"}},
	}
	a, err := client.Completions.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	b, err := client.Completions.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Choices) != 6 {
		t.Fatalf("%d choices, want 2 prompts × 3", len(a.Choices))
	}
	for i, ch := range a.Choices {
		if ch.Index != int64(i) || ch.Text != b.Choices[i].Text {
			t.Errorf("choice %d: index %d, %q then %q", i, ch.Index, ch.Text, b.Choices[i].Text)
		}
		if strings.ContainsAny(ch.Text, "!?") || (ch.FinishReason != "stop" && ch.FinishReason != "length") {
			t.Errorf("choice %d: %q finished by %q", i, ch.Text, ch.FinishReason)
		}
	}
}

func TestSDKChat(t *testing.T) {
	client, _ := sdkClient(t)
	resp, err := client.Chat.Completions.New(context.Background(), openai.ChatCompletionNewParams{
		Model: openai.ChatModel(testModelID),
		Messages: []openai.ChatCompletionMessageParamUnion{
			openai.SystemMessage("Answer in one sentence."),
			openai.UserMessage("What did Ishmael see?"),
		},
		MaxCompletionTokens: openai.Int(25),
		N:                   openai.Int(2),
		Seed:                openai.Int(5),
		Logprobs:            openai.Bool(true),
		TopLogprobs:         openai.Int(4),
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Object != "chat.completion" || len(resp.Choices) != 2 {
		t.Fatalf("response %+v", resp)
	}
	for i, ch := range resp.Choices {
		var joined strings.Builder
		for _, tok := range ch.Logprobs.Content {
			joined.WriteString(tok.Token)
			if len(tok.TopLogprobs) != 4 || tok.Logprob > 0 || string(bytesOf64(tok.Bytes)) != tok.Token {
				t.Errorf("choice %d token %+v", i, tok)
			}
		}
		if ch.Message.Role != "assistant" || ch.Message.Content != joined.String() {
			t.Errorf("choice %d: message %q, tokens %q", i, ch.Message.Content, joined.String())
		}
	}
}

func bytesOf64(b []int64) []byte {
	out := make([]byte, len(b))
	for i, x := range b {
		out[i] = byte(x)
	}
	return out
}

func TestSDKModelsAndErrors(t *testing.T) {
	client, _ := sdkClient(t)
	ctx := context.Background()
	page, err := client.Models.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Data) != 1 || page.Data[0].ID != testModelID || page.Data[0].OwnedBy != "hallu" {
		t.Errorf("models %+v", page.Data)
	}
	_, err = client.Completions.New(ctx, openai.CompletionNewParams{
		Model:  openai.CompletionNewParamsModel("gpt-5"),
		Prompt: openai.CompletionNewParamsPromptUnion{OfString: openai.String("hi")},
	})
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Code != "model_not_found" || apiErr.Param != "model" {
		t.Errorf("unknown model: %v, want a 404 model_not_found", err)
	}
	_, err = client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
		Model:       openai.ChatModel(testModelID),
		Messages:    []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")},
		Temperature: openai.Float(7),
	})
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Type != "invalid_request_error" || apiErr.Param != "temperature" {
		t.Errorf("temperature 7: %v, want a 400 invalid_request_error on temperature", err)
	}
}
