package instances

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"

	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/internal/softmax"
	"github.com/hallu-dev/hallu/llm"
)

// Labels says how a ChoiceScorer names a set's options to the model.
type Labels string

const (
	// Letters lists the options as "A. …", "B. …" (in an order drawn from
	// the scorer's seed) and asks for the letter alone; p̂ of an option is
	// the first-token probability of its letter.
	Letters Labels = "letters"
	// OptionText asks the context as it stands and reads the probability
	// of each option's own text (trimmed, case folded) as the first token:
	// for options of one token this is the probability the echo method
	// gives the option after the chat-formatted context.
	OptionText Labels = "options"
)

// ChoiceScorer gives p̂ over a candidate set's options from one chat
// request per set: max_tokens 1, temperature 0, logprobs true and
// top_logprobs TopLogprobs; llm.ReadChoiceProbs reads the first generated
// token's alternatives, and p̂ is their probabilities renormalised over
// the options (the model's distribution restricted to the set, as Score
// restricts the echo method's). It works on any server with chat
// top_logprobs, which most have, where the echo method needs /completions
// with echo (see docs/endpoints.md for how the two differ).
type ChoiceScorer struct {
	Client *llm.Client
	Model  string
	// TopLogprobs is k, the alternatives asked for (default 20, OpenAI's
	// maximum; TGI allows 5 by default).
	TopLogprobs int
	Labels      Labels
	// Seed draws the order of a set's options in a Letters prompt.
	Seed uint64
}

// ChoiceStats counts what ChoiceScorer read, and every set it left out.
type ChoiceStats struct {
	Sets int `json:"sets"`
	// Used counts the sets whose options all had a probability.
	Used int `json:"used"`
	// Bad counts replies that could not be read as probabilities, by
	// problem; FirstBad gives the first of each, naming its set.
	Bad      map[llm.ReplyProblem]int    `json:"bad_replies,omitempty"`
	FirstBad map[llm.ReplyProblem]string `json:"first_bad_reply,omitempty"`
	// Missing counts the sets left out because an option was not among the
	// top k: its probability is known only to be at most the least
	// probable alternative listed. MissingBound is the largest such bound
	// among them, FirstMissing the first set.
	Missing      int     `json:"missing_option"`
	MissingBound float64 `json:"missing_option_bound"`
	FirstMissing string  `json:"first_missing_option,omitempty"`
	// OutsideMean and OutsideMax are the mean and largest first-token mass
	// outside the options over the used sets: what renormalising removed.
	OutsideMean float64 `json:"outside_mass_mean"`
	OutsideMax  float64 `json:"outside_mass_max"`
}

// Prompt returns the user message asked for set i of s and the label of
// each of its candidates (valid first, as candidate(s, j) orders them).
func (cs ChoiceScorer) Prompt(s *CandidateSet, i int) (string, []string, error) {
	n := len(s.Valid) + len(s.Errors)
	labels := make([]string, n)
	if cs.Labels == OptionText {
		seen := map[string]bool{}
		for j := range n {
			l := strings.TrimSpace(candidate(s, j))
			key := strings.ToLower(l)
			if l == "" || seen[key] {
				return "", nil, fmt.Errorf("candidate %q: option texts must be distinct and not blank when they are the labels", candidate(s, j))
			}
			seen[key] = true
			labels[j] = l
		}
		return s.Context, labels, nil
	}
	if n > 26 {
		return "", nil, fmt.Errorf("%d candidates: more than the 26 letters", n)
	}
	order := rand.New(rand.NewPCG(cs.Seed, uint64(i))).Perm(n)
	var b strings.Builder
	b.WriteString(strings.TrimSpace(s.Context) + "\n\nOptions:\n")
	for pos, j := range order {
		labels[j] = string(rune('A' + pos))
	}
	for pos, j := range order {
		fmt.Fprintf(&b, "%c. %s\n", 'A'+pos, strings.TrimSpace(candidate(s, j)))
	}
	b.WriteString("\nAnswer with the letter of the correct option only.")
	return b.String(), labels, nil
}

// ScoreChoices asks cs for p̂ over every set's candidates and returns the
// instance (rows as Score makes them) built from the sets whose replies
// could be read with every option listed. Bad replies and sets with an
// option outside the top k are counted in the stats and left out, never
// given made-up probabilities; it is an error when no set is left, and
// when a request fails (after the client's retries).
func ScoreChoices[T iiv.Scalar[T]](ctx context.Context, sets []CandidateSet, cs ChoiceScorer, opt ScoreOptions) ([]iiv.Row[T], ChoiceStats, error) {
	if cs.TopLogprobs <= 0 {
		cs.TopLogprobs = 20
	}
	st := ChoiceStats{Sets: len(sets), Bad: map[llm.ReplyProblem]int{}, FirstBad: map[llm.ReplyProblem]string{}}
	type result struct {
		cp  llm.ChoiceProbs
		err error // a *llm.ReplyError, or nil
	}
	results := make([]result, len(sets))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		firstErr error
		done     int
	)
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, opt.Workers) {
		wg.Go(func() {
			for i := range next {
				cp, err := cs.ask(ctx, &sets[i], i)
				mu.Lock()
				var re *llm.ReplyError
				switch {
				case err == nil || errors.As(err, &re):
					results[i] = result{cp, err}
				case firstErr == nil:
					firstErr = fmt.Errorf("set %s: %w", setName(&sets[i], i), err)
					cancel()
				}
				done++
				if opt.Progress != nil {
					opt.Progress(done, len(sets))
				}
				mu.Unlock()
			}
		})
	}
feed:
	for i := range sets {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return nil, st, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, st, err
	}
	var rows []iiv.Row[T]
	for i, r := range results {
		name := setName(&sets[i], i)
		var re *llm.ReplyError
		if errors.As(r.err, &re) {
			if st.Bad[re.Problem]++; st.Bad[re.Problem] == 1 {
				st.FirstBad[re.Problem] = fmt.Sprintf("set %s: %s", name, re.Detail)
			}
			continue
		}
		if r.cp.Missing > 0 {
			if st.Missing++; st.Missing == 1 {
				st.FirstMissing = fmt.Sprintf("set %s: %d of %d options not among the top %d", name, r.cp.Missing, len(r.cp.Logprob), cs.TopLogprobs)
			}
			st.MissingBound = max(st.MissingBound, r.cp.Floor)
			continue
		}
		phat, err := softmax.Of(r.cp.Logprob)
		if err != nil {
			return nil, st, fmt.Errorf("set %s: %w", name, err)
		}
		rows = append(rows, probRows[T](&sets[i], phat)...)
		st.Used++
		st.OutsideMean += r.cp.Outside
		st.OutsideMax = max(st.OutsideMax, r.cp.Outside)
	}
	if st.Used == 0 {
		return nil, st, fmt.Errorf("no set could be scored by first-token probabilities: %s", st.Summary())
	}
	st.OutsideMean /= float64(st.Used)
	return rows, st, nil
}

// Summary says in one line what was left out and why.
func (st ChoiceStats) Summary() string {
	parts := []string{fmt.Sprintf("%d of %d sets used", st.Used, st.Sets)}
	for p, n := range st.Bad {
		parts = append(parts, fmt.Sprintf("%d bad replies (%s; first: %s)", n, p, st.FirstBad[p]))
	}
	if st.Missing > 0 {
		parts = append(parts, fmt.Sprintf("%d left out with an option outside the top alternatives, its probability at most %.4g (first: %s)", st.Missing, st.MissingBound, st.FirstMissing))
	}
	return strings.Join(parts, "; ")
}

// ask makes set i's request and reads its reply.
func (cs ChoiceScorer) ask(ctx context.Context, s *CandidateSet, i int) (llm.ChoiceProbs, error) {
	prompt, labels, err := cs.Prompt(s, i)
	if err != nil {
		return llm.ChoiceProbs{}, err
	}
	zero := 0.0
	resp, err := cs.Client.Chat(ctx, &llm.ChatRequest{Model: cs.Model, Messages: []llm.Message{{Role: "user", Content: prompt}},
		MaxTokens: 1, Temperature: &zero, Logprobs: true, TopLogprobs: cs.TopLogprobs})
	if err != nil {
		return llm.ChoiceProbs{}, err
	}
	return llm.ReadChoiceProbs(resp.Choices[0].Logprobs, labels, cs.TopLogprobs, cs.Labels == OptionText)
}

// probRows labels the candidates of s (valid first) with probabilities
// phat, as setRows does.
func probRows[T iiv.Scalar[T]](s *CandidateSet, phat []float64) []iiv.Row[T] {
	var zero T
	rows := make([]iiv.Row[T], len(phat))
	for j := range phat {
		r := iiv.Row[T]{Context: s.Context, Response: candidate(s, j), Label: iiv.Error, Phat: zero.FromFloat(phat[j]), Line: s.Line}
		if j < len(s.Valid) {
			r.Label = iiv.Valid
			if s.P != nil {
				r.P, r.HasP = zero.FromFloat(s.P[j]), true
			}
		}
		rows[j] = r
	}
	return rows
}
