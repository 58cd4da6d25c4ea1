package score

import (
	"cmp"
	"slices"
)

// TargetResult is the score card of one model under one confidence target:
// a row of Report.Results and of `hallu score --json`'s "results" list.
//
// Every rate's denominator is N, all samples, except AccuracyGivenAttempted
// whose denominator is Attempted. The invalid count is always reported.
type TargetResult struct {
	Model string `json:"model"`
	// T is the confidence target and Penalty = t/(1−t) (Section 4.2 of arXiv:2509.04664).
	T       float64 `json:"t"`
	Penalty float64 `json:"penalty"`
	// RunTarget reports whether the samples were produced under T (stated
	// in the prompt), rather than re-scored at T after the fact.
	RunTarget bool `json:"run_target"`
	N         int  `json:"n"`
	// Repeated counts the samples whose question id an earlier sample of
	// the same model and run target already had: epochs of an eval, or a
	// duplicated record. Each counts as a sample in N.
	Repeated int `json:"repeated"`
	Counts
	Attempted int `json:"attempted"`
	// Score is the mean points per sample: (correct − penalty·wrong)/N,
	// with abstained and invalid samples scoring 0; ScoreSE its standard
	// error and ScoreCI its interval, which stays within the score's range
	// [−penalty, 1]; ScoreCIMethod says how it was computed (see
	// ScoreInterval).
	Score         float64  `json:"score"`
	ScoreSE       float64  `json:"score_se"`
	ScoreCI       Interval `json:"score_ci"`
	ScoreCIMethod string   `json:"score_ci_method"`
	// ScoreInvalidAsWrong is the score if every invalid sample had been a
	// wrong answer: a lower bound to read beside Score when Invalid > 0.
	ScoreInvalidAsWrong float64 `json:"score_invalid_as_wrong"`
	// Rates over N with Wilson intervals.
	Accuracy         float64  `json:"accuracy"`
	AccuracyCI       Interval `json:"accuracy_ci"`
	ErrorRate        float64  `json:"error_rate"`
	ErrorRateCI      Interval `json:"error_rate_ci"`
	AbstentionRate   float64  `json:"abstention_rate"`
	AbstentionRateCI Interval `json:"abstention_rate_ci"`
	InvalidRate      float64  `json:"invalid_rate"`
	InvalidRateCI    Interval `json:"invalid_rate_ci"`
	// AccuracyGivenAttempted is correct/attempted (0 when nothing was
	// attempted), with its Wilson interval; F1 is SimpleQA's F-score.
	AccuracyGivenAttempted   float64  `json:"accuracy_given_attempted"`
	AccuracyGivenAttemptedCI Interval `json:"accuracy_given_attempted_ci"`
	F1                       float64  `json:"f1"`
	// Rank is the model's place among the models scored at T (1 = best
	// score; ties share a rank). BinaryRank is its place under binary
	// grading (t = 0), 0 when it has no binary score; RankChange =
	// BinaryRank − Rank, positive when the model climbs as wrong answers
	// start to cost.
	Rank       int `json:"rank"`
	BinaryRank int `json:"binary_rank"`
	RankChange int `json:"rank_change"`
}

// Summarize returns the score card of counts c under target t with
// Wilson intervals at normal quantile z. Ranks are left 0.
func Summarize(model string, c Counts, t, z float64) TargetResult {
	n := c.N()
	r := TargetResult{
		Model: model, T: t, Penalty: Penalty(t), N: n, Counts: c,
		Attempted: c.Attempted(),
		Score:     c.Score(t),
		ScoreSE:   c.ScoreSE(t),
	}
	r.ScoreCI, r.ScoreCIMethod = ScoreInterval(c, t, z)
	worst := Counts{Correct: c.Correct, Wrong: c.Wrong + c.Invalid, Abstained: c.Abstained}
	r.ScoreInvalidAsWrong = worst.Score(t)
	r.Accuracy, r.AccuracyCI = rate(c.Correct, n), Wilson(c.Correct, n, z)
	r.ErrorRate, r.ErrorRateCI = rate(c.Wrong, n), Wilson(c.Wrong, n, z)
	r.AbstentionRate, r.AbstentionRateCI = rate(c.Abstained, n), Wilson(c.Abstained, n, z)
	r.InvalidRate, r.InvalidRateCI = rate(c.Invalid, n), Wilson(c.Invalid, n, z)
	r.AccuracyGivenAttempted = c.AccuracyGivenAttempted()
	r.AccuracyGivenAttemptedCI = Wilson(c.Correct, c.Attempted(), z)
	r.F1 = c.F1()
	return r
}

// ScoreInterval returns an interval for the score of c at target t that
// respects its range [−t/(1−t), 1], and names its method. At t = 0 the
// score is the accuracy correct/N, and the interval is Wilson's, which
// stays inside [0, 1] and is not empty when every answer is right or every
// one wrong. At t > 0 it is the normal interval Score ± z·SE clipped to
// the range.
func ScoreInterval(c Counts, t, z float64) (Interval, string) {
	if t == 0 {
		return Wilson(c.Correct, c.N(), z), "wilson"
	}
	s, se, lo := c.Score(t), c.ScoreSE(t), -Penalty(t)
	return Interval{max(s-z*se, lo), min(s+z*se, 1)}, "normal, clipped to [-t/(1-t), 1]"
}

// Leaderboards groups results by target: the targets in increasing order
// (binary grading, t = 0, first when present) and, for each, its results in
// rank order.
func Leaderboards(rs []TargetResult) (ts []float64, byT map[float64][]TargetResult) {
	byT = map[float64][]TargetResult{}
	for _, r := range rs {
		if _, ok := byT[r.T]; !ok {
			ts = append(ts, r.T)
		}
		byT[r.T] = append(byT[r.T], r)
	}
	slices.Sort(ts)
	for _, l := range byT {
		slices.SortStableFunc(l, func(a, b TargetResult) int { return cmp.Compare(a.Rank, b.Rank) })
	}
	return ts, byT
}
