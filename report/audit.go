package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/hallu-dev/hallu/audit"
)

// shownFreqRows is how many rows of the frequency-of-frequencies table a
// report shows; AuditAdvice.AllRows says where the others are.
const shownFreqRows = 12

// AuditAdvice is how an audit's report tells its reader to give what the
// audit lacked or to get what the report leaves out: a command names its
// flags ("--answers"); empty fields name the fields of audit.Config and
// audit.Stats.
type AuditAdvice struct {
	// Answers is the option that gives the number of plausible answers
	// per prompt |R_c|, which Theorem 2's floor needs.
	Answers string
	// AllRows says where every row of the frequency of frequencies is,
	// as words that end "… 20 more rows (…)".
	AllRows string
}

func (a AuditAdvice) answers() string {
	if a.Answers == "" {
		return "Config.Answers"
	}
	return a.Answers
}

func (a AuditAdvice) allRows() string {
	if a.AllRows == "" {
		return "Stats.FreqOfFreq has them all"
	}
	return a.AllRows
}

// auditTables are the tables of an audit, text and HTML alike.
type auditTables struct {
	summary, fof Table
	// groups, conflicts and skipped are nil when there is nothing to show.
	groups, conflicts, skipped *Table
}

func (t auditTables) all() []Table {
	out := []Table{t.summary, t.fof}
	for _, x := range []*Table{t.groups, t.conflicts, t.skipped} {
		if x != nil {
			out = append(out, *x)
		}
	}
	return out
}

// newAuditTables builds the tables of an audit of a fact corpus
// (Definition 2, Lemma 1, Theorem 2 of arXiv:2509.04664) run with cfg.
func newAuditTables(res *audit.Result, cfg audit.Config, adv AuditAdvice) auditTables {
	level := fmt.Sprintf("%g%%", 100*(1-cfg.Gamma))
	s := res.Stats
	var at auditTables
	main := Table{Title: "hallu audit: " + string(res.Kind), Header: []string{"quantity", "value"}}
	main.AddRow("records N (abstentions included)", s.Records)
	main.AddRow("answered", s.Answered)
	main.AddRow("abstained", s.Abstained)
	main.AddRow("distinct prompts", s.Prompts)
	main.AddRow("prompts seen with an answer", s.AnsweredPrompts)
	main.AddRow("singletons |S| (f_1)", s.Singletons)
	main.AddRow("singleton rate sr = |S|/N (Def. 2)", s.SingletonRate)
	main.AddRow("missing mass, Good–Turing", s.MissingMass)
	main.AddRow("missing mass, Lemma 1 interval at "+level, between(s.MissingMassLow, s.MissingMassHigh))
	main.AddRow("Good's coverage 1 − sr", s.Coverage)
	main.AddRow("Chao1 answered prompts", s.Estimate)
	main.AddRow("Chao1 interval at "+level, between(s.Low, s.High))
	main.AddRow("prompts with conflicting answers", s.ConflictingPrompts)
	if res.Skipped > 0 {
		main.AddRow("malformed records skipped", res.Skipped)
	}
	main.Notes = append(main.Notes, theoremNote(s.Bounds, cfg.Gamma, adv))
	at.summary = main

	fof := Table{Title: "frequency of frequencies (answered count j, prompts f_j)", Header: []string{"j", "f_j"}}
	for i, c := range s.FreqOfFreq {
		if i == shownFreqRows {
			fof.Notes = append(fof.Notes, fmt.Sprintf("… %d more rows (%s)", len(s.FreqOfFreq)-i, adv.allRows()))
			break
		}
		fof.AddRow(c.J, c.F)
	}
	at.fof = fof

	if len(res.Groups) > 0 {
		g := Table{
			Title:  "per group (" + cfg.Group + ")",
			Header: []string{"group", "N", "prompts", "f_1", "sr", "MM low", "MM high", "conflicts", "floor 99%", "upper 99%"},
		}
		for _, grp := range res.Groups {
			gs := grp.Stats
			g.AddRow(grp.Group, gs.Records, gs.Prompts, gs.Singletons, gs.SingletonRate, gs.MissingMassLow, gs.MissingMassHigh,
				gs.ConflictingPrompts, optional(gs.Floor99), optional(gs.Upper99))
		}
		at.groups = &g
	}
	if s.ConflictingPrompts > 0 {
		c := Table{Title: "prompts seen with conflicting answers (multi-valued relations, or errors in the data)", Header: []string{"prompt", "answers"}}
		for _, ex := range res.ConflictExamples {
			prompt := strings.Join(ex.Prompt, " | ")
			if ex.Group != nil && cfg.Group != "" && !slices.Contains(ex.Prompt, *ex.Group) {
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
			at.conflicts = &c
		}
	}
	if len(res.SkippedExamples) > 0 {
		sk := Table{Title: "first malformed records skipped", Header: []string{"record"}}
		for _, e := range res.SkippedExamples {
			sk.AddRow(e)
		}
		at.skipped = &sk
	}
	return at
}

// theoremNote states Theorem 2's bounds in words.
func theoremNote(b audit.Bounds, gamma float64, adv AuditAdvice) string {
	if b.Floor99 == nil {
		return "\nTheorem 2's floor needs the number of plausible answers per prompt: " + adv.answers() + " K (|R_c|), for all prompts or per group."
	}
	wrong := fmt.Sprintf("|E_c| = %d", *b.MinWrong)
	if *b.MaxWrong != *b.MinWrong {
		wrong = fmt.Sprintf("%d ≤ |E_c| ≤ %d", *b.MinWrong, *b.MaxWrong)
	}
	floor := fmt.Sprintf("errs on at least %s of such prompts", F(*b.Floor99))
	if *b.Floor99 <= 0 {
		floor = fmt.Sprintf("has a floor of %s, which says nothing (N too small or sr too low)", F(*b.Floor99))
	}
	return fmt.Sprintf("\nTheorem 2 (%s, δ = %g): a calibrated model trained on this corpus %s, with probability 99%%;\n"+
		"the calibrated algorithm of the paper errs on at most %s (at γ = %g: floor %s, upper %s).",
		wrong, b.Delta, floor, F(*b.Upper99), gamma, F(*b.Floor), F(*b.Upper))
}

func between(lo, hi float64) string { return "[" + F(lo) + ", " + F(hi) + "]" }

func optional(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return F(*v)
}

// WriteAuditText writes the tables of an audit as text.
func WriteAuditText(w io.Writer, res *audit.Result, cfg audit.Config, adv AuditAdvice) error {
	return writeText(w, newAuditTables(res, cfg, adv).all())
}

// AuditSections renders an audit of a fact corpus (Definition 2, Lemma 1,
// Theorem 2 of Kalai et al. 2025) with the tables of WriteAuditText: the
// singleton rate and Theorem 2's floor, and the frequency-of-frequencies
// table beside its chart on log–log axes.
func AuditSections(name string, res *audit.Result, cfg audit.Config, adv AuditAdvice) ([]Section, error) {
	s := res.Stats
	at := newAuditTables(res, cfg, adv)
	summary := Section{
		Heading:    "Singleton rate and Theorem 2",
		Paragraphs: []string{auditVerdict(s, adv)},
		Tables:     []Table{at.summary},
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
		Tables:  []Table{at.fof},
	}
	sections := []Section{summary, fof}
	if at.groups != nil {
		sections = append(sections, Section{Heading: "Per group", Tables: []Table{*at.groups}})
	}
	var rest []Table
	for _, t := range []*Table{at.conflicts, at.skipped} {
		if t != nil {
			rest = append(rest, *t)
		}
	}
	if len(rest) > 0 {
		sections = append(sections, Section{Heading: "Records to look at", Tables: rest})
	}
	return sections, nil
}

// auditVerdict states the singleton rate and Theorem 2's floor in a sentence.
func auditVerdict(s audit.Stats, adv AuditAdvice) string {
	head := fmt.Sprintf("%s of the %d records are facts seen exactly once (sr = %s).", percent(s.SingletonRate), s.Records, F(s.SingletonRate))
	if s.Floor99 == nil {
		return head + " Theorem 2's floor needs the number of plausible answers per prompt (" + adv.answers() + ")."
	}
	if *s.Floor99 <= 0 {
		return head + fmt.Sprintf(" Theorem 2's floor is %s ≤ 0 here: with N = %d its finite-sample term swamps sr, so it says nothing.", F(*s.Floor99), s.Records)
	}
	return head + fmt.Sprintf(" By Theorem 2, any calibrated model trained on this corpus errs on at least %s of such prompts (probability 99%%), and the paper's calibrated algorithm on at most %s.",
		F(*s.Floor99), F(*s.Upper99))
}

// AuditPage is the page of hallu audit --html.
func AuditPage(name string, res *audit.Result, cfg audit.Config, adv AuditAdvice, provenance []string) (Page, error) {
	sections, err := AuditSections(name, res, cfg, adv)
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
