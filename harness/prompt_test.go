package harness

import (
	"strings"
	"testing"
)

// TestInstruction: the stated penalty is score.Penalty's (0.75 costs 3,
// the paper's misprinted "2" corrected), and t = 0 states no penalty.
func TestInstruction(t *testing.T) {
	for _, tc := range []struct {
		t    float64
		want []string
	}{
		{0, []string{"guessing costs nothing", `"I don't know" both earn 0`}},
		{0.5, []string{"costs 1 point,", "more than 50% sure"}},
		{0.75, []string{"costs 3 points", "more than 75% sure"}},
		{0.9, []string{"costs 9 points", "more than 90% sure"}},
		{2.0 / 3, []string{"costs 2 points", "more than 66.67% sure"}},
	} {
		got := Instruction(tc.t)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("Instruction(%v) = %q lacks %q", tc.t, got, w)
			}
		}
	}
	m := Messages(Question{Text: "Q?"}, 0.5, true)
	if len(m) != 2 || m[1].Content != "Q?" || !strings.Contains(m[0].Content, "Confidence:") {
		t.Errorf("messages %+v", m)
	}
}

func TestParseStructured(t *testing.T) {
	for _, tc := range []struct {
		reply, answer string
		conf          float64 // -1: none
		err           bool
	}{
		{"Answer: Paris\nConfidence: 0.8", "Paris", 0.8, false},
		{"answer: Paris\nconfidence: 80%", "Paris", 0.8, false},
		{"**Answer:** Paris\n**Confidence:** 0.95", "Paris", 0.95, false},
		{"Sure!\nAnswer: I don't know\nConfidence: 0", "I don't know", 0, false},
		{"Answer: Paris", "Paris", -1, false},
		{"Answer: Paris\nConfidence: high", "Paris", -1, false},
		{"Answer: Paris\nConfidence: 1.5", "Paris", -1, false},
		{"Paris\nConfidence: 0.8", "", -1, true},
		{"Answer:\nConfidence: 0.8", "", -1, true},
	} {
		s, err := ParseStructured(tc.reply)
		if (err != nil) != tc.err {
			t.Errorf("%q: err %v", tc.reply, err)
			continue
		}
		if tc.err {
			continue
		}
		if s.Answer != tc.answer {
			t.Errorf("%q: answer %q, want %q", tc.reply, s.Answer, tc.answer)
		}
		switch {
		case tc.conf < 0 && (s.Confidence != nil || s.ConfidenceErr == nil):
			t.Errorf("%q: confidence %v, want none with a reason", tc.reply, s.Confidence)
		case tc.conf >= 0 && (s.Confidence == nil || *s.Confidence != tc.conf):
			t.Errorf("%q: confidence %v, want %v", tc.reply, s.Confidence, tc.conf)
		}
	}
}

// FuzzParseStructured: any reply parses or fails cleanly; a confidence
// read is in [0,1].
func FuzzParseStructured(f *testing.F) {
	f.Add("Answer: Paris\nConfidence: 0.8")
	f.Add("answer: x\nconfidence: 80%")
	f.Add("**Answer:** \n")
	f.Fuzz(func(t *testing.T, reply string) {
		s, err := ParseStructured(reply)
		if err == nil && s.Answer == "" {
			t.Fatal("accepted an empty answer")
		}
		if c := s.Confidence; c != nil && !(*c >= 0 && *c <= 1) {
			t.Fatalf("confidence %v", *c)
		}
	})
}
