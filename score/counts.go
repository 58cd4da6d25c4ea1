package score

import "math"

// Counts tallies the four outcomes of a set of samples.
type Counts struct {
	Correct   int `json:"correct"`
	Wrong     int `json:"wrong"`
	Abstained int `json:"abstained"`
	Invalid   int `json:"invalid"`
}

// Add counts one outcome. It panics on Ungraded.
func (c *Counts) Add(o Outcome) {
	switch o {
	case Correct:
		c.Correct++
	case Wrong:
		c.Wrong++
	case Abstained:
		c.Abstained++
	case Invalid:
		c.Invalid++
	default:
		panic("score: Counts.Add of " + o.String() + " outcome")
	}
}

// N is the number of samples counted: the default denominator of every rate.
func (c Counts) N() int { return c.Correct + c.Wrong + c.Abstained + c.Invalid }

// Attempted is the number of answers, correct or wrong.
func (c Counts) Attempted() int { return c.Correct + c.Wrong }

// Score is the mean points per sample under target t (Section 4.2 of arXiv:2509.04664):
//
//	score(t) = (correct − wrong·t/(1−t)) / n
//
// with abstentions and invalid records scoring 0 and counted in n. It is 0
// when n is 0.
func (c Counts) Score(t float64) float64 {
	n := c.N()
	if n == 0 {
		return 0
	}
	return (float64(c.Correct) - Penalty(t)*float64(c.Wrong)) / float64(n)
}

// ScoreSE is the standard error of Score(t): the sample standard deviation
// of the per-sample points divided by √n. It is 0 when n < 2.
func (c Counts) ScoreSE(t float64) float64 {
	n := c.N()
	if n < 2 {
		return 0
	}
	p := Penalty(t)
	nf := float64(n)
	mean := (float64(c.Correct) - p*float64(c.Wrong)) / nf
	// Σ(x−mean)² = Σx² − n·mean², with x ∈ {1, −p, 0}.
	ss := float64(c.Correct) + p*p*float64(c.Wrong) - nf*mean*mean
	if ss < 0 {
		ss = 0
	}
	return math.Sqrt(ss / (nf - 1) / nf)
}

// AccuracyGivenAttempted is correct/(correct+wrong), SimpleQA's "accuracy
// given attempted" (Wei et al. 2024). Following openai/simple-evals it is 0
// when nothing was attempted.
func (c Counts) AccuracyGivenAttempted() float64 {
	a := c.Attempted()
	if a == 0 {
		return 0
	}
	return float64(c.Correct) / float64(a)
}

// F1 is SimpleQA's F-score (Wei et al. 2024, openai/simple-evals
// simpleqa_eval.py): the harmonic mean of overall accuracy correct/n and
// accuracy given attempted,
//
//	F1 = 2·acc·aga / (acc + aga),
//
// and 0 when both are 0.
func (c Counts) F1() float64 {
	n := c.N()
	if n == 0 {
		return 0
	}
	acc := float64(c.Correct) / float64(n)
	aga := c.AccuracyGivenAttempted()
	if acc+aga == 0 {
		return 0
	}
	return 2 * acc * aga / (acc + aga)
}

// rate returns k/n, or 0 when n is 0.
func rate(k, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(k) / float64(n)
}
