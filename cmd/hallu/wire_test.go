package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/instances"
	"github.com/hallu-dev/hallu/internal/wiretest"
	"github.com/hallu-dev/hallu/report"
)

// mcItems are four-choice items; the fake model's letter probabilities
// do not depend on the question.
const mcItems = `{"question":"Capital of France?","choices":["Lyon","Paris","Nice","Lille"],"gold":1}
{"question":"Capital of Italy?","choices":["Rome","Milan","Turin","Naples"],"gold":0}
{"question":"Capital of Spain?","choices":["Seville","Bilbao","Madrid","Valencia"],"gold":2}
{"question":"Capital of Germany?","choices":["Bonn","Munich","Hamburg","Berlin"],"gold":3}
`

// TestWireEachServer runs hallu probe, run (matching and judge), delta on
// open questions and delta on multiple-choice items against a fake of each
// server: each works, or stops before its first request naming the
// capability the server lacks.
func TestWireEachServer(t *testing.T) {
	dir := t.TempDir()
	quiz := writeQuiz(t, dir, 3)
	mc := filepath.Join(dir, "mc.jsonl")
	if err := os.WriteFile(mc, []byte(mcItems), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range wiretest.Servers {
		t.Run(name, func(t *testing.T) {
			srv := wiretest.StartServer(t, name)
			common := []string{"--base-url", srv.URL, "--model", "m", "--no-cache", "--max-retries", "0"}

			var probe report.Probe
			runJSON(t, []string{"probe", "--base-url", srv.URL, "--model", "m", "--json"}, &probe)
			for _, f := range probe.Findings {
				if want := srv.Expect[string(f.Capability)]; f.Supported != want || !f.Known {
					t.Errorf("probe %s: supported %v known %v, want %v (%s)", f.Capability, f.Supported, f.Known, want, f.Detail)
				}
			}
			if srv.Requests() != 0 {
				t.Fatalf("probe sent %d requests not marked as probes", srv.Requests())
			}

			for _, judge := range []bool{false, true} {
				args := append([]string{"run", "--dataset", quiz, "--targets", "0,0.5", "--out", filepath.Join(t.TempDir(), "run.jsonl"), "--quiet", "--json"}, common...)
				if judge {
					args = append(args, "--judge-model", "j")
				}
				var sum runSummary
				runJSON(t, args, &sum)
				if sum.Run.Written != 6 || (judge && sum.Run.Invalid != 0) {
					t.Errorf("run (judge %v): %+v", judge, sum.Run)
				}
			}

			// δ on open questions needs echo and n on completions.
			before := srv.Requests()
			var out, errb bytes.Buffer
			code := run(context.Background(), append([]string{"delta", "--dataset", quiz, "--threshold", "1/4", "--samples", "2", "--bootstrap", "0", "--json"}, common...), &out, &errb)
			echo := srv.Expect["echo with logprobs"] && srv.Expect["n on completions"]
			switch {
			case echo && code != exitOK:
				t.Errorf("delta --dataset: exit %d: %s", code, errb.String())
			case !echo && (code == exitOK || !strings.Contains(errb.String(), "needs ")):
				t.Errorf("delta --dataset on a server without echo: exit %d, %q", code, errb.String())
			case !echo && srv.Requests() != before:
				t.Errorf("delta --dataset sent %d requests before stopping", srv.Requests()-before)
			}

			// δ on multiple-choice items: by echo where the server echoes,
			// else by letter probabilities.
			var d report.DeltaChoices
			runJSON(t, append([]string{"delta", "--choices", mc, "--threshold", "1/4", "--json"}, common...), &d)
			wantMethod := "letters"
			if srv.Expect["echo with logprobs"] {
				wantMethod = "echo"
			}
			if d.Method != wantMethod || d.Contexts != 4 {
				t.Fatalf("delta --choices: method %q over %d items, want %q over 4", d.Method, d.Contexts, wantMethod)
			}
			if d.Method == "letters" {
				// The fake model: A 0.5 + 0.04 as " A" when 20 are listed
				// (" A" is not among TGI's 5), B 0.2, C 0.1, D 0.05.
				p := map[string]float64{"A": 0.54, "B": 0.2, "C": 0.1, "D": 0.05}
				if srv.ExpectTopLogprobs == 5 {
					p["A"] = 0.5
				}
				checkLetterDelta(t, &d, p, 1e-9)
			}
		})
	}
}

// checkLetterDelta recomputes δ, err and the outside mass at τ = 1/4 by
// hand from the model's letter probabilities p (A the only one above τ
// after renormalising) and the seeded order that gives each gold its
// letter, to within tol.
func checkLetterDelta(t *testing.T, d *report.DeltaChoices, p map[string]float64, tol float64) {
	t.Helper()
	sum := p["A"] + p["B"] + p["C"] + p["D"]
	sets, _, err := instances.ReadMultipleChoice(strings.NewReader(mcItems), "mc", evallog.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var goldA, errMass float64
	for i := range sets {
		_, labels, err := instances.ChoiceScorer{Labels: instances.Letters, Seed: 1}.Prompt(&sets[i], i)
		if err != nil {
			t.Fatal(err)
		}
		if labels[0] == "A" { // the valid candidate comes first
			goldA++
		}
		errMass += 1 - p[labels[0]]/sum
	}
	n := float64(len(sets))
	wantPhatA := p["A"] / sum // only A is above τ = 1/4
	if math.Abs(d.PhatA-wantPhatA) > tol || math.Abs(d.PA-goldA/n) > tol || math.Abs(d.Delta-math.Abs(wantPhatA-goldA/n)) > tol || math.Abs(d.Err-errMass/n) > tol {
		t.Errorf("got p̂(A) %v p(A) %v δ %v err %v; want %v %v %v %v", d.PhatA, d.PA, d.Delta, d.Err, wantPhatA, goldA/n, math.Abs(wantPhatA-goldA/n), errMass/n)
	}
	if d.Choices == nil || math.Abs(d.Choices.OutsideMean-(1-sum)) > tol {
		t.Errorf("choices %+v, want outside mass %v", d.Choices, 1-sum)
	}
}

// With neither echo nor chat top_logprobs, delta --choices stops before
// its first request and says what is missing.
func TestDeltaChoicesNeitherCapability(t *testing.T) {
	p, err := wiretest.Load("ollama")
	if err != nil {
		t.Fatal(err)
	}
	p.Chat.Logprobs = false // Ollama before v0.12.11
	srv := wiretest.Start(t, p)
	mc := filepath.Join(t.TempDir(), "mc.jsonl")
	if err := os.WriteFile(mc, []byte(mcItems), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"delta", "--choices", mc, "--threshold", "1/4", "--base-url", srv.URL, "--model", "m", "--no-cache"}, &out, &errb)
	msg := errb.String()
	if code == exitOK || !strings.Contains(msg, "neither by echo") || !strings.Contains(msg, "chat top_logprobs") || srv.Requests() != 0 {
		t.Errorf("exit %d, %d requests, %q", code, srv.Requests(), msg)
	}
}

// An lm-eval log's questions and choices (here the letters A–D) scored
// anew on a chat-only server by the letters' own probabilities.
func TestBoundFromLMEvalOnChatServer(t *testing.T) {
	srv := wiretest.StartServer(t, "ollama")
	var env struct {
		Params map[string]any `json:"parameters"`
		Result struct {
			Contexts int     `json:"contexts"`
			Err      float64 `json:"err"`
		} `json:"result"`
	}
	var out, errb bytes.Buffer
	args := []string{"bound", "--from", "lmeval", "../../evallog/testdata/lmeval_mc_negotiationtom.jsonl", "--base-url", srv.URL,
		"--model", "m", "--no-cache", "--labels", "options", "--json"}
	if code := run(context.Background(), args, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if err := json.Unmarshal(out.Bytes(), &env); err != nil {
		t.Fatal(err)
	}
	// The three samples ask one question; the first's gold is D. The fake
	// gives A 0.54, B 0.2, C 0.1, D 0.05 (Ollama lists 20), renormalised
	// over the four.
	wantErr := 1 - 0.05/0.89
	if env.Result.Contexts != 1 || math.Abs(env.Result.Err-wantErr) > 1e-12 || env.Params["method"] != "letters" {
		t.Errorf("contexts %d err %v method %v; want 1, %v, letters", env.Result.Contexts, env.Result.Err, env.Params["method"], wantErr)
	}
}
