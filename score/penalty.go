package score

import "fmt"

// Penalty returns the points a wrong answer costs under confidence target t:
//
//	penalty(t) = t / (1 − t)
//
// This is the scoring rule of Section 4.2 of arXiv:2509.04664:
// correct +1, wrong −t/(1−t), "I don't know" 0. t = 0 is binary grading
// (penalty 0); t = 0.5 gives 1 and t = 0.9 gives 9. Erratum (v1 of arXiv:2509.04664
// item 1): the paper prints "t = 0.75 (penalty 2)", but its own formula
// gives 0.75/0.25 = 3; this function implements the formula, so
// Penalty(0.75) == 3. A penalty of 2 belongs to t = 2/3.
//
// Every penalty hallu reports is computed here. Penalty panics unless
// 0 ≤ t < 1; use CheckTarget to validate user input first.
func Penalty(t float64) float64 {
	if err := CheckTarget(t); err != nil {
		panic("score: " + err.Error())
	}
	return t / (1 - t)
}

// CheckTarget reports whether t is a usable confidence target, 0 ≤ t < 1.
func CheckTarget(t float64) error {
	if !(t >= 0 && t < 1) {
		return fmt.Errorf("confidence target %v is not in [0,1)", t)
	}
	return nil
}

// Points returns the score of one outcome under target t (Section 4.2 of arXiv:2509.04664):
// +1 for Correct, −Penalty(t) for Wrong, 0 for Abstained. Invalid records
// also score 0 (they are counted and reported separately, never silently
// folded into another outcome); Report.Results also gives the score with
// invalid records charged as wrong. Points panics on Ungraded.
//
// [I] The expected points of answering with probability q of being right
// are q − (1−q)·t/(1−t) = (q−t)/(1−t), positive iff q > t: the rule makes
// "answer iff confidence > t" optimal.
func Points(o Outcome, t float64) float64 {
	switch o {
	case Correct:
		return 1
	case Wrong:
		return -Penalty(t)
	case Abstained, Invalid:
		return 0
	}
	panic("score: Points of " + o.String() + " outcome")
}
