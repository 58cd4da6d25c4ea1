package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/hallu-dev/hallu/audit"
	"github.com/hallu-dev/hallu/report"
)

const shownFreqRows = 12

// renderAudit prints an audit result as text tables.
func renderAudit(w io.Writer, o auditOptions, cfg audit.Config, res *audit.Result) error {
	level := fmt.Sprintf("%g%%", 100*(1-cfg.Gamma))
	s := res.Stats
	main := report.Table{Title: "hallu audit: " + string(res.Kind), Header: []string{"quantity", "value"}}
	main.AddRow("records N (abstentions included)", s.Records)
	main.AddRow("answered", s.Answered)
	main.AddRow("abstained", s.Abstained)
	main.AddRow("distinct prompts", s.Prompts)
	main.AddRow("prompts seen with an answer", s.AnsweredPrompts)
	main.AddRow("singletons |S| (f_1)", s.Singletons)
	main.AddRow("singleton rate sr = |S|/N (Def. 2)", s.SingletonRate)
	main.AddRow("missing mass, Good–Turing", s.MissingMass)
	main.AddRow("missing mass, Lemma 1 interval at "+level, interval(s.MissingMassLow, s.MissingMassHigh))
	main.AddRow("Good's coverage 1 − sr", s.Coverage)
	main.AddRow("Chao1 answered prompts", s.Estimate)
	main.AddRow("Chao1 interval at "+level, interval(s.Low, s.High))
	main.AddRow("prompts with conflicting answers", s.ConflictingPrompts)
	if res.Skipped > 0 {
		main.AddRow("malformed records skipped", res.Skipped)
	}
	main.Notes = append(main.Notes, theoremNote(s.Bounds, cfg))
	if err := main.Render(w); err != nil {
		return err
	}
	fof := report.Table{Title: "\nfrequency of frequencies (answered count j, prompts f_j)", Header: []string{"j", "f_j"}}
	for i, c := range s.FreqOfFreq {
		if i == shownFreqRows {
			fof.Notes = append(fof.Notes, fmt.Sprintf("… %d more rows (--freq-csv or --json give them all)", len(s.FreqOfFreq)-i))
			break
		}
		fof.AddRow(c.J, c.F)
	}
	if err := fof.Render(w); err != nil {
		return err
	}
	if len(res.Groups) > 0 {
		g := report.Table{
			Title:  "\nper group (" + cfg.Group + ")",
			Header: []string{"group", "N", "prompts", "f_1", "sr", "MM low", "MM high", "conflicts", "floor 99%", "upper 99%"},
		}
		for _, grp := range res.Groups {
			gs := grp.Stats
			g.AddRow(grp.Group, gs.Records, gs.Prompts, gs.Singletons, gs.SingletonRate, gs.MissingMassLow, gs.MissingMassHigh,
				gs.ConflictingPrompts, optional(gs.Floor99), optional(gs.Upper99))
		}
		if err := g.Render(w); err != nil {
			return err
		}
	}
	if s.ConflictingPrompts > 0 {
		c := report.Table{Title: "\nprompts seen with conflicting answers (multi-valued relations, or errors in the data)", Header: []string{"prompt", "answers"}}
		for _, ex := range res.ConflictExamples {
			prompt := strings.Join(ex.Prompt, " | ")
			if ex.Group != nil && cfg.Group != "" && !containsString(ex.Prompt, *ex.Group) {
				prompt += " [" + *ex.Group + "]"
			}
			var ans []string
			for _, a := range ex.Answers {
				ans = append(ans, fmt.Sprintf("%q ×%d", a.Answer, a.Count))
			}
			if more := ex.DistinctAnswers - int64(len(ex.Answers)); more > 0 {
				ans = append(ans, fmt.Sprintf("and %d more", more))
			}
			c.AddRow(prompt, strings.Join(ans, ", "))
		}
		if res.ConflictExamplesNote != "" {
			c.Notes = append(c.Notes, res.ConflictExamplesNote)
		}
		if len(c.Rows) == 0 {
			c.Header = nil
		}
		if len(c.Rows) > 0 || len(c.Notes) > 0 {
			if err := c.Render(w); err != nil {
				return err
			}
		}
	}
	if len(res.SkippedExamples) > 0 {
		sk := report.Table{Title: "\nfirst malformed records skipped", Header: []string{"record"}}
		for _, e := range res.SkippedExamples {
			sk.AddRow(e)
		}
		return sk.Render(w)
	}
	return nil
}

// theoremNote states Theorem 2's bounds in words.
func theoremNote(b audit.Bounds, cfg audit.Config) string {
	if b.Floor99 == nil {
		return "\nTheorem 2's floor needs the number of plausible answers per prompt: --answers K (|R_c|), for all prompts or per group."
	}
	wrong := fmt.Sprintf("|E_c| = %d", *b.MinWrong)
	if *b.MaxWrong != *b.MinWrong {
		wrong = fmt.Sprintf("%d ≤ |E_c| ≤ %d", *b.MinWrong, *b.MaxWrong)
	}
	floor := fmt.Sprintf("errs on at least %s of such prompts", report.F(*b.Floor99))
	if *b.Floor99 <= 0 {
		floor = fmt.Sprintf("has a floor of %s, which says nothing (N too small or sr too low)", report.F(*b.Floor99))
	}
	return fmt.Sprintf("\nTheorem 2 (%s, δ = %g): a calibrated model trained on this corpus %s, with probability 99%%;\n"+
		"the calibrated algorithm of the paper errs on at most %s (at γ = %g: floor %s, upper %s).",
		wrong, b.Delta, floor, report.F(*b.Upper99), cfg.Gamma, report.F(*b.Floor), report.F(*b.Upper))
}

func interval(lo, hi float64) string { return "[" + report.F(lo) + ", " + report.F(hi) + "]" }

func optional(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return report.F(*v)
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
