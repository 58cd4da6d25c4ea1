package evallog

import (
	"errors"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/internal/input"
)

// collect reads with read and returns copies of the questions.
func collect(t *testing.T, read func(fn func(*MultipleChoice) error) error) ([]MultipleChoice, error) {
	t.Helper()
	var out []MultipleChoice
	err := read(func(mc *MultipleChoice) error {
		c := *mc
		c.LogLikelihoods, c.Scores, c.Phat, c.Choices = slices.Clone(mc.LogLikelihoods), slices.Clone(mc.Scores), slices.Clone(mc.Phat), slices.Clone(mc.Choices)
		out = append(out, c)
		return nil
	})
	return out, err
}

// softmaxByHand is exp(z_i)/Σ exp(z_j), written out for the golden values.
func softmaxByHand(z ...float64) []float64 {
	var s float64
	for _, v := range z {
		s += math.Exp(v)
	}
	out := make([]float64, len(z))
	for i, v := range z {
		out[i] = math.Exp(v) / s
	}
	return out
}

func near(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %v, want %v", what, got, want)
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("%s[%d] = %v, want %v", what, i, got[i], want[i])
		}
	}
}

func readTable(t *testing.T, path string, tab ChoiceTable) ([]MultipleChoice, ChoiceTableStats, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var st ChoiceTableStats
	qs, err := collect(t, func(fn func(*MultipleChoice) error) (err error) {
		st, err = ReadChoiceTable(f, path, tab, fn)
		return err
	})
	return qs, st, err
}

func TestChoiceTableCSVLetterLogits(t *testing.T) {
	qs, st, err := readTable(t, "testdata/choices_letter_logits.csv", ChoiceTable{Scores: "Logit_*", Gold: "5", Question: "0"})
	if err != nil {
		t.Fatal(err)
	}
	if st.Format != "csv" || st.Samples != 3 || len(qs) != 3 {
		t.Fatalf("stats %+v, %d questions", st, len(qs))
	}
	near(t, "q0 phat", qs[0].Phat, softmaxByHand(1.5, 3.25, 0.5, -1))
	near(t, "q1 phat", qs[1].Phat, softmaxByHand(0, 0, 2, 0))
	near(t, "q2 phat", qs[2].Phat, softmaxByHand(2, 2, 1, 1))
	for i, want := range []struct {
		gold, pred int
		q, id      string
		line       int
	}{{1, 1, "What is 2 + 2?", "0", 2}, {2, 2, "Which planet is largest?", "1", 3}, {0, 0, "Capital of France, in one word?", "2", 4}} {
		q := qs[i]
		if q.Gold != want.gold || q.Pred != want.pred || q.Question != want.q || q.DocID != want.id || q.Source.Line != want.line || q.Choices != nil {
			t.Errorf("question %d: gold %d pred %d %q id %q line %d choices %v; want %+v", i, q.Gold, q.Pred, q.Question, q.DocID, q.Source.Line, q.Choices, want)
		}
	}
	// A list of columns reads the same; texts give the choices.
	qs2, _, err := readTable(t, "testdata/choices_letter_logits.csv", ChoiceTable{Scores: "Logit_A,Logit_B,Logit_C,Logit_D", Gold: "5", Texts: "1,2,3,4", GoldAs: GoldLetter})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "q0 phat by list", qs2[0].Phat, qs[0].Phat)
	if !slices.Equal(qs2[0].Choices, []string{"3", "4", "5", "22"}) {
		t.Errorf("choices %q", qs2[0].Choices)
	}
}

func TestChoiceTableJSONLArrays(t *testing.T) {
	qs, st, err := readTable(t, "testdata/choices_logprobs.jsonl", ChoiceTable{Scores: "lp", Texts: "options", Gold: "answer", Question: "question", ID: "id", Kind: KindLogprob})
	if err != nil {
		t.Fatal(err)
	}
	if st.Format != "jsonl" || len(qs) != 2 {
		t.Fatalf("stats %+v", st)
	}
	near(t, "q1 phat", qs[0].Phat, softmaxByHand(-2.5, -0.25, -3))
	// "10" is no letter and no index of 4 choices: auto reads it as text.
	if qs[0].Gold != 1 || qs[1].Gold != 2 || qs[1].DocID != "q2" || len(qs[1].Phat) != 4 {
		t.Errorf("golds %d %d, id %q, %d choices", qs[0].Gold, qs[1].Gold, qs[1].DocID, len(qs[1].Phat))
	}
	// Length normalisation divides each log-prob by its text's length.
	qs, _, err = readTable(t, "testdata/choices_logprobs.jsonl", ChoiceTable{Scores: "lp", Texts: "options", Gold: "answer", Kind: KindLogprob, Norm: NormLength})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "q2 phat by length", qs[1].Phat, softmaxByHand(-1.5/1, -2.0/1, -0.75/2, -4.0/2))
}

// writeTemp writes s to a file and returns its path.
func writeTemp(t *testing.T, name, s string) string {
	t.Helper()
	p := t.TempDir() + "/" + name
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestChoiceTableMalformed(t *testing.T) {
	const header = "q,gold,A,B,C\n"
	tab := ChoiceTable{Scores: "A,B,C", Gold: "gold", Question: "q"}
	for _, c := range []struct {
		name, body string
		tab        ChoiceTable
		line       int
		field      string
		msg        string
	}{
		{"missing score", header + "x,A,1,2,3\ny,B,1,,3\n", tab, 3, "B", "missing score"},
		{"short row", header + "x,A,1,2\n", tab, 2, "C", "missing"},
		{"gold outside", header + "x,D,1,2,3\n", tab, 2, "gold", `"D" names none of the 3 choices`},
		{"NaN logit", header + "x,A,NaN,2,3\n", tab, 2, "A", "not finite"},
		{"+Inf logit", header + "x,A,1,+Inf,3\n", tab, 2, "B", "not finite"},
		{"-Inf logit", header + "x,A,1,-Inf,3\n", tab, 2, "B", "not finite"},
		{"not a number", header + "x,A,1,two,3\n", tab, 2, "B", "not a number"},
		{"one choice", header + "x,A,1,2,3\n", ChoiceTable{Scores: "A", Gold: "gold"}, 2, "gold", "at least two"},
		{"positive logprob", header + "x,A,-1,0.5,-3\n", ChoiceTable{Scores: "A,B,C", Gold: "gold", Kind: KindLogprob}, 2, "B", "positive"},
		{"all probabilities 0", header + "x,A,0,0,0\n", ChoiceTable{Scores: "A,B,C", Gold: "gold", Kind: KindProb}, 2, "A", "no choice has a probability above 0"},
		{"prob above 1", header + "x,A,0.5,1.5,0\n", ChoiceTable{Scores: "A,B,C", Gold: "gold", Kind: KindProb}, 2, "B", "outside [0,1]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := writeTemp(t, "t.csv", c.body)
			_, _, err := readTable(t, path, c.tab)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v, want an *Error", err)
			}
			if e.File != path || e.Line != c.line || e.Field != c.field || !strings.Contains(e.Error(), c.msg) {
				t.Errorf("error %q (line %d field %q), want line %d field %q containing %q", e, e.Line, e.Field, c.line, c.field, c.msg)
			}
			// With SkipBad the row is counted, and a file with nothing
			// else is an error, not an empty table.
			c.tab.SkipBad = true
			_, st, err := readTable(t, path, c.tab)
			if st.Skipped == 0 || st.FirstSkipped == nil {
				t.Errorf("SkipBad: stats %+v", st)
			}
			if st.Samples == 0 && err == nil {
				t.Error("SkipBad with every row bad: no error")
			}
		})
	}
	// A column that is not there is an error even with SkipBad.
	path := writeTemp(t, "t.csv", header+"x,A,1,2,3\n")
	for _, tab := range []ChoiceTable{{Scores: "A,B,Z", Gold: "gold", SkipBad: true}, {Scores: "Logit_*", Gold: "gold"}, {Scores: "A,B", Gold: "answer"}} {
		if _, _, err := readTable(t, path, tab); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "column") {
			t.Errorf("%+v: error %v", tab, err)
		}
	}
	// Options that cannot work are refused before reading.
	for _, tab := range []ChoiceTable{{Scores: "A,B", Gold: "gold", Norm: NormLength}, {Scores: "A,B", Gold: "gold", GoldAs: GoldText}, {Scores: "A,B", Gold: "gold", Kind: "odds"}} {
		if _, _, err := readTable(t, path, tab); err == nil {
			t.Errorf("%+v: no error", tab)
		}
	}
}

func TestChoiceTableAmbiguousGold(t *testing.T) {
	// "1" is index 1 but the text of choice 0.
	path := writeTemp(t, "t.jsonl", `{"s":[-1,-2],"t":["1","0"],"g":"1"}`+"\n")
	_, _, err := readTable(t, path, ChoiceTable{Scores: "s", Texts: "t", Gold: "g", Kind: KindLogprob})
	if err == nil || !strings.Contains(err.Error(), "say which") {
		t.Fatalf("error %v", err)
	}
	qs, _, err := readTable(t, path, ChoiceTable{Scores: "s", Texts: "t", Gold: "g", Kind: KindLogprob, GoldAs: GoldText})
	if err != nil || qs[0].Gold != 0 {
		t.Fatalf("gold as text: %v, %v", qs, err)
	}
}

func TestLMEvalV03Fixture(t *testing.T) {
	f, err := os.Open("testdata/lmeval_v03_winogrande_head.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var st V03Stats
	qs, err := collect(t, func(fn func(*MultipleChoice) error) (err error) {
		st, err = ReadLMEvalV03(f, "w.json", false, Limits{}, fn)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Samples != 3 || st.AccDisagree != 0 {
		t.Fatalf("stats %+v", st)
	}
	// Document 0: logit_0 = -63.77587890625, logit_1 = -60.06351089477539, truth 1.
	near(t, "doc 0", qs[0].Phat, softmaxByHand(-63.77587890625, -60.06351089477539))
	if qs[0].Gold != 1 || qs[0].DocID != "0" || !strings.HasPrefix(qs[0].Question, "People think Samantha is embarassed") || qs[0].Source.Entry != "[0]" {
		t.Errorf("doc 0: %+v", qs[0])
	}
}

func TestLMEvalV03Malformed(t *testing.T) {
	for _, c := range []struct{ name, body, field, msg string }{
		{"generative", `[{"doc_id":0,"prompt_0":"Q","logit_0":"some text","truth":"x"}]`, "logit_0", "not multiple choice"},
		{"one choice", `[{"doc_id":0,"prompt_0":"Q","logit_0":-1,"truth":0}]`, "logit_1", "missing"},
		{"NaN", `[{"doc_id":0,"prompt_0":"a","logit_0":NaN,"prompt_1":"b","logit_1":-1,"truth":0}]`, "logit_0", "not a number"},
		{"truth outside", `[{"doc_id":0,"prompt_0":"a","logit_0":-2,"prompt_1":"b","logit_1":-1,"truth":2}]`, "truth", "not the index"},
		{"truth text", `[{"doc_id":0,"prompt_0":"x yes","logit_0":-2,"prompt_1":"x no","logit_1":-1,"truth":" maybe"}]`, "truth", "ends none"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadLMEvalV03(strings.NewReader(c.body), "w.json", false, Limits{}, func(*MultipleChoice) error { return nil })
			var e *Error
			if !errors.As(err, &e) || e.Entry != "[0]" || e.Field != c.field || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %v, want entry [0] field %s containing %q", err, c.field, c.msg)
			}
		})
	}
	// A gold given as text names the choice whose prompt it ends.
	var gold int
	_, err := ReadLMEvalV03(strings.NewReader(`[{"doc_id":0,"prompt_0":"x yes","logit_0":-2,"prompt_1":"x no","logit_1":-1,"truth":" no"}]`), "w.json", false, Limits{},
		func(mc *MultipleChoice) error { gold = mc.Gold; return nil })
	if err != nil || gold != 1 {
		t.Errorf("gold %d, %v", gold, err)
	}
}

func readHELM(t *testing.T, path string, sc HELMScore) ([]MultipleChoice, error) {
	t.Helper()
	f, err := input.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return collect(t, func(fn func(*MultipleChoice) error) error {
		_, err := ReadHELMChoices(f, path, sc, false, Limits{}, fn)
		return err
	})
}

func TestHELMSeparate(t *testing.T) {
	// The fixture's reference tokens (after the prompt token "Answer:",
	// which is not summed): original log-probs as listed, calibration
	// ones half of them.
	sums := []float64{-3.5, -5.25, -3.5, -7.125}
	lens := []float64{2, 3, 2, 5}
	for _, c := range []struct {
		sc   HELMScore
		want []float64
	}{
		{HELMSum, sums},
		{HELMPerToken, []float64{sums[0] / lens[0], sums[1] / lens[1], sums[2] / lens[2], sums[3] / lens[3]}},
		{HELMCalibrated, []float64{sums[0] / 2, sums[1] / 2, sums[2] / 2, sums[3] / 2}},
	} {
		qs, err := readHELM(t, "testdata/helm_separate_calibrated.json", c.sc)
		if err != nil {
			t.Fatal(err)
		}
		if len(qs) != 1 || qs[0].Gold != 2 || qs[0].DocID != "id147" || len(qs[0].Choices) != 4 {
			t.Fatalf("%s: %+v", c.sc, qs)
		}
		near(t, string(c.sc), qs[0].Phat, softmaxByHand(c.want...))
	}
}

func TestHELMJointTopLogprobs(t *testing.T) {
	qs, err := readHELM(t, "testdata/helm_joint_top_logprobs.json", HELMSum)
	if err != nil {
		t.Fatal(err)
	}
	// D's mass is that of " D" and "D" together.
	near(t, "joint", qs[0].Phat, softmaxByHand(-1.5, -2.5, -0.5, math.Log(math.Exp(-3.5)+math.Exp(-3.0))))
	if _, err := readHELM(t, "testdata/helm_joint_top_logprobs.json", HELMPerToken); err == nil {
		t.Error("per-token score of a joint run: no error")
	}
}

// Golden tests on the real files in ../shared/data (skipped without them).

func TestRealHELMSaysWhereNoPerChoiceLogprobs(t *testing.T) {
	for file, msg := range map[string]string{
		"evallogs/helm/mmlu-philosophy_gpt2__scenario_state.json": "no top_logprobs",
		"evallogs/helm/hellaswag_pythia-1b__scenario_state.json":  "multiple_choice_separate_original",
		"evallogs/helm/narrativeqa_gpt2__scenario_state.json":     `method "generation" is not multiple choice`,
	} {
		path := needShared(t, file)
		_, err := readHELM(t, path, HELMSum)
		if err == nil || !strings.Contains(err.Error(), msg) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want one naming the file and saying %q", file, err, msg)
		}
	}
}

func TestRealLMEvalV03Winogrande(t *testing.T) {
	for file, want := range map[string]struct{ acc, conf float64 }{
		"evallogs/lm-eval-pairs/v03-writeout_mistral-7b-v0.1_winogrande-5shot__winogrande_write_out_info.json.gz": {0.781, 0.821},
		"evallogs/lm-eval-pairs/v03-writeout_llama-2-13b_winogrande-5shot__winogrande_write_out_info.json.gz":     {0.762, 0.808},
	} {
		path := needShared(t, file)
		f, err := input.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		var correct, conf float64
		st, err := ReadLMEvalV03(f, path, false, Limits{}, func(mc *MultipleChoice) error {
			if mc.Pred == mc.Gold {
				correct++
			}
			conf += mc.Phat[mc.Pred]
			return nil
		})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		// SOURCE.md's figures, to its 3 decimals; the file's own acc agrees
		// on every document.
		n := float64(st.Samples)
		if st.Samples != 1267 || st.AccDisagree != 0 || math.Abs(correct/n-want.acc) > 5e-4 || math.Abs(conf/n-want.conf) > 5e-4 {
			t.Errorf("%s: %+v, acc %v conf %v, want %+v", file, st, correct/n, conf/n, want)
		}
	}
	// The v0.3 truthfulqa_gen file is generative: refused, saying so.
	path := needShared(t, "evallogs/lm-eval/v03-writeout_mistral-7b_truthfulqa-gen__truthfulqa_gen_write_out_info.json.gz")
	f, err := input.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := ReadLMEvalV03(f, path, false, Limits{}, func(*MultipleChoice) error { return nil }); err == nil || !strings.Contains(err.Error(), "not multiple choice") {
		t.Errorf("generative v0.3 file: %v", err)
	}
}
