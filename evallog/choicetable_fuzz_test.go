package evallog

import (
	"bytes"
	"math"
	"testing"
)

// checkChoice fails if a reader hands on a question that cannot be an
// instance: fewer than two choices, a gold outside them, or a p̂ that is not
// a distribution.
func checkChoice(t *testing.T, mc *MultipleChoice) {
	n := len(mc.Phat)
	if n < 2 || mc.Gold < 0 || mc.Gold >= n || mc.Pred < 0 || mc.Pred >= n {
		t.Fatalf("question %+v: %d choices, gold %d, pred %d", mc, n, mc.Gold, mc.Pred)
	}
	var sum float64
	for _, p := range mc.Phat {
		if math.IsNaN(p) || p < 0 || p > 1 {
			t.Fatalf("p̂ %v", mc.Phat)
		}
		sum += p
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Fatalf("p̂ %v sums to %v", mc.Phat, sum)
	}
}

func FuzzChoiceTable(f *testing.F) {
	seed(f, "choices_letter_logits.csv", "choices_logprobs.jsonl")
	tables := []ChoiceTable{
		{Scores: "Logit_*", Gold: "5", Question: "0", SkipBad: true},
		{Scores: "lp", Texts: "options", Gold: "answer", Kind: KindLogprob, Norm: NormLength, SkipBad: true},
		{Scores: "Logit_A,Logit_B", Gold: "5", Kind: KindProb, GoldAs: GoldLetter, SkipBad: true},
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, tab := range tables {
			_, _ = ReadChoiceTable(bytes.NewReader(b), "fuzz", tab, func(mc *MultipleChoice) error {
				checkChoice(t, mc)
				return nil
			})
		}
	})
}

func FuzzLMEvalV03(f *testing.F) {
	seed(f, "lmeval_v03_winogrande_head.json")
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ReadLMEvalV03(bytes.NewReader(b), "fuzz", true, Limits{}, func(mc *MultipleChoice) error {
			checkChoice(t, mc)
			return nil
		})
	})
}

func FuzzHELMChoices(f *testing.F) {
	seed(f, "helm_separate_calibrated.json", "helm_joint_top_logprobs.json")
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, sc := range []HELMScore{HELMSum, HELMPerToken, HELMCalibrated} {
			_, _ = ReadHELMChoices(bytes.NewReader(b), "fuzz", sc, true, Limits{}, func(mc *MultipleChoice) error {
				checkChoice(t, mc)
				return nil
			})
		}
	})
}
