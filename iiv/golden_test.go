package iiv

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

func analyzeFile(t *testing.T, path string) Result[Rat] {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := Analyze[Rat](context.Background(), f, 0)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return res
}

func eq(t *testing.T, name string, got Rat, want Rat) {
	t.Helper()
	if got.Cmp(want) != 0 {
		t.Errorf("%s = %v, want %v", name, got, want)
	}
}

// TestCorollary2 is the paper's Corollary 2 (Section 3.3.2): a trigram model
// sees only "out of", so it gives "her mind" and "his mind" the same
// probability after both prompts; opt over thresholds is 1/2 and every such
// model errs at least half the time.
func TestCorollary2(t *testing.T) {
	res := analyzeFile(t, "../examples/corollary2.jsonl")
	if !res.MultipleChoice || res.MinErrors != 1 {
		t.Fatalf("MultipleChoice=%v min|E_c|=%d, want true, 1", res.MultipleChoice, res.MinErrors)
	}
	half := NewRat(1, 2)
	eq(t, "opt", res.Opt, half)
	eq(t, "2(1-1/C)·opt", res.MCBound, half) // C = 2: 2·(1/2)·(1/2)
	eq(t, "err", res.Err, half)
	eq(t, "Theorem 4 slack", res.MCSlack, Rat{})
}

// TestCorollary2AnyTrigram: whatever probability q the trigram gives "her
// mind" after "out of", the model errs with probability 1/2 and opt = 1/2.
func TestCorollary2AnyTrigram(t *testing.T) {
	for _, q := range []string{"0", "0.1", "0.5", "0.9", "1"} {
		in := strings.NewReplacer("Q", q, "R", one(q)).Replace(`{"context":"She","response":"her mind","label":"valid","phat":Q}
{"context":"She","response":"his mind","label":"error","phat":R}
{"context":"He","response":"his mind","label":"valid","phat":R}
{"context":"He","response":"her mind","label":"error","phat":Q}
`)
		res, err := Analyze[Rat](context.Background(), strings.NewReader(in), 0)
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "err (q="+q+")", res.Err, NewRat(1, 2))
		eq(t, "opt (q="+q+")", res.Opt, NewRat(1, 2))
	}
}

func one(q string) string {
	var r Rat
	x, _ := r.Parse([]byte(q))
	return NewRat(1, 1).Sub(x).Big().FloatString(10)
}

// TestTheorem1Tight is an instance where Theorem 1 holds with equality:
// one context with its single valid answer at p̂ = 1/K (just below the
// threshold, so misclassified, and contributing the full k/K), and the rest
// of the mass spread evenly over K errors, each below the threshold.
// err = 1 − 1/K, err_iiv = 1/2, δ = 0, bound = 2·(1/2) − 1/K − 0 = err.
func TestTheorem1Tight(t *testing.T) {
	const K = 364
	var rows []Row[Rat]
	rows = append(rows, Row[Rat]{Context: "c", Response: "valid", Label: Valid, P: NewRat(1, 1), HasP: true, Phat: NewRat(1, K)})
	for i := range K {
		rows = append(rows, Row[Rat]{Context: "c", Response: string(rune(0x100 + i)), Label: Error, Phat: NewRat(K-1, K*K)})
	}
	res, err := analyzeRows(rows)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "err", res.Err, NewRat(K-1, K))
	eq(t, "err_iiv", res.Paper.ErrIIV, NewRat(1, 2))
	eq(t, "delta", res.Paper.Delta, Rat{})
	eq(t, "bound", res.Bound, NewRat(K-1, K))
	eq(t, "slack", res.Slack, Rat{})
}

// TestBirthday checks the shipped birthday example by hand: the calibrated
// algorithm on an unseen fact (α = 1/2, 365 dates, IDK): err = α·364/365,
// err_iiv = α/2 (the true date sits below 1/364 and is misclassified),
// δ = 0, bound = α − 2/364.
func TestBirthday(t *testing.T) {
	res := analyzeFile(t, "../examples/birthday.jsonl")
	near := func(name string, got Rat, want float64) {
		if d := got.Float64() - want; d > 1e-12 || d < -1e-12 {
			t.Errorf("%s = %.15g, want %.15g", name, got.Float64(), want)
		}
	}
	if res.MaxValid != 2 || res.MinErrors != 364 {
		t.Fatalf("max|V_c|, min|E_c| = %d, %d; want 2, 364", res.MaxValid, res.MinErrors)
	}
	near("err", res.Err, 0.5*364/365)
	eq(t, "err_iiv", res.Paper.ErrIIV, NewRat(1, 4))
	near("delta", res.Paper.Delta, 0)
	near("bound", res.Bound, 0.5-2.0/364)
}

// TestNonsenseAndUnlisted: nonsense rows and unlisted mass count in err but
// carry no D-mass and are not in E_c (Section 3.2 of arXiv:2509.04664).
func TestNonsenseAndUnlisted(t *testing.T) {
	in := `{"context":"c","response":"v","label":"valid","p":1,"phat":0.5}
{"context":"c","response":"e1","label":"error","phat":0.1}
{"context":"c","response":"e2","label":"error","phat":0.1}
{"context":"c","response":"zzz","label":"nonsense","phat":0.2}
`
	res, err := Analyze[Rat](context.Background(), strings.NewReader(in), 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.MinErrors != 2 {
		t.Errorf("min|E_c| = %d, want 2 (nonsense is not in E_c)", res.MinErrors)
	}
	eq(t, "err", res.Err, NewRat(5, 10)) // 0.1+0.1 errors, 0.2 nonsense, 0.1 unlisted
	eq(t, "unlisted", res.Unlisted, NewRat(1, 10))
	eq(t, "nonsense", res.Nonsense, NewRat(2, 10))
	// Threshold 1/2: nothing is above it (0.5 is not > 0.5): err_iiv = D(v) = 1/2.
	eq(t, "err_iiv", res.Paper.ErrIIV, NewRat(1, 2))
}

func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"malformed JSON", `{"context":"c","response":"v",`, "line 1"},
		{"not an object", `["c"]`, "line 1: not a JSON object"},
		{"unknown label", `{"context":"c","response":"v","label":"maybe","p":1,"phat":1}`, "line 1: field label: unknown label \"maybe\""},
		{"NaN", `{"context":"c","response":"v","label":"valid","p":1,"phat":NaN}`, "line 1: field phat"},
		{"overflow", `{"context":"c","response":"v","label":"valid","p":1,"phat":1e999}`, "line 1: field phat: invalid number"},
		{"negative phat", "{\"context\":\"c\",\"response\":\"v\",\"label\":\"valid\",\"p\":1,\"phat\":-0.1}\n", "line 1: field phat: p̂ = -0.1 is not a probability"},
		{"negative p", `{"context":"c","response":"v","label":"valid","p":-1,"phat":0.1}`, "line 1: field p: p = -1"},
		{"positive logprob", `{"context":"c","response":"v","label":"valid","p":1,"logprob":0.5}`, "line 1: field logprob"},
		{"phat and logprob", `{"context":"c","response":"v","label":"valid","p":1,"phat":0.5,"logprob":-1}`, "give phat or logprob, not both"},
		{"missing phat", `{"context":"c","response":"v","label":"valid","p":1}`, "line 1: field phat: missing"},
		{"missing context", `{"response":"v","label":"valid","p":1,"phat":1}`, "line 1: field context: missing"},
		{"p on an error", "{\"context\":\"c\",\"response\":\"v\",\"label\":\"valid\",\"p\":1,\"phat\":0.5}\n{\"context\":\"c\",\"response\":\"e\",\"label\":\"error\",\"p\":0.2,\"phat\":0.5}", "line 2: field p: a error response has p = 0.2"},
		{"valid p not summing to 1", "{\"context\":\"c\",\"response\":\"v\",\"label\":\"valid\",\"p\":0.7,\"phat\":0.5}\n{\"context\":\"c\",\"response\":\"e\",\"label\":\"error\",\"phat\":0.5}", `context "c" (line 1): field p: valid responses' p sums to 0.7, not 1`},
		{"phat over 1", "{\"context\":\"c\",\"response\":\"v\",\"label\":\"valid\",\"p\":1,\"phat\":0.7}\n{\"context\":\"c\",\"response\":\"e\",\"label\":\"error\",\"phat\":0.5}", "field phat: p̂ sums to 1.2"},
		{"mu on some contexts only", "{\"context\":\"a\",\"mu\":0.5,\"response\":\"v\",\"label\":\"valid\",\"phat\":0.5}\n{\"context\":\"a\",\"mu\":0.5,\"response\":\"e\",\"label\":\"error\",\"phat\":0.5}\n{\"context\":\"b\",\"response\":\"v\",\"label\":\"valid\",\"phat\":0.5}\n{\"context\":\"b\",\"response\":\"e\",\"label\":\"error\",\"phat\":0.5}", `context "b" (line 3): field mu: given on some contexts only`},
		{"mu not summing to 1", "{\"context\":\"a\",\"mu\":0.5,\"response\":\"v\",\"label\":\"valid\",\"phat\":0.5}\n{\"context\":\"a\",\"mu\":0.5,\"response\":\"e\",\"label\":\"error\",\"phat\":0.5}", "field mu: μ sums to 0.5"},
		{"context with no errors", `{"context":"c","response":"v","label":"valid","p":1,"phat":1}`, `context "c" (line 1) has no error responses: |E_c| = 0, so D and the threshold 1/min_c|E_c| are undefined`},
		{"context with no valid", `{"context":"c","response":"e","label":"error","phat":1}`, "has no valid responses"},
		{"non-contiguous context", "{\"context\":\"a\",\"response\":\"v\",\"label\":\"valid\",\"phat\":0.5}\n{\"context\":\"a\",\"response\":\"e\",\"label\":\"error\",\"phat\":0.5}\n{\"context\":\"b\",\"response\":\"v\",\"label\":\"valid\",\"phat\":0.5}\n{\"context\":\"b\",\"response\":\"e\",\"label\":\"error\",\"phat\":0.5}\n{\"context\":\"a\",\"response\":\"x\",\"label\":\"error\",\"phat\":0}", `line 5: field context: context "a" appears again`},
		{"duplicate response", "{\"context\":\"a\",\"response\":\"v\",\"label\":\"valid\",\"phat\":0.5}\n{\"context\":\"a\",\"response\":\"v\",\"label\":\"error\",\"phat\":0.5}", `line 2: field response: response "v" appears twice`},
		{"p on some valid rows only", "{\"context\":\"a\",\"response\":\"v\",\"label\":\"valid\",\"p\":1,\"phat\":0.5}\n{\"context\":\"a\",\"response\":\"w\",\"label\":\"valid\",\"phat\":0.1}\n{\"context\":\"a\",\"response\":\"e\",\"label\":\"error\",\"phat\":0.4}", "given on 1 of its 2 valid responses"},
		{"empty", "\n\n", "instance has no rows"},
		{"trailing garbage", `{"context":"c","response":"v","label":"valid","p":1,"phat":1} x`, "line 1: trailing data"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, exact := range []bool{false, true} {
				var err error
				if exact {
					_, err = Analyze[Rat](context.Background(), strings.NewReader(tc.in), 0)
				} else {
					_, err = Analyze[Float](context.Background(), strings.NewReader(tc.in), 0)
				}
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("exact=%v: err = %v, want it to contain %q", exact, err, tc.want)
				}
			}
		})
	}
}

func TestDuplicateResponseInLargeContext(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"context":"c","response":"v","label":"valid","phat":0}` + "\n")
	for i := range 200 {
		fmt.Fprintf(&b, `{"context":"c","response":"e%d","label":"error","phat":0}`+"\n", i)
	}
	b.WriteString(`{"context":"c","response":"e7","label":"error","phat":0}` + "\n")
	_, err := Analyze[Float](context.Background(), strings.NewReader(b.String()), 0)
	if err == nil || !strings.Contains(err.Error(), `line 202: field response: response "e7" appears twice`) {
		t.Fatalf("err = %v", err)
	}
}
