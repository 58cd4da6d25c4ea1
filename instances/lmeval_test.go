package instances

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/evallog"
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
// independent check of p̂ on the small log-likelihoods of the logs.
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
		norm    evallog.Norm
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
			norm: evallog.NormRaw, doc: 0, context: "mmlu_abstract_algebra doc 0: Find the degree for the given field extension Q(sqrt(2), sqrt(3), sqrt(18)) over Q.",
			lls: []float64{-4.625, -0.25390625, -2.5, -2.25}, gold: 1, resps: []string{"A", "B", "C", "D"}, docs: 100,
		},
		{
			// doc_id 1 of the same file: resps "-0.0908203125", "-3.59375", "-3.71875", "-4.59375"; target "2".
			name: "gemma-3-4b-it MMLU abstract algebra, doc 1, length-normalised (every choice is one letter)", file: "gemma-3-4b-it_mmlu-stem__samples_mmlu_abstract_algebra_2025-09-25T09-53-24.656847.jsonl",
			norm: evallog.NormLength, doc: 1, lls: []float64{-0.0908203125, -3.59375, -3.71875, -4.59375}, lengths: []float64{1, 1, 1, 1}, gold: 2, resps: []string{"A", "B", "C", "D"}, docs: 100,
		},
		{
			// doc_id 0: resps "-8.625", "-0.90234375", "-6.03125", "-0.52734375"; target "1".
			name: "Qwen2.5-3B-Instruct MMLU abstract algebra, doc 0", file: "qwen2.5-3b-instruct_mmlu-stem__samples_mmlu_abstract_algebra_2025-09-25T09-38-02.724479.jsonl",
			norm: evallog.NormRaw, doc: 0, lls: []float64{-8.625, -0.90234375, -6.03125, -0.52734375}, gold: 1, resps: []string{"A", "B", "C", "D"}, docs: 100,
		},
		{
			// doc_id 0: resps -5.551372528076172 … -16.140947341918945; options "a ) 38 , b ) 27.675 , c ) 30 , d ) data inadequate , e ) none of these"; target "38".
			name: "mathqa (2023), doc 0, length-normalised by characters", file: "bigrefactor-2023-06_mathqa__mathqa.jsonl",
			norm: evallog.NormLength, doc: 0,
			lls:     []float64{-5.551372528076172, -15.428857803344727, -4.153011322021484, -25.281858444213867, -16.140947341918945},
			lengths: []float64{2, 6, 2, 15, 13}, gold: 0, resps: []string{"38", "27.675", "30", "data inadequate", "none of these"}, docs: 16,
		},
		{
			// doc_id 8: target "9" is not an index of 5 choices but the text of choice c.
			name: "mathqa (2023), doc 8, target given as a choice's text", file: "bigrefactor-2023-06_mathqa__mathqa.jsonl",
			norm: evallog.NormRaw, doc: 8, gold: 2, resps: []string{"7", "8", "9", "10", "11"}, docs: 16,
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
		for _, norm := range []evallog.Norm{evallog.NormRaw, evallog.NormLength, evallog.NormBytes} {
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

// Bad lm-eval samples give errors naming the file, line and field; with
// SkipBad they are skipped and counted.
func TestLMEvalErrors(t *testing.T) {
	args := `{"gen_args_0":{"arg_0":"Q","arg_1":" A"},"gen_args_1":{"arg_0":"Q","arg_1":" B"}}`
	line := func(resps, target string) string {
		return `{"doc_id":0,"doc":{"question":"Q?"},"target":` + target + `,"arguments":` + args + `,"resps":` + resps + `,"filter":"none"}`
	}
	good := line(`[[["-1","False"]],[["-2","True"]]]`, `"0"`)
	for _, tc := range []struct{ in, want string }{
		{line(`[[["NaN","False"]],[["-2","True"]]]`, `"0"`), "s.jsonl line 1: field resps[0]: log-likelihood NaN is not a number ≤ 0"},
		{line(`[[[-1,false]],[[Infinity,true]]]`, `0`), "s.jsonl line 1: field resps[1]: log-likelihood +Inf is not a number ≤ 0"},
		{line(`[[["-1","False"]],[["0.5","True"]]]`, `"0"`), "field resps[1]: log-likelihood 0.5 is not a number ≤ 0"},
		{line(`[[["-Infinity","False"]],[["-inf","True"]]]`, `"0"`), "field resps: all 2 entries are −Inf"},
		{line(`[[["-1","False"]],[["-2","True"]]]`, `"7"`), `s.jsonl line 1: field target: "7" is neither the index nor the text of one of the 2 choices`},
		{line(`[["A"],["B"]]`, `"0"`), "s.jsonl line 1: field resps: not a multiple-choice log-likelihood sample"},
		{line(`[[["-1","True"]]]`, `"0"`), "field resps: one continuation only"},
		{`{"doc_id":0,`, "s.jsonl line 1: not a JSON sample"},
		{good + "\n" + `{"doc":{},"resps":[]}`, "s.jsonl line 2: field doc_id: missing"},
	} {
		_, _, err := ReadLMEval[iiv.Float](strings.NewReader(tc.in), "s.jsonl", LMEvalOptions{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\nerror %v\nwant  %q", tc.in, err, tc.want)
		}
	}
	bad := line(`[[["NaN","False"]],[["-2","True"]]]`, `"0"`)
	rows, st, err := ReadLMEval[iiv.Float](strings.NewReader(good+"\n"+strings.Replace(bad, `"doc_id":0`, `"doc_id":1`, 1)+"\n"+good+"\n"), "s.jsonl", LMEvalOptions{SkipBad: true})
	if err != nil || len(rows) != 2 || st.Samples != 1 || st.Skipped != 1 || st.Duplicates != 1 || !strings.Contains(st.FirstSkipped, "line 2") {
		t.Errorf("rows %d, stats %+v, err %v", len(rows), st, err)
	}
	if _, _, err := ReadLMEval[iiv.Float](strings.NewReader(good), "s.jsonl", LMEvalOptions{Norm: evallog.NormLength}); err != nil {
		t.Errorf("length-normalised: %v", err)
	}
}

// A target that is both a choice index and another choice's text is read
// by the log's own acc.
func TestLMEvalAmbiguousTarget(t *testing.T) {
	args := `[["Q"," 1"],["Q"," 0"]]` // choice 0 is "1", choice 1 is "0"
	for _, tc := range []struct {
		acc  string
		gold int
		err  string
	}{
		{`1.0`, 0, ""}, // choice 0 has the larger log-likelihood and acc = 1: the text reading
		{`0.0`, 1, ""}, // acc = 0: the gold is not choice 0, so the index reading
		{`null`, 0, "is ambiguous"},
	} {
		in := `{"doc_id":3,"target":"1","arguments":` + args + `,"resps":[[[-0.5,true]],[[-1.5,false]]],"acc":` + tc.acc + `}`
		rows, _, err := ReadLMEval[iiv.Float](strings.NewReader(in), "s.jsonl", LMEvalOptions{})
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("acc %s: error %v, want %q", tc.acc, err, tc.err)
			}
			continue
		}
		if err != nil || rows[tc.gold].Label != iiv.Valid || rows[1-tc.gold].Label != iiv.Error {
			t.Errorf("acc %s: rows %+v, err %v; want gold %d", tc.acc, rows, err, tc.gold)
		}
	}
}
