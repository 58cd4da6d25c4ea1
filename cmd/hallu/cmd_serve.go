package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/hallu-dev/hallu/serve"
	"github.com/spf13/cobra"
)

type serveOptions struct {
	Model           string
	ModelID         string
	Addr            string
	MaxBodyBytes    int64
	MaxTokens       int
	MaxPrompt       int
	MaxChoices      int
	MaxRequest      int
	MaxReplyBytes   int
	Parallel        int
	Queue           int
	AllowHosts      []string
	AllowOrigins    []string
	ShutdownTimeout time.Duration
	Verbose         bool
}

const serveLong = `Serve an n-gram model over the OpenAI API: POST /v1/completions (with
logprobs and echo), POST /v1/chat/completions (with logprobs and
top_logprobs), GET /v1/models, GET /health. Any OpenAI-compatible client can
sample the model and read its log-probabilities; see docs/serve.md for the
token, logprob and chat-prompt conventions.

Every request is treated as hostile. What one request may cost is bounded,
and checked before any work, without overflow:
  --max-choices         n × prompts
  --max-tokens          max_tokens of a request
  --max-prompt-tokens   prompt tokens, all prompts of a request together
  --max-request-tokens  tokens returned: choices × max_tokens, plus with echo
                        each choice's prompt tokens
  --max-reply-bytes     size of the reply (a request whose reply would be
                        larger gets 400 reply_too_large)
  --max-body-bytes      size of the request body (413 above)
At most --parallel completion requests are worked on at once and --queue
more wait; beyond that a request gets 429 with Retry-After: 1.

The server binds 127.0.0.1 unless --addr says otherwise and has no
authentication (any API key is accepted). It answers only requests whose
Host header is a loopback name or address (localhost, 127.0.0.1, [::1]) or
one given with --allow-host, and, from web pages, only loopback origins or
those given with --allow-origin; POST bodies must be application/json.
Together these refuse DNS-rebinding and cross-site requests from pages the
user visits.

On SIGINT or SIGTERM it stops accepting connections, stops the work in
flight (those requests get 503 with Retry-After) and exits 0, closing any
connection still open after --shutdown-timeout; a second signal exits at
once (status 130). A client that goes away stops its request's work.`

func newServeCmd() *cobra.Command {
	var opts serveOptions
	cmd := &cobra.Command{
		Use:   "serve [--model MODEL] [--addr HOST:PORT]",
		Short: "Serve an n-gram model over the OpenAI API",
		Long:  serveLong,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.MaxBodyBytes < 1 || opts.MaxTokens < 1 || opts.MaxPrompt < 1 || opts.MaxChoices < 1 ||
				opts.MaxRequest < 1 || opts.MaxReplyBytes < 1 || opts.Parallel < 1 {
				return usagef("serve: --max-body-bytes, --max-tokens, --max-prompt-tokens, --max-choices, --max-request-tokens, --max-reply-bytes and --parallel must be positive")
			}
			if opts.Queue < 0 || opts.ShutdownTimeout < 0 {
				return usagef("serve: --queue and --shutdown-timeout must not be negative")
			}
			level := slog.LevelInfo
			if opts.Verbose {
				level = slog.LevelDebug
			}
			logger := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
			return runServe(cmd.Context(), opts, logger, nil, secondSignal())
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Model, "model", "m", "", "model file (default: a trigram of the built-in Moby-Dick, trained at start)")
	f.StringVar(&opts.ModelID, "model-id", "hallu-ngram", `the model name clients send as "model"`)
	f.StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	f.Int64Var(&opts.MaxBodyBytes, "max-body-bytes", serve.DefaultMaxBodyBytes, "largest request body accepted (413 above)")
	f.IntVar(&opts.MaxTokens, "max-tokens", serve.DefaultMaxTokens, "largest max_tokens a request may ask for")
	f.IntVar(&opts.MaxPrompt, "max-prompt-tokens", serve.DefaultMaxPromptTokens, "most prompt tokens in one request, all its prompts together")
	f.IntVar(&opts.MaxChoices, "max-choices", serve.DefaultMaxChoices, "most choices (n × prompts) in one request")
	f.IntVar(&opts.MaxRequest, "max-request-tokens", serve.DefaultMaxRequestTokens, "most tokens one request may return (choices × max_tokens, plus echoed prompt tokens)")
	f.IntVar(&opts.MaxReplyBytes, "max-reply-bytes", serve.DefaultMaxReplyBytes, "largest reply (400 reply_too_large above)")
	f.IntVar(&opts.Parallel, "parallel", serve.DefaultParallel, "completion requests worked on at once")
	f.IntVar(&opts.Queue, "queue", serve.DefaultMaxQueue, "requests that may wait for a slot; beyond, 429 with Retry-After")
	f.StringSliceVar(&opts.AllowHosts, "allow-host", nil, "`HOST` that requests may name besides loopback ones (repeatable, comma-separated; * for any)")
	f.StringSliceVar(&opts.AllowOrigins, "allow-origin", nil, "web `ORIGIN` (https://app.example) whose pages may call the API besides loopback ones (repeatable; * for any)")
	f.DurationVar(&opts.ShutdownTimeout, "shutdown-timeout", 5*time.Second, "on SIGINT/SIGTERM, how long connections may take to finish before they are closed")
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "log every request on stderr")
	return cmd
}

// secondSignal returns a channel closed at the second SIGINT or SIGTERM:
// the first ends the command's context (main's signal.NotifyContext) and
// starts a graceful shutdown; the second asks to stop at once.
func secondSignal() <-chan struct{} {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	force := make(chan struct{})
	go func() {
		<-sigs
		<-sigs
		signal.Stop(sigs)
		close(force)
	}()
	return force
}

// runServe serves until ctx is done, then shuts down: it stops accepting
// connections, stops the work in flight and waits up to the shutdown
// timeout, or until force is closed, for connections to finish. listening,
// when not nil, is called with the address once the server accepts
// connections.
func runServe(ctx context.Context, opts serveOptions, logger *slog.Logger, listening func(addr string), force <-chan struct{}) error {
	if _, port, err := net.SplitHostPort(opts.Addr); err != nil {
		return usagef("serve: --addr %q: %v (want HOST:PORT, e.g. 127.0.0.1:8080)", opts.Addr, err)
	} else if _, err := net.LookupPort("tcp", port); err != nil {
		return usagef("serve: --addr %q: %v", opts.Addr, err)
	}
	m, model, err := loadModel(ctx, opts.Model)
	if err != nil {
		return err
	}
	queue := opts.Queue
	if queue == 0 {
		queue = -1 // serve.Server's "no queue"
	}
	s := &serve.Server{Model: m, ModelID: opts.ModelID, MaxBodyBytes: opts.MaxBodyBytes, MaxTokens: opts.MaxTokens,
		MaxPromptTokens: opts.MaxPrompt, MaxChoices: opts.MaxChoices, MaxRequestTokens: opts.MaxRequest,
		MaxReplyBytes: opts.MaxReplyBytes, Parallel: opts.Parallel, MaxQueue: queue,
		AllowHosts: opts.AllowHosts, AllowOrigins: opts.AllowOrigins, AllowAdvice: serveAllowAdvice, Created: time.Now(), Logger: logger}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return err
	}
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(host).IsLoopback() {
		logger.Warn("listening beyond loopback: anyone who can reach this address can use the model; requests must name an allowed host (--allow-host)", "addr", ln.Addr())
	}
	work, stopWork := context.WithCancelCause(context.Background())
	defer stopWork(nil)
	srv := &http.Server{
		Handler:           s.Handler(),
		BaseContext:       func(net.Listener) context.Context { return work },
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      10 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	logger.Info("serving", "url", fmt.Sprintf("http://%s/v1", ln.Addr()), "model_id", opts.ModelID, "model", model.Path,
		"order", m.Order(), "vocab", m.VocabSize(), "parallel", opts.Parallel, "queue", opts.Queue)
	if listening != nil {
		listening(ln.Addr().String())
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	inWork, waiting := s.Load()
	logger.Info("shutting down: no new connections; stopping the work in flight", "in_work", inWork, "waiting", waiting)
	stopWork(serve.ErrShuttingDown)
	shutCtx, cancel := context.WithTimeout(context.Background(), opts.ShutdownTimeout)
	defer cancel()
	forced := make(chan struct{})
	go func() {
		select {
		case <-force:
			close(forced)
			cancel()
		case <-shutCtx.Done():
		}
	}()
	if err := srv.Shutdown(shutCtx); err != nil {
		srv.Close()
		select {
		case <-forced:
			return fmt.Errorf("serve: stopped at once on a second signal: %w", context.Canceled)
		default:
		}
		logger.Warn("closed the connections still open after the shutdown timeout", "timeout", opts.ShutdownTimeout)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
