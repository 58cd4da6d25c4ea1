package report

import (
	"fmt"

	"github.com/hallu-dev/hallu/audit"
)

// AuditSections renders an audit of a fact corpus (Definition 2, Lemma 1,
// Theorem 2 of Kalai et al. 2025): the singleton rate and Theorem 2's
// floor, and the frequency-of-frequencies table on log–log axes. gamma is
// the audit's γ (intervals hold with probability 1 − γ).
func AuditSections(name string, res *audit.Result, gamma float64) ([]Section, error) {
	s := res.Stats
	level := fmt.Sprintf("%g%%", 100*(1-gamma))
	t := Table{Header: []string{"quantity", "value"}}
	t.AddRow("records N (abstentions included)", s.Records)
	t.AddRow("abstained", s.Abstained)
	t.AddRow("prompts seen with an answer", s.AnsweredPrompts)
	t.AddRow("singletons |S| = f₁", s.Singletons)
	t.AddRow("singleton rate sr = |S|/N (Def. 2)", s.SingletonRate)
	t.AddRow("missing mass, Lemma 1 interval at "+level, "["+F(s.MissingMassLow)+", "+F(s.MissingMassHigh)+"]")
	t.AddRow("Chao1 answered prompts", s.Estimate)
	t.AddRow("prompts with conflicting answers", s.ConflictingPrompts)
	if s.Floor99 != nil {
		t.AddRow("min|E_c| (wrong answers per prompt)", *s.MinWrong)
		t.AddRow("Theorem 2 floor, 99% form as printed", *s.Floor99)
		t.AddRow("Theorem 2 floor, general form at "+level, *s.Floor)
		t.AddRow("calibrated algorithm's ceiling, 99% form as printed", *s.Upper99)
	}
	if res.Skipped > 0 {
		t.AddRow("malformed records skipped", res.Skipped)
	}
	summary := Section{
		Heading:    "Singleton rate and Theorem 2",
		Paragraphs: []string{auditVerdict(s)},
		Tables:     []Table{t},
	}

	var j, f []float64
	for _, c := range s.FreqOfFreq {
		j = append(j, float64(c.J))
		f = append(f, float64(c.F))
	}
	fig, err := Chart{
		Title: "Frequency of frequencies", XLabel: "times a prompt is seen with an answer, j", YLabel: "prompts seen j times, f_j",
		LogX: true, LogY: true,
		Series: []Series{{Name: "f_j", X: j, Y: f, Points: true}},
	}.Figure(fmt.Sprintf("%s: %d distinct counts j; f₁ = %d of %d answered prompts.", name, len(s.FreqOfFreq), s.Singletons, s.AnsweredPrompts))
	if err != nil {
		return nil, err
	}
	fof := Section{
		Heading: "Frequency of frequencies",
		Paragraphs: []string{"The prompts seen once (f₁, the leftmost point) are the facts a model trained on this corpus has seen a single time; " +
			"Good–Turing's estimate of the probability of a fact never seen is f₁/N, and Theorem 2's floor starts from it."},
		Figures: []Figure{fig},
	}
	sections := []Section{summary, fof}
	if len(res.Groups) > 0 {
		g := Table{Header: []string{"group", "N", "prompts", "f₁", "sr", "floor 99%"}}
		for _, grp := range res.Groups {
			floor := "n/a"
			if grp.Floor99 != nil {
				floor = F(*grp.Floor99)
			}
			g.AddRow(grp.Group, grp.Records, grp.Prompts, grp.Singletons, grp.SingletonRate, floor)
		}
		sections = append(sections, Section{Heading: "Per group", Tables: []Table{g}})
	}
	return sections, nil
}

// auditVerdict states the singleton rate and Theorem 2's floor in a sentence.
func auditVerdict(s audit.Stats) string {
	head := fmt.Sprintf("%s of the %d records are facts seen exactly once (sr = %s).", percent(s.SingletonRate), s.Records, F(s.SingletonRate))
	if s.Floor99 == nil {
		return head + " Theorem 2's floor needs the number of plausible answers per prompt (--answers)."
	}
	if *s.Floor99 <= 0 {
		return head + fmt.Sprintf(" Theorem 2's floor is %s ≤ 0 here: with N = %d its finite-sample term swamps sr, so it says nothing.", F(*s.Floor99), s.Records)
	}
	return head + fmt.Sprintf(" By Theorem 2, any calibrated model trained on this corpus errs on at least %s of such prompts (probability 99%%), and the paper's calibrated algorithm on at most %s.",
		F(*s.Floor99), F(*s.Upper99))
}

// AuditPage is the page of hallu audit --html.
func AuditPage(name string, res *audit.Result, gamma float64, provenance []string) (Page, error) {
	sections, err := AuditSections(name, res, gamma)
	if err != nil {
		return Page{}, err
	}
	return Page{
		Title:      "hallu audit: " + name,
		Subtitle:   "The singleton rate of a fact corpus and the hallucination floor it implies (Kalai et al. 2025, Def. 2, Lemma 1, Theorem 2).",
		Sections:   sections,
		Provenance: provenance,
	}, nil
}

func percent(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }
