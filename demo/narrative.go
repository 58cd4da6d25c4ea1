package demo

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/hallu-dev/hallu/facts"
	"github.com/hallu-dev/hallu/report"
	"github.com/hallu-dev/hallu/score"
)

// Write prints the demo's story with its numbers: what each step found and
// which command reproduces it.
func (r *Result) Write(w io.Writer) error {
	var b strings.Builder
	f := report.F
	s := r.Audit.Stats
	b.WriteString("hallu demo: \"Why Language Models Hallucinate\" (Kalai et al. 2025) on data inside this binary\n\n")

	fmt.Fprintf(&b, "1. Audit: %d T-REx facts (ParaRel, MIT). %d prompts (relation, subject) are seen exactly once:\n", s.Records, s.Singletons)
	fmt.Fprintf(&b, "   singleton rate sr = %s (Lemma 1: the missing mass lies in [%s, %s] at 99%%).\n", f(s.SingletonRate), f(s.MissingMassLow), f(s.MissingMassHigh))
	if s.Floor99 != nil {
		fmt.Fprintf(&b, "   Theorem 2 with %d plausible answers per prompt: a calibrated model trained on these facts errs on\n", Answers)
		fmt.Fprintf(&b, "   at least %s of such prompts (99%%); the paper's calibrated algorithm on at most %s.\n", f(*s.Floor99), f(*s.Upper99))
	}

	p := r.Simulation.Points[0]
	fmt.Fprintf(&b, "\n2. Simulation: a world of %d equally likely facts, the size at which N = %d examples are expected to have\n", p.Prompts, p.N)
	fmt.Fprintf(&b, "   the corpus's singleton rate (%d runs): sr = %s against the corpus's %s.\n", len(p.Runs), f(p.Summaries[0].SR.Mean), f(s.SingletonRate))
	t := report.Table{Header: []string{"learner", "err", "δ", "Thm 2 lower", "Thm 2 upper", "lower held", "upper held"}}
	var cal facts.Summary
	for _, sm := range p.Summaries {
		upper := "(not promised)"
		if sm.Learner.Kind == facts.Calibrated {
			upper, cal = pct(sm.Held.Thm2Upper), sm
		}
		t.AddRow(sm.Learner.String(), sm.Err.Mean, sm.Delta.Mean, sm.Thm2Lower.Mean, sm.Thm2Upper.Mean, pct(sm.Held.Thm2Lower), upper)
	}
	if err := indented(&b, t); err != nil {
		return err
	}
	if cal.Thm2Lower.Mean <= 0 {
		fmt.Fprintf(&b, "   At this N the lower bound is vacuous (%s), but the calibrated learner's error %s equals sr, under the upper bound %s.\n",
			f(cal.Thm2Lower.Mean), f(cal.Err.Mean), f(cal.Thm2Upper.Mean))
	} else {
		fmt.Fprintf(&b, "   The calibrated learner errs on %s, between Theorem 2's bounds %s and %s, as the audit's floor predicted.\n",
			f(cal.Err.Mean), f(cal.Thm2Lower.Mean), f(cal.Thm2Upper.Mean))
	}
	b.WriteString("   Only a miscalibrated learner (δ > 0) errs less: abstain by saying IDK on unseen prompts, at the cost of δ.\n")

	fmt.Fprintf(&b, "\n3. Scoring: %s on 20 multiple-choice questions (lm-eval log, MIT), and the same answers with IDK\n", Model)
	fmt.Fprintf(&b, "   wherever its confidence is at most %g. Score: +1 right, −t/(1−t) wrong, 0 for IDK.\n", AbstainAbove)
	lb := report.Table{Header: []string{"t", Model, Cautious()}}
	for _, tt := range Targets {
		lb.AddRow(tt, scoreAt(r.Score.Results, Model, tt), scoreAt(r.Score.Results, Cautious(), tt))
	}
	if err := indented(&b, lb); err != nil {
		return err
	}
	if !math.IsNaN(r.Flip) {
		fmt.Fprintf(&b, "   The leaderboard flips at t = %s: binary grading ranks the guesser first, any target above ranks it second.\n", f(r.Flip))
	}
	for _, g := range r.Score.Groups {
		fmt.Fprintf(&b, "   %s's mean confidence is %s but its accuracy %s (ECE %s): overconfident.\n", g.Model, f(g.Calibration.MeanConfidence), f(g.Calibration.Accuracy), f(g.Calibration.ECE))
	}

	fmt.Fprintf(&b, "\n4. Corollary 2: n-grams trained on Moby-Dick continue \"She/He lost it and was completely out of\".\n")
	for _, c := range r.Cor2 {
		sees := "cannot see"
		if c.Sees {
			sees = "sees"
		}
		fmt.Fprintf(&b, "   order %d %s the subject: err = %s, Theorem 3 bound = %s\n", c.Order, sees, f(c.Err), f(c.Bound))
	}
	b.WriteString("   A trigram errs on half the prompts, exactly as the bound says it must.\n")
	bd := r.Bound
	fmt.Fprintf(&b, "   Theorem 1 on the order-%d instance: err = %s, err_iiv = %s, δ = %s, so err ≥ 2·err_iiv − max|V_c|/min|E_c| − δ = %s",
		r.Cor2[0].Order, f(bd.Err), f(bd.ErrIIV), f(bd.Delta), f(bd.Bound))
	if bd.Vacuous {
		b.WriteString(":\n   vacuous with one wrong answer per prompt; Theorem 3's multiple-choice bound is the one that bites.\n")
	} else {
		b.WriteString(".\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteNext prints where the page was written and the commands to try next.
func WriteNext(w io.Writer, page string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "\nWrote %s: the plots (frequency of frequencies, error against singleton rate, leaderboards,\nreliability, risk–coverage, Corollary 2, δ_z). Next, on your own data:\n", page)
	for _, s := range nextSteps {
		b.WriteString("  " + s + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func scoreAt(rs []score.TargetResult, model string, t float64) string {
	for _, r := range rs {
		if r.Model == model && r.T == t {
			return fmt.Sprintf("%.4f (rank %d)", r.Score, r.Rank)
		}
	}
	return "n/a"
}

// indented renders t with every line indented by three spaces.
func indented(b *strings.Builder, t report.Table) error {
	var tb strings.Builder
	if err := t.Render(&tb); err != nil {
		return err
	}
	for _, line := range strings.SplitAfter(tb.String(), "\n") {
		if line != "" {
			b.WriteString("   " + line)
		}
	}
	return nil
}

func pct(x float64) string { return fmt.Sprintf("%.0f%%", 100*x) }
