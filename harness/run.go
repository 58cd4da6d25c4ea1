package harness

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hallu-dev/hallu/llm"
	"github.com/hallu-dev/hallu/score"
	"github.com/hallu-dev/hallu/score/grade"
)

// Config describes a run: which model to ask which questions under which
// confidence targets, and how to grade the answers.
type Config struct {
	Client    *llm.Client
	Model     string
	Questions []Question
	// Targets are the confidence targets t, each in [0,1) (Section 4.2 of arXiv:2509.04664).
	Targets []float64
	// Structured asks for "Answer:" and "Confidence:" lines; the stated
	// confidence becomes the sample's confidence.
	Structured bool
	// Temperature, MaxTokens and Seed are sent with every question.
	Temperature float64
	MaxTokens   int
	Seed        *int64
	// Grader grades each answer: a *grade.Matcher, a *LetterJudge, or
	// another grade.Grader. A grading failure makes the sample Invalid,
	// except a judge's request that fails, which is not recorded.
	Grader grade.Grader
	// Workers is the number of questions in flight (default 8). The
	// client bounds the requests in flight on its own.
	Workers int
	// Progress, if set, is updated as the run goes.
	Progress *Progress
	// MaxFailures is the number of requests failing in a row (after the
	// client's retries) that stops the run (default 3).
	MaxFailures int
}

// Progress counts a run's work; its fields may be read while the run goes.
type Progress struct {
	Total   atomic.Int64 // (question, target) pairs to ask in this run
	Done    atomic.Int64 // pairs whose record is on disk
	Invalid atomic.Int64 // of Done, records that are invalid
}

// Result sums up a run.
type Result struct {
	Pairs   int `json:"pairs"`   // questions × targets selected
	Resumed int `json:"resumed"` // pairs the run file already had
	Written int `json:"written"` // records this run appended
	Invalid int `json:"invalid"` // of Written, invalid records
	Failed  int `json:"failed"`  // pairs whose request failed: not recorded, asked again by the next run
}

// A FailureError reports the pairs a run could not ask because the
// endpoint failed (unreachable, 401, unknown model, …). Their questions
// have no record in the run file, so running again asks them.
type FailureError struct {
	Failed  int   // pairs whose request failed
	Stopped bool  // the run stopped early after MaxFailures failures in a row
	InARow  int   // when Stopped, the requests that failed or were rejected in a row
	First   error // the first failure
}

func (e *FailureError) Error() string {
	if e.Stopped {
		return fmt.Sprintf("run stopped after %d requests in a row failed or were rejected; first: %v", e.InARow, e.First)
	}
	return fmt.Sprintf("%d requests failed and their questions were not recorded; first failure: %v", e.Failed, e.First)
}

func (e *FailureError) Unwrap() error { return e.First }

// failure is an endpoint's failure to answer one pair: no reply, or one
// that says nothing about the request itself (401, 403, 404, 429, 5xx).
type failure struct{ err error }

func (f failure) Error() string { return f.err.Error() }
func (f failure) Unwrap() error { return f.err }

// rejectedReason prefixes the reason of an Invalid record for a request
// the endpoint rejected as such (400, 413, 422, …: too long, refused by a
// content filter). Such a record is kept, so that the score counts it
// invalid, and asked again by the next run (see OpenRunFile).
const rejectedReason = "API error: "

// isRejection reports whether err is a reply that rejects the request
// itself rather than the caller, the model name or the server's state.
func isRejection(err error) bool {
	var api *llm.APIError
	if !errors.As(err, &api) || api.StatusCode/100 != 4 {
		return false
	}
	switch api.StatusCode {
	case http.StatusUnauthorized, http.StatusPaymentRequired, http.StatusForbidden, http.StatusNotFound,
		http.StatusRequestTimeout, http.StatusConflict, http.StatusTooManyRequests:
		return false
	}
	return true
}

// Run asks every selected (question, target) pair that rf has no record
// of, grades the answers and appends them to rf in batches. Pairs are
// asked in question order, every target of a question before the next.
//
// A request that fails (after the client's retries), whether the model's
// answer or the judge's, is not recorded: it is no answer, and the next
// run asks it again. Run then returns a *FailureError with the first
// failure, after finishing the other pairs. A request the endpoint
// rejects as such (400, 422, …) is recorded Invalid, and asked again by
// the next run. When cfg.MaxFailures requests in a row fail or are
// rejected, Run stops at once with a *FailureError.
//
// When ctx ends, Run stops asking, appends the records already graded,
// and returns ctx's error: the file then holds whole records only, and a
// new Run on it resumes.
func Run(ctx context.Context, cfg Config, rf *RunFile) (Result, error) {
	if err := cfg.check(); err != nil {
		return Result{}, err
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = 8
	}
	var res Result
	type job struct {
		q Question
		t float64
	}
	var jobs []job
	for _, q := range cfg.Questions {
		for _, t := range cfg.Targets {
			res.Pairs++
			if rf.Done(cfg.Model, q.ID, t) {
				res.Resumed++
				continue
			}
			jobs = append(jobs, job{q, t})
		}
	}
	progress := cfg.Progress
	if progress == nil {
		progress = new(Progress)
	}
	progress.Total.Store(int64(len(jobs)))
	maxFailures := cfg.MaxFailures
	if maxFailures <= 0 {
		maxFailures = 3
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	todo := make(chan job)
	graded := make(chan *score.Sample, workers)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		failErr  *FailureError // nil until a request fails
		inARow   int           // requests failed or rejected since the last answer
		stopping = errors.New("too many failures in a row")
	)
	for range workers {
		wg.Go(func() {
			for j := range todo {
				s, err := cfg.ask(ctx, j.q, j.t)
				var f failure
				isFailure := errors.As(err, &f)
				if err != nil && !isFailure {
					cancel(err)
					return
				}
				mu.Lock()
				if isFailure || s.Outcome == score.Invalid && strings.HasPrefix(s.Reason, rejectedReason) {
					inARow++
					if failErr == nil {
						failErr = &FailureError{First: err}
						if !isFailure {
							failErr.First = errors.New(s.Reason)
						}
					}
					if isFailure {
						failErr.Failed++
					}
					if inARow >= maxFailures && !failErr.Stopped {
						failErr.Stopped, failErr.InARow = true, inARow
						cancel(stopping)
					}
				} else {
					inARow = 0
				}
				mu.Unlock()
				if !isFailure {
					graded <- s
				}
			}
		})
	}
	go func() {
		defer close(todo)
		for _, j := range jobs {
			select {
			case todo <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(graded)
	}()

	// The writer: whatever is graded while a batch is being synced forms
	// the next batch, so a slow disk makes batches bigger, not the run
	// slower.
	var writeErr error
	batch := make([]*score.Sample, 0, workers)
	for s := range graded {
		batch = append(batch[:0], s)
	fill:
		for {
			select {
			case s, ok := <-graded:
				if !ok {
					break fill
				}
				batch = append(batch, s)
			default:
				break fill
			}
		}
		if writeErr != nil {
			continue // drain, so the workers can finish
		}
		if err := rf.Append(batch); err != nil {
			writeErr = err
			cancel(err)
			continue
		}
		for _, s := range batch {
			res.Written++
			if s.Outcome == score.Invalid {
				res.Invalid++
				progress.Invalid.Add(1)
			}
		}
		progress.Done.Add(int64(len(batch)))
	}
	if writeErr != nil {
		return res, writeErr
	}
	if failErr != nil && (failErr.Failed > 0 || failErr.Stopped) {
		res.Failed = failErr.Failed
		if cause := context.Cause(ctx); cause != nil && cause != stopping {
			return res, cause
		}
		return res, failErr
	}
	if missing := res.Pairs - res.Resumed - res.Written; missing > 0 {
		if err := context.Cause(ctx); err != nil {
			return res, err
		}
		return res, fmt.Errorf("harness: %d pairs were not asked", missing)
	}
	return res, nil
}

func (cfg *Config) check() error {
	switch {
	case cfg.Client == nil:
		return errors.New("harness: no client")
	case cfg.Model == "":
		return errors.New("harness: no model")
	case cfg.Grader == nil:
		return errors.New("harness: no grader")
	case len(cfg.Targets) == 0:
		return errors.New("harness: no targets")
	}
	for _, t := range cfg.Targets {
		if err := score.CheckTarget(t); err != nil {
			return fmt.Errorf("harness: %w", err)
		}
	}
	return nil
}

// ask puts question q to the model under target t and grades the answer.
// It returns a failure when the model or the judge could not be asked, and
// ctx's error when ctx ends.
func (cfg *Config) ask(ctx context.Context, q Question, t float64) (*score.Sample, error) {
	s := &score.Sample{ID: q.ID, Question: q.Text, Golds: q.Golds, Model: cfg.Model, Target: &t}
	temp := cfg.Temperature
	resp, err := cfg.Client.Chat(ctx, &llm.ChatRequest{
		Model: cfg.Model, Messages: Messages(q, t, cfg.Structured),
		Temperature: &temp, MaxTokens: cfg.MaxTokens, Seed: cfg.Seed,
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if isRejection(err) {
			s.Outcome, s.Reason = score.Invalid, rejectedReason+err.Error()
			return s, nil
		}
		return nil, failure{err}
	}
	s.Response = resp.Choices[0].Message.Content
	note := ""
	if cfg.Structured {
		st, err := ParseStructured(s.Response)
		if err != nil {
			s.Outcome, s.Reason = score.Invalid, "structured reply: "+err.Error()
			return s, nil
		}
		s.Response, s.Confidence = st.Answer, st.Confidence
		if st.ConfidenceErr != nil {
			note = "; no confidence: " + st.ConfidenceErr.Error()
		}
	}
	o, why, err := cfg.Grader.GradeSample(ctx, s)
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.As(err, new(failure)):
		return nil, failure{err}
	case err != nil:
		o, why = score.Invalid, "grader failed: "+err.Error()
	}
	s.Outcome, s.Reason = o, why+note
	return s, nil
}
