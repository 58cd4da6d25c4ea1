package instances

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/iiv"
	"github.com/hallu-dev/hallu/internal/servetest"
	"github.com/hallu-dev/hallu/internal/wiretest"
	"github.com/hallu-dev/hallu/llm"
)

// oneWordSets have options of one word each, which hallu serve's Moby-Dick
// trigram ranks among its 20 most probable first words of a reply.
var oneWordSets = []CandidateSet{
	{Context: "Call me", Valid: []string{" the"}, Errors: []string{" a", " and"}},
	{Context: "What did Ahab hunt?", Valid: []string{" the"}, Errors: []string{" i", " it", " and"}},
	{Context: "Who is the captain?", Valid: []string{" i"}, Errors: []string{" the", " but"}},
}

// chatRendered is the text hallu serve's chat endpoint continues for one
// user message (serve's package doc, "Chat prompts").
func chatRendered(content string) string { return "User: " + content + "\n\nAssistant:" }

// On hallu serve, where a one-word option's first-token probability after
// the chat prompt is exactly its echoed log-probability after the same
// text, the letter-probability path (options as labels) and the echo path
// give the same instance, hence the same δ and err_iiv.
func TestChoiceScorerEqualsEchoOnOneTokenOptions(t *testing.T) {
	m := moby(t)
	client := servetest.Client(t, m, "moby-3")
	ctx := context.Background()
	byLetters, st, err := ScoreChoices[iiv.Float](ctx, oneWordSets, ChoiceScorer{Client: client, Model: "moby-3", Labels: OptionText}, ScoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Used != len(oneWordSets) {
		t.Fatalf("stats %+v", st)
	}
	echoSets := make([]CandidateSet, len(oneWordSets))
	for i, s := range oneWordSets {
		echoSets[i] = s
		echoSets[i].Context = chatRendered(s.Context)
	}
	byEcho, err := Score[iiv.Float](ctx, echoSets, EndpointScorer{Client: client, Model: "moby-3"}, ScoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range byEcho {
		if d := math.Abs(byLetters[i].Phat.Float64() - byEcho[i].Phat.Float64()); d > 1e-12 {
			t.Errorf("row %d (%q): letters %v, echo %v", i, byEcho[i].Response, byLetters[i].Phat, byEcho[i].Phat)
		}
	}
	a, b := result(t, byLetters), result(t, byEcho)
	if math.Abs(a.Paper.Delta.Float64()-b.Paper.Delta.Float64()) > 1e-12 || math.Abs(a.Paper.ErrIIV.Float64()-b.Paper.ErrIIV.Float64()) > 1e-12 {
		t.Errorf("δ %v vs %v, err_iiv %v vs %v", a.Paper.Delta, b.Paper.Delta, a.Paper.ErrIIV, b.Paper.ErrIIV)
	}
}

func result(t *testing.T, rows []iiv.Row[iiv.Float]) iiv.Result[iiv.Float] {
	t.Helper()
	var acc iiv.Accumulator[iiv.Float]
	for _, r := range rows {
		if err := acc.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	res, err := acc.Result()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Letters on a fake vLLM: the fake model puts 0.54 on A (" A" included),
// 0.2 on B, 0.1 on C; p̂ is their renormalisation whichever candidate the
// seeded order puts under each letter, and the outside mass is 0.16.
func TestChoiceScorerLettersOnFakeServer(t *testing.T) {
	base := wiretest.StartServer(t, "vllm").URL
	client, err := llm.New(llm.Config{BaseURL: base, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	set := CandidateSet{Context: "Q: What is the capital of France?\nA:", Valid: []string{" Paris"}, Errors: []string{" Lyon", " Nice"}}
	cs := ChoiceScorer{Client: client, Model: "m", Labels: Letters, Seed: 3}
	rows, st, err := ScoreChoices[iiv.Float](context.Background(), []CandidateSet{set}, cs, ScoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, labels, err := cs.Prompt(&set, 0)
	if err != nil {
		t.Fatal(err)
	}
	p := map[string]float64{"A": 0.54 / 0.84, "B": 0.2 / 0.84, "C": 0.1 / 0.84}
	for j, r := range rows {
		if math.Abs(r.Phat.Float64()-p[labels[j]]) > 1e-12 {
			t.Errorf("%q (letter %s): %v, want %v", r.Response, labels[j], r.Phat, p[labels[j]])
		}
	}
	if math.Abs(st.OutsideMean-0.16) > 1e-12 || st.Used != 1 {
		t.Errorf("stats %+v", st)
	}
}

// Sets with more letters than the top k lists are left out and counted
// with the bound on the missing option, never given a probability; on TGI
// (k = 5) a five-option set misses the fifth letter.
func TestChoiceScorerCountsMissingAndBad(t *testing.T) {
	base := wiretest.StartServer(t, "tgi").URL
	client, err := llm.New(llm.Config{BaseURL: base, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	sets := []CandidateSet{
		{Context: "Q1", Valid: []string{" a"}, Errors: []string{" b", " c"}},
		{Context: "Q2", Valid: []string{" a"}, Errors: []string{" b", " c", " d", " e"}},
	}
	ctx := context.Background()
	rows, st, err := ScoreChoices[iiv.Float](ctx, sets, ChoiceScorer{Client: client, Model: "m", Labels: Letters, TopLogprobs: 5}, ScoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || st.Used != 1 || st.Missing != 1 || math.Abs(st.MissingBound-0.05) > 1e-12 {
		t.Errorf("%d rows, stats %+v", len(rows), st)
	}
	// Asking TGI for 20 fails at the server (422), before any reading.
	if _, _, err := ScoreChoices[iiv.Float](ctx, sets, ChoiceScorer{Client: client, Model: "m", Labels: Letters}, ScoreOptions{}); err == nil || !strings.Contains(err.Error(), "top_n_tokens") {
		t.Errorf("k = 20 on TGI: %v", err)
	}
	// Option texts as labels: no listed token is "x" … "z", so every set
	// has options outside the top k, and nothing is left to score.
	xyz := []CandidateSet{{Context: "Q1", Valid: []string{" x"}, Errors: []string{" y", " z"}}, {Context: "Q2", Valid: []string{" z"}, Errors: []string{" y"}}}
	_, st, err = ScoreChoices[iiv.Float](ctx, xyz, ChoiceScorer{Client: client, Model: "m", Labels: OptionText, TopLogprobs: 5}, ScoreOptions{})
	if err == nil || st.Missing != 2 {
		t.Errorf("got %v, stats %+v", err, st)
	}
}

// On a fake llama.cpp, which echoes no prompt log-probabilities, MethodAuto
// scores by letters and its notes say so, naming Endpoint's fields and no
// flag.
func TestScoreEndpointAutoNotes(t *testing.T) {
	base := wiretest.StartServer(t, "llamacpp").URL
	client, err := llm.New(llm.Config{BaseURL: base, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	set := CandidateSet{Context: "Q: What is the capital of France?\nA:", Valid: []string{" Paris"}, Errors: []string{" Lyon", " Nice"}}
	out, err := ScoreEndpoint[iiv.Float](context.Background(), []CandidateSet{set}, Endpoint{Client: client, Model: "m"}, ScoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(out.Notes, "\n")
	if out.Method != MethodLetters || !strings.Contains(notes, "Endpoint.Method auto chose letters") || !strings.Contains(notes, "order drawn from Endpoint.Seed") {
		t.Errorf("method %s, notes %q", out.Method, out.Notes)
	}
	if strings.Contains(notes, "--") {
		t.Errorf("notes %q name a flag", out.Notes)
	}
}
