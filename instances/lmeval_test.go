package instances

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/iiv"
)

// sharedData is ../shared/data seen from this package's directory.
const sharedData = "../../shared/data"

func needShared(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(sharedData, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real data not present (%v): tests on ../shared/data skipped", err)
	}
	return p
}

func readLMEvalFile(t *testing.T, path string, opt LMEvalOptions) ([]iiv.Row[iiv.Float], LMEvalStats) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, st, err := ReadLMEval[iiv.Float](f, path, opt)
	if err != nil {
		t.Fatal(err)
	}
	return rows, st
}

// naiveSoftmax is exp(z_i)/Σ exp(z_j) without any stabilisation: an
// independent check of Softmax on the small log-likelihoods of the logs.
func naiveSoftmax(z []float64) []float64 {
	var sum float64
	for _, v := range z {
		sum += math.Exp(v)
	}
	out := make([]float64, len(z))
	for i, v := range z {
		out[i] = math.Exp(v) / sum
	}
	return out
}

// The conversion of real lm-eval logs, checked on questions whose
// log-likelihoods were read by hand from the files.
func TestLMEvalRealByHand(t *testing.T) {
	const dir = "evallogs/lm-eval/"
	for _, tc := range []struct {
		name    string
		file    string
		norm    Norm
		doc     int // position of the document in the file
		context string
		lls     []float64
		lengths []float64 // divisors for the normalisation (nil: raw)
		gold    int
		resps   []string
		docs    int
	}{
		{
			// doc_id 0: resps [["-4.625","False"]], [["-0.25390625","True"]], [["-2.5","False"]], [["-2.25","False"]]; target "1".
			name: "gemma-3-4b-it MMLU abstract algebra, doc 0", file: "gemma-3-4b-it_mmlu-stem__samples_mmlu_abstract_algebra_2025-09-25T09-53-24.656847.jsonl",
			norm: NormRaw, doc: 0, context: "mmlu_abstract_algebra doc 0: Find the degree for the given field extension Q(sqrt(2), sqrt(3), sqrt(18)) over Q.",
			lls: []float64{-4.625, -0.25390625, -2.5, -2.25}, gold: 1, resps: []string{"A", "B", "C", "D"}, docs: 100,
		},
		{
			// doc_id 1 of the same file: resps "-0.0908203125", "-3.59375", "-3.71875", "-4.59375"; target "2".
			name: "gemma-3-4b-it MMLU abstract algebra, doc 1, length-normalised (every choice is one letter)", file: "gemma-3-4b-it_mmlu-stem__samples_mmlu_abstract_algebra_2025-09-25T09-53-24.656847.jsonl",
			norm: NormLength, doc: 1, lls: []float64{-0.0908203125, -3.59375, -3.71875, -4.59375}, lengths: []float64{1, 1, 1, 1}, gold: 2, resps: []string{"A", "B", "C", "D"}, docs: 100,
		},
		{
			// doc_id 0: resps "-8.625", "-0.90234375", "-6.03125", "-0.52734375"; target "1".
			name: "Qwen2.5-3B-Instruct MMLU abstract algebra, doc 0", file: "qwen2.5-3b-instruct_mmlu-stem__samples_mmlu_abstract_algebra_2025-09-25T09-38-02.724479.jsonl",
			norm: NormRaw, doc: 0, lls: []float64{-8.625, -0.90234375, -6.03125, -0.52734375}, gold: 1, resps: []string{"A", "B", "C", "D"}, docs: 100,
		},
		{
			// doc_id 0: resps -5.551372528076172 … -16.140947341918945; options "a ) 38 , b ) 27.675 , c ) 30 , d ) data inadequate , e ) none of these"; target "38".
			name: "mathqa (2023), doc 0, length-normalised by characters", file: "bigrefactor-2023-06_mathqa__mathqa.jsonl",
			norm: NormLength, doc: 0,
			lls:     []float64{-5.551372528076172, -15.428857803344727, -4.153011322021484, -25.281858444213867, -16.140947341918945},
			lengths: []float64{2, 6, 2, 15, 13}, gold: 0, resps: []string{"38", "27.675", "30", "data inadequate", "none of these"}, docs: 16,
		},
		{
			// doc_id 8: target "9" is not an index of 5 choices but the text of choice c.
			name: "mathqa (2023), doc 8, target given as a choice's text", file: "bigrefactor-2023-06_mathqa__mathqa.jsonl",
			norm: NormRaw, doc: 8, gold: 2, resps: []string{"7", "8", "9", "10", "11"}, docs: 16,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, st := readLMEvalFile(t, needShared(t, dir+tc.file), LMEvalOptions{Norm: tc.norm})
			if st.Samples != tc.docs || st.Skipped != 0 {
				t.Fatalf("stats %+v, want %d samples", st, tc.docs)
			}
			n := len(tc.resps)
			if len(rows) != tc.docs*n {
				t.Fatalf("%d rows, want %d", len(rows), tc.docs*n)
			}
			got := rows[tc.doc*n : (tc.doc+1)*n]
			if tc.context != "" && got[0].Context != tc.context {
				t.Errorf("context %q, want %q", got[0].Context, tc.context)
			}
			var want []float64
			if tc.lls != nil {
				z := tc.lls
				if tc.lengths != nil {
					z = make([]float64, n)
					for i := range z {
						z[i] = tc.lls[i] / tc.lengths[i]
					}
				}
				want = naiveSoftmax(z)
			}
			for i, r := range got {
				if r.Response != tc.resps[i] {
					t.Errorf("response %d = %q, want %q", i, r.Response, tc.resps[i])
				}
				wantLabel := iiv.Error
				if i == tc.gold {
					wantLabel = iiv.Valid
					if !r.HasP || r.P != 1 {
						t.Errorf("gold row has p %v (set %v), want 1", r.P, r.HasP)
					}
				}
				if r.Label != wantLabel {
					t.Errorf("choice %d: label %v, want %v", i, r.Label, wantLabel)
				}
				if want != nil && math.Abs(float64(r.Phat)-want[i]) > 1e-12 {
					t.Errorf("choice %d: p̂ = %.15g, want %.15g", i, float64(r.Phat), want[i])
				}
			}
		})
	}
}

// Every multiple-choice lm-eval log converts and analyses; the generative
// ones are refused with a clear error.
func TestLMEvalRealFiles(t *testing.T) {
	dir := needShared(t, "evallogs/lm-eval")
	mc := map[string]int{
		"gemma-3-4b-it_mmlu-stem__samples_mmlu_abstract_algebra_2025-09-25T09-53-24.656847.jsonl":       100,
		"qwen2.5-3b-instruct_mmlu-stem__samples_mmlu_abstract_algebra_2025-09-25T09-38-02.724479.jsonl": 100,
		"bigrefactor-2023-06_mathqa__mathqa.jsonl":                                                      16,
		"qwen3-8b_negotiationtom__samples_negotiationtom_belief_2026-07-08T18-15-33.115417.jsonl":       20,
	}
	for file, docs := range mc {
		for _, norm := range []Norm{NormRaw, NormLength, NormBytes} {
			rows, st := readLMEvalFile(t, filepath.Join(dir, file), LMEvalOptions{Norm: norm})
			if st.Samples != docs {
				t.Errorf("%s: %d samples, want %d", file, st.Samples, docs)
			}
			var acc iiv.Accumulator[iiv.Float]
			for _, r := range rows {
				if err := acc.Add(r); err != nil {
					t.Fatalf("%s: %v", file, err)
				}
			}
			res, err := acc.Result()
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if !res.MultipleChoice || res.Contexts != docs || res.Unlisted > 1e-9 {
				t.Errorf("%s: %+v", file, res)
			}
		}
	}
	for _, file := range []string{
		"gpt-3.5-turbo_wmdp_v042-array__model__gpt-3.5-turbo-0125_wmdp_bio.jsonl",
		"llama-3-8b-instruct_asdiv__samples_asdiv_2024-08-21T03-44-09.494230.jsonl",
		"gemma3-12b-ollama-chat_gsm8k__samples_gsm8k_2025-09-09T13-31-53.431753.jsonl",
	} {
		f, err := os.Open(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = ReadLMEval[iiv.Float](f, file, LMEvalOptions{})
		f.Close()
		if err == nil || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), "field resps") {
			t.Errorf("%s: error %v, want one naming the file and field resps", file, err)
		}
	}
}
