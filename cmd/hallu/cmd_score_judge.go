package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hallu-dev/hallu/harness"
	"github.com/hallu-dev/hallu/rescore"
	"github.com/hallu-dev/hallu/score"
	"github.com/spf13/cobra"
)

// judgeOptions are `hallu score`'s flags for grading with an LLM judge.
type judgeOptions struct {
	Model, BaseURL, Cache, APIKeyEnv string
	NoCache                          bool
	Client                           clientOptions
}

func addJudgeFlags(cmd *cobra.Command, o *judgeOptions) {
	f := cmd.Flags()
	f.StringVar(&o.Model, "judge-model", "", "grade with this model as a judge (A correct / B incorrect / C not attempted) instead of matching: the ungraded samples, or all with --regrade or --reference")
	f.StringVar(&o.BaseURL, "judge-base-url", "", "API root of the judge's OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1 (required with --judge-model)")
	f.StringVar(&o.Cache, "judge-cache", "hallu-judge.cache.db", "cache of the judge's replies: a rerun resumes from it")
	f.BoolVar(&o.NoCache, "judge-no-cache", false, "keep no judge cache (then the judge is asked one sample at a time)")
	f.StringVar(&o.APIKeyEnv, "judge-api-key-env", "", "environment variable holding the judge's API key (default OPENAI_API_KEY, optional)")
	o.Client.register(cmd)
}

// judgeProvenance is what reports say about the judge.
func judgeProvenance(o judgeOptions) any {
	if o.Model == "" {
		return nil
	}
	return map[string]any{"model": o.Model, "base_url": redactURL(o.BaseURL), "prompt_sha256": harness.PromptHash(),
		"concurrency": o.Client.concurrency, "rps": o.Client.rps, "max_retries": o.Client.maxRetries}
}

// redactURL drops user information and the query from an endpoint URL, so
// that no credential written into it reaches a report.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable URL)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

// openJudge returns the LLM judge o names, or nil when none is, and a
// function that releases its client and cache.
func openJudge(o judgeOptions) (*harness.LetterJudge, func(), error) {
	if o.Model == "" {
		if o.BaseURL != "" {
			return nil, nil, usagef("--judge-base-url needs --judge-model")
		}
		return nil, func() {}, nil
	}
	if o.BaseURL == "" {
		return nil, nil, usagef("--judge-model needs --judge-base-url")
	}
	client, _, closeAll, err := openEndpoint(o.BaseURL, o.APIKeyEnv, o.Cache, o.Cache, o.NoCache, o.Client)
	if err != nil {
		return nil, nil, err
	}
	return &harness.LetterJudge{Client: client, Model: o.Model}, closeAll, nil
}

// prefetchJudge asks the judge about every sample of the logs that r will
// give it to grade, Concurrency at a time and showing progress on a
// terminal, so that the scoring pass reads the replies from the cache; a
// rerun after an interruption resends only what the cache lacks. It fails
// when the judge could grade none of them, and warns when it could not
// grade some.
func prefetchJudge(ctx context.Context, judge *harness.LetterJudge, r *rescore.Reader, args []string, o judgeOptions) error {
	st := &judgeStats{}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan score.Sample)
	var wg sync.WaitGroup
	for range max(o.Client.concurrency, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range work {
				got, _, err := judge.GradeSample(ctx, &s)
				switch {
				case err != nil && ctx.Err() == nil:
					st.failed.Add(1)
					st.firstErr.CompareAndSwap(nil, &err)
				case got == score.Invalid:
					st.unparsed.Add(1)
				}
				st.done.Add(1)
			}
		}()
	}
	stop := judgeProgress(os.Stderr, st)
	readErr := r.Pending(ctx, args, func(s score.Sample) error {
		st.asked.Add(1)
		select {
		case work <- s:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(work)
	wg.Wait()
	stop()
	if readErr != nil {
		return readErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := st.check(o); err != nil {
		return err
	}
	if st.failed.Load()+st.unparsed.Load() > 0 {
		fmt.Fprintf(os.Stderr, "hallu: warning: the judge could not grade %d of %d samples (%d requests failed, %d replies were not A, B or C); they are counted invalid\n",
			st.failed.Load()+st.unparsed.Load(), st.asked.Load(), st.failed.Load(), st.unparsed.Load())
	}
	return nil
}

// judgeStats counts the prefetch's requests.
type judgeStats struct {
	asked, done, failed, unparsed atomic.Int64
	firstErr                      atomic.Pointer[error]
}

// check turns a prefetch in which nothing could be graded into an error.
func (s *judgeStats) check(o judgeOptions) error {
	n := s.asked.Load()
	if n == 0 {
		return nil
	}
	if s.failed.Load() == n {
		return fmt.Errorf("judge %s at %s: all %d requests failed; first error: %v", o.Model, redactURL(o.BaseURL), n, *s.firstErr.Load())
	}
	if s.failed.Load()+s.unparsed.Load() == n {
		return fmt.Errorf("judge %s: every one of the %d samples came out invalid (%d requests failed, %d replies not A, B or C)", o.Model, n, s.failed.Load(), s.unparsed.Load())
	}
	return nil
}

// judgeProgress redraws "judged N/M" on w while the prefetch runs, when w
// is a terminal.
func judgeProgress(w io.Writer, st *judgeStats) (stop func()) {
	if !isTerminal(w) {
		return func() {}
	}
	return statusLine(w, 250*time.Millisecond, false, func() string {
		return fmt.Sprintf("judged %d of %d samples read (%d failed, %d unparseable)", st.done.Load(), st.asked.Load(), st.failed.Load(), st.unparsed.Load())
	})
}
