package grade

import (
	"context"

	"github.com/hallu-dev/hallu/score"
)

// A Resolver gives every sample its final outcome before scoring:
//
//   - an ungraded sample (or any sample, with Regrade) is graded by Grader;
//     a grading error makes it Invalid with the error as its reason;
//   - a sample the log graded Wrong whose response is an abstention by
//     Abstention becomes Abstained: binary graders score "I don't know" as
//     wrong (Observation 1 of arXiv:2509.04664), and re-scoring under a confidence target must
//     give it 0, not −t/(1−t);
//   - Correct, Abstained and Invalid grades from the log are kept.
type Resolver struct {
	Grader     Grader    // required when samples may be ungraded
	Abstention *Detector // nil: keep the log's Wrong grades as they are
	Regrade    bool      // grade every sample, ignoring the log's grades
}

// Resolve sets s.Outcome (and s.Reason when it changes the outcome). It
// returns an error only when ctx is done.
func (r *Resolver) Resolve(ctx context.Context, s *score.Sample) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.Regrade || s.Outcome == score.Ungraded {
		if r.Grader == nil {
			s.Outcome, s.Reason = score.Invalid, "ungraded and no grader"
			return nil
		}
		o, why, err := r.Grader.GradeSample(ctx, s)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			s.Outcome, s.Reason = score.Invalid, "grader failed: "+err.Error()
			return nil
		}
		s.Outcome, s.Reason = o, why
		return nil
	}
	if s.Outcome == score.Wrong && r.Abstention != nil {
		if ok, p := r.Abstention.Abstains(s.Response); ok {
			s.Outcome, s.Reason = score.Abstained, "graded wrong by the log; abstention phrase \""+p+"\""
		}
	}
	return nil
}
