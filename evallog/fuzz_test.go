package evallog

import (
	"bytes"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/hallu-dev/hallu/score"
)

// fuzzRead reads data as format and checks that the reader neither panics
// nor hands on a sample that scoring would reject.
func fuzzRead(t *testing.T, data []byte, opt Options) {
	_, _ = Read(bytes.NewReader(data), "fuzz", opt, func(s *score.Sample) error {
		if err := s.Check(); err != nil {
			t.Fatalf("reader passed a bad sample %+v: %v", s, err)
		}
		if s.ID == "" {
			t.Fatalf("reader passed a sample without an id: %+v", s)
		}
		return nil
	})
}

// seed adds each fixture file to the fuzz corpus (testdata/fuzz/<Name>
// holds more committed seeds).
func seed(f *testing.F, names ...string) {
	for _, n := range names {
		b, err := os.ReadFile(fixture(n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func FuzzReadRun(f *testing.F) {
	seed(f, "run.jsonl")
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, b, Options{Format: Run, SkipBad: true}) })
}

func FuzzReadCSV(f *testing.F) {
	seed(f, "generic.csv")
	m, _ := ParseColumnMap("id=qid,question=q,gold=answer,aliases=aliases,response=pred,grade=label,confidence=p,model=system")
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, b, Options{Format: CSV, Map: m, SkipBad: true}) })
}

func FuzzReadSimpleQA(f *testing.F) {
	seed(f, "simpleqa_preds.jsonl")
	head, err := os.ReadFile(fixture("simpleqa_test_head.csv"))
	if err != nil {
		f.Fatal(err)
	}
	ts, err := ReadSimpleQATest(bytes.NewReader(head), "head")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzRead(t, b, Options{Format: SimpleQA, SimpleQATest: ts, SkipBad: true})
		_, _ = ReadSimpleQATest(bytes.NewReader(b), "fuzz")
	})
}

func FuzzPyLiteral(f *testing.F) {
	f.Add(`{'topic': 'Art', 'urls': ['a', "b'c"], 'n': -1.5e3, 't': (True, None)}`)
	f.Fuzz(func(t *testing.T, s string) { _, _ = parsePyLiteral(s) })
}

func FuzzReadLMEval(f *testing.F) {
	seed(f, "lmeval_samples_gsm8k_2025-09-09T13-31-53.431753.jsonl", "lmeval_mc_negotiationtom.jsonl",
		"lmeval_mathqa_2023.jsonl", "lmeval_polymer_nan.jsonl", "lmeval_wmdp_array_042.jsonl")
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzRead(t, b, Options{Format: LMEval, SkipBad: true})
		fuzzRead(t, b, Options{Format: LMEval, SkipBad: true, LengthNormalized: true})
	})
}

// FuzzReadLMEvalChoices: no panic, and every sample handed on is a
// distribution over its choices with a gold one.
func FuzzReadLMEvalChoices(f *testing.F) {
	seed(f, "lmeval_mc_negotiationtom.jsonl", "lmeval_mathqa_2023.jsonl", "lmeval_wmdp_array_042.jsonl")
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, norm := range []Norm{NormRaw, NormLength, NormBytes} {
			_, _ = ReadLMEvalChoices(bytes.NewReader(b), "fuzz", LMEvalChoiceOptions{Norm: norm, SkipBad: true}, func(mc *MultipleChoice) error {
				n := len(mc.LogLikelihoods)
				var sum float64
				for _, p := range mc.Phat {
					if !(p >= 0 && p <= 1) {
						t.Fatalf("p̂ %v", mc.Phat)
					}
					sum += p
				}
				if n < 2 || len(mc.Phat) != n || len(mc.Scores) != n || mc.Gold < 0 || mc.Gold >= n || mc.Pred < 0 || mc.Pred >= n ||
					(mc.Choices != nil && len(mc.Choices) != n) || math.Abs(sum-1) > 1e-9 {
					t.Fatalf("bad sample %+v", mc)
				}
				return nil
			})
		}
	})
}

func FuzzReadLMEvalResults(f *testing.F) {
	seed(f, "lmeval_results_2025-09-09T13-31-53.431753.json")
	f.Fuzz(func(t *testing.T, b []byte) { _, _ = ReadLMEvalResults(bytes.NewReader(b), "fuzz") })
}

func FuzzReadInspect(f *testing.F) {
	seed(f, "inspect_log_formats.json", "inspect_log_formats.eval", "inspect_unfinished_journal_only.eval",
		"inspect_truncated_no_central_directory.eval")
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, b, Options{Format: Inspect, SkipBad: true}) })
}

func FuzzReadOpenAIEvals(f *testing.F) {
	seed(f, "openaievals_us_tort_law.jsonl")
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, b, Options{Format: OpenAIEvals, SkipBad: true}) })
}

func FuzzReadLitCab(f *testing.F) {
	seed(f, "litcab_handwritten.jsonl")
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, b, Options{Format: LitCab, SkipBad: true}) })
}

func FuzzReadTruthfulQA(f *testing.F) {
	seed(f, "truthfulqa_finetune_truth.jsonl")
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, b, Options{Format: TruthfulQA, SkipBad: true}) })
}

func FuzzDetect(f *testing.F) {
	seed(f, "run.jsonl", "generic.csv", "inspect_log_formats.eval", "openaievals_us_tort_law.jsonl")
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzRead(t, b, Options{Format: Auto, SkipBad: true})
		if _, err := Detect(b); err != nil && strings.TrimSpace(err.Error()) == "" {
			t.Fatal("empty error")
		}
	})
}

// FuzzFastLine checks the run-file fast path against the general decoder:
// whatever line the fast path accepts, jsontext must accept too and decode
// to the same sample.
func FuzzFastLine(f *testing.F) {
	for _, s := range []string{
		`{"id":"q1","model":"m","response":"Paris","golds":["Paris","paris"],"outcome":"correct","confidence":0.25,"target":0.5}`,
		`{"id":"é","outcome":true,"confidence":1e-3,"extra":[1,2],"reason":null}`,
		`{ "id" : "a" , "golds" : [ ] , "confidence" : -0.0 }`,
		`{"id":"a","confidence":01}`,
		`{"id":"a","outcome":"C","outcome":"I"}`,
	} {
		f.Add([]byte(s))
	}
	var keys [nFields][]byte
	for i, k := range DefaultColumns.names() {
		keys[i], _ = jsontext.AppendQuote(nil, k)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		fast := &sampleBuilder{}
		if !fast.fastLine(raw, &keys) {
			return
		}
		slow := &sampleBuilder{}
		var rd bytes.Reader
		dec := jsontext.NewDecoder(&rd, lenient)
		var unq []byte
		str := func(v jsontext.Value) (string, bool) {
			var err error
			unq, err = jsontext.AppendUnquote(unq[:0], v)
			return string(unq), err == nil && v.Kind() == '"'
		}
		if _, err := slow.jsonLine(dec, &rd, raw, &keys, str); err != nil {
			t.Fatalf("fast path accepted %q, jsontext says %v", raw, err)
		}
		a, b := fast.s, slow.s
		if a.ID != b.ID || a.Question != b.Question || a.Response != b.Response || a.Reason != b.Reason ||
			a.Model != b.Model || a.Outcome != b.Outcome || strings.Join(a.Golds, "\x00") != strings.Join(b.Golds, "\x00") ||
			(a.Confidence == nil) != (b.Confidence == nil) || (a.Confidence != nil && *a.Confidence != *b.Confidence) ||
			(a.Target == nil) != (b.Target == nil) || (a.Target != nil && *a.Target != *b.Target) {
			t.Fatalf("%q: fast %+v, general %+v", raw, a, b)
		}
	})
}
