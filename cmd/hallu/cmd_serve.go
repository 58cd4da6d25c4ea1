package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/hallu-dev/hallu/serve"
	"github.com/spf13/cobra"
)

type serveOptions struct {
	Model        string
	ModelID      string
	Addr         string
	MaxBodyBytes int64
	MaxTokens    int
	MaxPrompt    int
	Verbose      bool
}

const serveLong = `Serve an n-gram model over the OpenAI API: POST /v1/completions (with
logprobs and echo), POST /v1/chat/completions (with logprobs and
top_logprobs), GET /v1/models, GET /health. Any OpenAI-compatible client can
sample the model and read its log-probabilities; see the README for the
token, logprob and chat-prompt conventions.

The server binds 127.0.0.1 unless --addr says otherwise, has no
authentication (any API key is accepted), and shuts down gracefully on
SIGINT or SIGTERM, finishing the requests in flight.`

func newServeCmd() *cobra.Command {
	var opts serveOptions
	cmd := &cobra.Command{
		Use:   "serve [--model MODEL] [--addr HOST:PORT]",
		Short: "Serve an n-gram model over the OpenAI API",
		Long:  serveLong,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.MaxBodyBytes < 1 || opts.MaxTokens < 1 || opts.MaxPrompt < 1 {
				return usagef("serve: --max-body-bytes, --max-tokens and --max-prompt-tokens must be positive")
			}
			level := slog.LevelInfo
			if opts.Verbose {
				level = slog.LevelDebug
			}
			logger := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
			return runServe(cmd.Context(), opts, logger, nil)
		},
	}
	cmd.Flags().StringVarP(&opts.Model, "model", "m", "", "model file (default: a trigram of the built-in Moby-Dick, trained at start)")
	cmd.Flags().StringVar(&opts.ModelID, "model-id", "hallu-ngram", `the model name clients send as "model"`)
	cmd.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	cmd.Flags().Int64Var(&opts.MaxBodyBytes, "max-body-bytes", serve.DefaultMaxBodyBytes, "largest request body accepted (413 above)")
	cmd.Flags().IntVar(&opts.MaxTokens, "max-tokens", serve.DefaultMaxTokens, "largest max_tokens a request may ask for")
	cmd.Flags().IntVar(&opts.MaxPrompt, "max-prompt-tokens", serve.DefaultMaxPromptTokens, "most tokens in one prompt")
	cmd.Flags().BoolVarP(&opts.Verbose, "verbose", "v", false, "log every request on stderr")
	return cmd
}

// runServe serves until ctx is done, then shuts down gracefully. listening,
// when not nil, is called with the address once the server accepts
// connections.
func runServe(ctx context.Context, opts serveOptions, logger *slog.Logger, listening func(addr string)) error {
	m, model, err := loadModel(ctx, opts.Model)
	if err != nil {
		return err
	}
	s := &serve.Server{Model: m, ModelID: opts.ModelID, MaxBodyBytes: opts.MaxBodyBytes, MaxTokens: opts.MaxTokens,
		MaxPromptTokens: opts.MaxPrompt, Created: time.Now(), Logger: logger}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return err
	}
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(host).IsLoopback() {
		logger.Warn("listening beyond loopback: anyone who can reach this address can use the model", "addr", ln.Addr())
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      10 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	logger.Info("serving", "url", fmt.Sprintf("http://%s/v1", ln.Addr()), "model_id", opts.ModelID, "model", model.Path,
		"order", m.Order(), "vocab", m.VocabSize())
	if listening != nil {
		listening(ln.Addr().String())
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing requests in flight")
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
