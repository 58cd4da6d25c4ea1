package harness

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/hallu-dev/hallu/llm"
	"github.com/hallu-dev/hallu/score"
)

// A LetterJudge grades a response by asking a model for one of the three
// grades of SimpleQA's grader (Wei et al. 2024, "Measuring short-form
// factuality in large language models"): A correct, B incorrect, C not
// attempted, which hallu scores as correct, wrong and abstained (the
// abstention that earns 0 under a confidence target, Section 4 of Kalai et
// al. 2025). The instructions are hallu's own wording of the same rules
// (LetterJudgePrompt; PromptHash names them in every report).
//
// The reply must be the letter alone (white space and a final period
// aside); anything else makes the sample Invalid with the reply quoted,
// never a guess. A LetterJudge implements grade.Grader.
type LetterJudge struct {
	Client *llm.Client
	Model  string
}

// LetterJudgePrompt is the system message of a LetterJudge.
const LetterJudgePrompt = `You check answers to short factual questions. You see a question, its gold answer (and any accepted variants) and a response to grade. Give the response one of three grades.

A (CORRECT): the response gives the gold answer, in any wording. Extra detail is fine as long as it does not contradict the gold answer. Names may differ in spelling, accents, titles, middle names or initials; dates may be written in any format; a number must agree with the gold answer to the gold answer's last significant figure. A hedge ("I think", "probably") is fine when the response still commits to one answer.
B (INCORRECT): the response gives an answer that contradicts the gold answer or is wrong in any part, or it lists several candidates without committing to one of them.
C (NOT_ATTEMPTED): the response neither gives the gold answer nor contradicts it: it declines, says it does not know or lacks the information, or offers only related facts.

Reply with the single capital letter A, B or C and nothing else.`

// PromptHash returns the first 12 hex digits of the sha256 of
// LetterJudgePrompt, so that a report says which instructions graded it.
func PromptHash() string {
	h := sha256.Sum256([]byte(LetterJudgePrompt))
	return hex.EncodeToString(h[:6])
}

// Name names the judge and its instructions in reports.
func (j *LetterJudge) Name() string {
	return fmt.Sprintf("judge %s (prompt sha256 %s)", j.Model, PromptHash())
}

// letterMessages is the chat a LetterJudge sends for one sample.
func letterMessages(s *score.Sample) []llm.Message {
	var b strings.Builder
	fmt.Fprintf(&b, "Question: %s\nGold answer: %s\n", s.Question, s.Golds[0])
	if len(s.Golds) > 1 {
		fmt.Fprintf(&b, "Accepted variants: %s\n", strings.Join(s.Golds[1:], "; "))
	}
	fmt.Fprintf(&b, "Response: %s", s.Response)
	return []llm.Message{{Role: "system", Content: LetterJudgePrompt}, {Role: "user", Content: b.String()}}
}

// ParseLetter reads a LetterJudge's reply: "A", "B" or "C", alone but for
// surrounding white space, a final period and case.
func ParseLetter(reply string) (score.Outcome, bool) {
	switch strings.ToUpper(strings.TrimSuffix(strings.TrimSpace(reply), ".")) {
	case "A":
		return score.Correct, true
	case "B":
		return score.Wrong, true
	case "C":
		return score.Abstained, true
	}
	return score.Invalid, false
}

// GradeSample asks the judge for the grade of s. A request that fails is
// returned as an error: Run then records nothing for the pair and asks it
// again next time, grade.Resolver records the sample Invalid with it. A
// reply outside the grammar is an Invalid outcome whose reason quotes it.
func (j *LetterJudge) GradeSample(ctx context.Context, s *score.Sample) (score.Outcome, string, error) {
	if len(s.Golds) == 0 {
		return score.Invalid, "no gold answer to judge against", nil
	}
	if strings.TrimSpace(s.Response) == "" {
		return score.Invalid, "empty response", nil
	}
	zero := 0.0
	resp, err := j.Client.Chat(ctx, &llm.ChatRequest{Model: j.Model, Messages: letterMessages(s), Temperature: &zero, MaxTokens: 5})
	if err != nil {
		return score.Invalid, "", fmt.Errorf("judge %s: %w", j.Model, failure{err})
	}
	reply := resp.Choices[0].Message.Content
	if o, ok := ParseLetter(reply); ok {
		return o, "judge " + j.Model + ": " + strings.TrimSpace(reply), nil
	}
	if r := []rune(reply); len(r) > 120 {
		reply = string(r[:120]) + "…"
	}
	return score.Invalid, fmt.Sprintf("judge %s replied %q, not A, B or C", j.Model, strings.ToValidUTF8(reply, "")), nil
}
