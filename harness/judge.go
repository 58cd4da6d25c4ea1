package harness

import (
	"context"
	"fmt"
	"strings"

	"github.com/hallu-dev/hallu/llm"
	"github.com/hallu-dev/hallu/score"
)

// A Judge grades responses by asking a model, under a strict output
// grammar: the reply, trimmed of surrounding white space, must be exactly
// one of the words CORRECT, WRONG or ABSTAINED (any case). Any other reply
// makes the sample Invalid, with the reply quoted as the reason; the judge
// is never second-guessed. A Judge implements grade.Grader.
type Judge struct {
	Client *llm.Client
	Model  string
}

const judgeInstruction = `You grade answers to quiz questions. You see the question, the correct answer (and accepted variants), and a response. Reply with exactly one word:
CORRECT if the response gives the correct answer (added detail that does not contradict it is fine);
WRONG if it gives a different answer, contradicts the correct one, or offers several candidates;
ABSTAINED if it declines to answer, for example "I don't know".
Reply with that one word and nothing else.`

// judgeMessages is the chat a Judge sends for one sample.
func judgeMessages(s *score.Sample) []llm.Message {
	var b strings.Builder
	fmt.Fprintf(&b, "Question: %s\nCorrect answer: %s\n", s.Question, s.Golds[0])
	if len(s.Golds) > 1 {
		fmt.Fprintf(&b, "Accepted variants: %s\n", strings.Join(s.Golds[1:], "; "))
	}
	fmt.Fprintf(&b, "Response: %s", s.Response)
	return []llm.Message{{Role: "system", Content: judgeInstruction}, {Role: "user", Content: b.String()}}
}

// ParseVerdict reads a judge's reply under the strict grammar.
func ParseVerdict(reply string) (score.Outcome, bool) {
	switch strings.ToUpper(strings.TrimSpace(reply)) {
	case "CORRECT":
		return score.Correct, true
	case "WRONG":
		return score.Wrong, true
	case "ABSTAINED":
		return score.Abstained, true
	}
	return score.Invalid, false
}

// GradeSample asks the judge model for the outcome of s. A request that
// fails is returned as an error (Run then records nothing for the pair and
// asks it again next time; grade.Resolver records the sample Invalid); a
// reply outside the grammar is an Invalid outcome.
func (j *Judge) GradeSample(ctx context.Context, s *score.Sample) (score.Outcome, string, error) {
	if len(s.Golds) == 0 {
		return score.Invalid, "no gold answer to judge against", nil
	}
	if strings.TrimSpace(s.Response) == "" {
		return score.Invalid, "empty response", nil
	}
	zero := 0.0
	resp, err := j.Client.Chat(ctx, &llm.ChatRequest{Model: j.Model, Messages: judgeMessages(s), Temperature: &zero, MaxTokens: 8})
	if err != nil {
		return score.Invalid, "", fmt.Errorf("judge: %w", failure{err})
	}
	reply := resp.Choices[0].Message.Content
	if o, ok := ParseVerdict(reply); ok {
		return o, "judge " + j.Model + ": " + strings.ToUpper(strings.TrimSpace(reply)), nil
	}
	if len(reply) > 120 {
		reply = reply[:120] + "…"
	}
	return score.Invalid, fmt.Sprintf("judge %s replied %q, not CORRECT, WRONG or ABSTAINED", j.Model, strings.ToValidUTF8(reply, "")), nil
}
