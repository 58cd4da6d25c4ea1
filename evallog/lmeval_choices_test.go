package evallog

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/score"
)

// naiveSoftmaxAt is exp(z_i)/Σ exp(z_j) without any stabilisation: an
// independent check on the small values of the logs.
func naiveSoftmaxAt(z []float64, i int) float64 {
	var sum float64
	for _, v := range z {
		sum += math.Exp(v)
	}
	return math.Exp(z[i]) / sum
}

// readChoices reads every multiple-choice sample of path, copied.
func readChoices(t *testing.T, path string, opt LMEvalChoiceOptions) ([]MultipleChoice, LMEvalChoiceStats) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []MultipleChoice
	st, err := ReadLMEvalChoices(f, path, opt, func(mc *MultipleChoice) error {
		out = append(out, *mc)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, st
}

// acc_norm divides by the length of the choice as doc_to_choice gives it,
// without lm-eval's target delimiter " " (lm_eval/api/task.py,
// ConfigurableTask.process_results: completion_len over
// self.doc_to_choice(doc); construct_requests scores f"{target_delimiter}
// {cont}"). Checked on the real 2023 MathQA log, whose samples carry their
// own acc_norm, at doc_id 6 (line 7), by hand:
//
//	options "a ) 0.036 , b ) 0.36 , c ) 0.6 , d ) 6 , e ) 3.6", target "0.036" (choice 0), acc_norm 1.0
//	resps   -11.045950889587402, -9.370139122009277, -7.750082969665527, -3.544638156890869, -9.736152648925781
//	len     5, 4, 3, 1, 3
//	ll/len  -2.20919, -2.34253, -2.58336, -3.54464, -3.24538  → arg-max 0 = the target: correct, as the log says
//
// Dividing by len(" " + choice) = 6, 5, 4, 2, 4 instead gives -1.84099,
// -1.87403, -1.93752, -1.77232, -2.43404 → arg-max 3: wrong, against the
// log's acc_norm. The confidence is softmax(ll/len) at 0 = 0.31437982864765085.
func TestLMEvalAccNormRealLog(t *testing.T) {
	path := needShared(t, "evallogs/lm-eval/bigrefactor-2023-06_mathqa__mathqa.jsonl")
	lls := []float64{-11.045950889587402, -9.370139122009277, -7.750082969665527, -3.544638156890869, -9.736152648925781}
	z, zSpace := make([]float64, 5), make([]float64, 5)
	for i, n := range []float64{5, 4, 3, 1, 3} {
		z[i], zSpace[i] = lls[i]/n, lls[i]/(n+1)
	}
	if argmax(zSpace) != 3 || argmax(z) != 0 {
		t.Fatalf("hand computation: arg-max %d with the delimiter, %d without", argmax(zSpace), argmax(z))
	}
	const golden = 0.31437982864765085
	if got := naiveSoftmaxAt(z, 0); math.Abs(got-golden) > 1e-15 {
		t.Fatalf("hand computation: %v, golden %v", got, golden)
	}

	ss, st, err := readAll(t, path, Options{Format: LMEval, LengthNormalized: true})
	if err != nil {
		t.Fatal(err)
	}
	s := ss[6]
	if s.ID != "6" || s.Source.Line != 7 || s.Outcome != score.Correct || s.Response != "0.036" || s.Golds[0] != "0.036" ||
		math.Abs(*s.Confidence-golden) > 1e-12 {
		t.Errorf("doc 6: %+v, confidence %v; want correct 0.036 at %v", s, *s.Confidence, golden)
	}
	// Every sample agrees with the log's own acc_norm: no mismatch note.
	if len(st.Notes) != 0 {
		t.Errorf("notes %q", st.Notes)
	}
	mcs, _ := readChoices(t, path, LMEvalChoiceOptions{Norm: NormLength})
	for i, mc := range mcs {
		if mc.AccNorm == nil || *mc.AccNorm != (mc.Pred == mc.Gold) || (ss[i].Outcome == score.Correct) != *mc.AccNorm {
			t.Errorf("doc %s: pred %d, gold %d, grade %v; the log's acc_norm %v", mc.DocID, mc.Pred, mc.Gold, ss[i].Outcome, mc.AccNorm)
		}
	}
}

// MMLU's choices are the letters "A"–"D", continuations " A"–" D": each is
// one character long, so acc_norm's p̂ is the raw softmax. gemma-3-4b-it,
// doc 0: resps -4.625, -0.25390625, -2.5, -2.25, confidence at choice 1
// e^-0.25390625 / Σ e^ll = 0.7972484552201495 (dividing by len(" B") = 2
// gave 0.5536172582200735 before).
func TestLMEvalLengthNormOneLetter(t *testing.T) {
	path := needShared(t, "evallogs/lm-eval/gemma-3-4b-it_mmlu-stem__samples_mmlu_abstract_algebra_2025-09-25T09-53-24.656847.jsonl")
	const golden = 0.7972484552201495
	if got := naiveSoftmaxAt([]float64{-4.625, -0.25390625, -2.5, -2.25}, 1); math.Abs(got-golden) > 1e-15 {
		t.Fatalf("hand computation: %v", got)
	}
	for _, norm := range []bool{false, true} {
		ss, _, err := readAll(t, path, Options{Format: LMEval, LengthNormalized: norm})
		if err != nil {
			t.Fatal(err)
		}
		if s := ss[0]; s.Response != "B" || s.Outcome != score.Correct || math.Abs(*s.Confidence-golden) > 1e-12 {
			t.Errorf("norm %v: %+v, confidence %v; want B correct at %v", norm, s, *s.Confidence, golden)
		}
	}
}

func TestReadLMEvalChoicesFixtures(t *testing.T) {
	mcs, st := readChoices(t, fixture("lmeval_mc_negotiationtom.jsonl"), LMEvalChoiceOptions{})
	if len(mcs) != 3 || st.Samples != 3 || st.Filter != "none" {
		t.Fatalf("%d samples, stats %+v", len(mcs), st)
	}
	mc := mcs[0]
	if mc.DocID != "0" || mc.Source.Line != 1 || mc.Gold != 3 || mc.Pred != 0 || strings.Join(mc.Choices, "") != "ABCD" ||
		mc.Acc == nil || *mc.Acc || mc.AccNorm != nil || mc.LogLikelihoods[2] != -21.125 {
		t.Errorf("%+v", mc)
	}
	for i := range 4 {
		if want := naiveSoftmaxAt(mc.LogLikelihoods, i); math.Abs(mc.Phat[i]-want) > 1e-12 {
			t.Errorf("p̂[%d] = %v, want %v", i, mc.Phat[i], want)
		}
	}
	// MathQA 2023: the choices come from the doc's options string.
	mcs, _ = readChoices(t, fixture("lmeval_mathqa_2023.jsonl"), LMEvalChoiceOptions{Norm: NormBytes})
	if got := strings.Join(mcs[0].Choices, "|"); got != "38|27.675|30|data inadequate|none of these" || mcs[0].Gold != 0 {
		t.Errorf("mathqa choices %q, gold %d", got, mcs[0].Gold)
	}
	if want := mcs[0].LogLikelihoods[3] / 15; mcs[0].Scores[3] != want {
		t.Errorf("bytes score %v, want %v", mcs[0].Scores[3], want)
	}
	// A generative log (0.4.2 array) is refused, naming the entry and field.
	f, _ := os.Open(fixture("lmeval_wmdp_array_042.jsonl"))
	defer f.Close()
	_, err := ReadLMEvalChoices(f, "wmdp", LMEvalChoiceOptions{}, func(*MultipleChoice) error { return nil })
	var e *Error
	if !errors.As(err, &e) || e.Entry != "[0]" || e.Field != "resps" || !strings.Contains(err.Error(), "not a multiple-choice log-likelihood sample") {
		t.Errorf("generative log: %v", err)
	}
}

// A target that is both a choice index and another choice's text is read
// by the sample's acc, else by its acc_norm.
func TestLMEvalAmbiguousTarget(t *testing.T) {
	// Target "1": choice 1 by index, choice 0 ("1") by text. Raw
	// log-likelihoods rank choice 0 first (-0.5 > -0.8); per character
	// choice 1 ("22": -0.8/2 = -0.4 > -0.5).
	args := `[["Q"," 1"],["Q"," 22"]]`
	for _, tc := range []struct {
		grades string
		gold   int
		err    string
	}{
		{`"acc":1.0`, 0, ""},      // the raw arg-max, choice 0, is gold
		{`"acc":0.0`, 1, ""},      // choice 0 is not gold: the index reading
		{`"acc_norm":1.0`, 1, ""}, // the length arg-max, choice 1, is gold
		{`"acc_norm":0.0`, 0, ""}, // choice 1 is not gold: the text reading
		{`"acc":null`, 0, "is ambiguous"},
	} {
		in := `{"doc_id":3,"target":"1","arguments":` + args + `,"resps":[[[-0.5,true]],[[-0.8,false]]],` + tc.grades + `}`
		var gold int
		_, err := ReadLMEvalChoices(strings.NewReader(in), "s.jsonl", LMEvalChoiceOptions{}, func(mc *MultipleChoice) error {
			gold = mc.Gold
			return nil
		})
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.grades, err, tc.err)
			}
			continue
		}
		if err != nil || gold != tc.gold {
			t.Errorf("%s: gold %d, %v; want %d", tc.grades, gold, err, tc.gold)
		}
	}
}

// Bugs of the former multiple-choice reader of Read: log-likelihoods all
// −Inf gave a NaN confidence (now an error naming the field), and with
// SkipBad an error of the callback was counted as a bad record instead of
// stopping the read.
func TestLMEvalReadFixes(t *testing.T) {
	allNegInf := `{"doc_id":0,"target":0,"resps":[[["-Infinity","False"]],[[-Infinity,false]]]}`
	_, _, err := readAll2(t, strings.NewReader(allNegInf), Options{Format: LMEval})
	var e *Error
	if !errors.As(err, &e) || e.Field != "resps" || !strings.Contains(err.Error(), "all 2 entries are −Inf") {
		t.Errorf("all −Inf: %v", err)
	}
	stop := errors.New("stop")
	good := `{"doc_id":0,"target":0,"resps":[[["-1","False"]],[["-2","True"]]]}`
	_, err = Read(strings.NewReader(good), "s.jsonl", Options{Format: LMEval, SkipBad: true}, func(*score.Sample) error { return stop })
	if err != stop {
		t.Errorf("callback error with SkipBad: %v, want it returned as is", err)
	}
	_, err = ReadLMEvalChoices(strings.NewReader(good), "s.jsonl", LMEvalChoiceOptions{SkipBad: true}, func(*MultipleChoice) error { return stop })
	if err != stop {
		t.Errorf("ReadLMEvalChoices: %v", err)
	}
}

func TestLMEvalTask(t *testing.T) {
	for in, want := range map[string]string{
		"out/m/samples_mmlu_abstract_algebra_2025-09-25T09-53-24.656847.jsonl":                    "mmlu_abstract_algebra",
		"gemma-3-4b-it_mmlu-stem__samples_mmlu_abstract_algebra_2025-09-25T09-53-24.656847.jsonl": "mmlu_abstract_algebra",
		"samples_arith_2025-01-01T00-00-00.jsonl.zst":                                             "arith",
		"x/bigrefactor-2023-06_mathqa__mathqa.jsonl":                                              "bigrefactor-2023-06_mathqa__mathqa",
		"log.json.gz": "log",
	} {
		if got := LMEvalTask(in); got != want {
			t.Errorf("LMEvalTask(%q) = %q, want %q", in, got, want)
		}
	}
}
