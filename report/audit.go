package report

import (
	"encoding/json"
	"fmt"

	"github.com/hallu-dev/hallu/missingmass"
)

// auditStats is what the audit page shows of a set of records, read from
// hallu audit's JSON schema (package audit's Stats). Package report cannot
// import package audit, whose tests reach report through internal/input;
// the schema is stable (keys are only ever added), so the page reads that.
type auditStats struct {
	Records            int64                  `json:"records"`
	Abstained          int64                  `json:"abstained"`
	Prompts            int64                  `json:"prompts"`
	AnsweredPrompts    int64                  `json:"answered_prompts"`
	Singletons         int64                  `json:"singletons"`
	SingletonRate      float64                `json:"singleton_rate"`
	MissingMassLow     float64                `json:"missing_mass_low"`
	MissingMassHigh    float64                `json:"missing_mass_high"`
	Estimate           float64                `json:"chao1"`
	ConflictingPrompts int64                  `json:"conflicting_prompts"`
	FreqOfFreq         missingmass.FreqOfFreq `json:"freq_of_freq"`
	MinWrong           *int64                 `json:"min_wrong_answers"`
	Floor99            *float64               `json:"floor_99"`
	Upper99            *float64               `json:"upper_99"`
	Floor              *float64               `json:"floor"`
}

// auditResult is the part of package audit's Result the page shows.
type auditResult struct {
	auditStats
	Groups []struct {
		Group string `json:"group"`
		auditStats
	} `json:"groups"`
	Skipped int64 `json:"skipped"`
}

// AuditSections renders an audit of a fact corpus (Definition 2, Lemma 1,
// Theorem 2 of Kalai et al. 2025): the singleton rate and Theorem 2's
// floor, and the frequency-of-frequencies table on log–log axes. result is
// a *audit.Result (or anything that marshals to hallu audit's JSON
// result); gamma is the audit's γ (intervals hold with probability 1 − γ).
func AuditSections(name string, result any, gamma float64) ([]Section, error) {
	b, err := json.Marshal(result)
	if err != nil {
		return nil, fmt.Errorf("audit page: %w", err)
	}
	var res auditResult
	if err := json.Unmarshal(b, &res); err != nil {
		return nil, fmt.Errorf("audit page: %w", err)
	}
	s := res.auditStats
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
func auditVerdict(s auditStats) string {
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
func AuditPage(name string, result any, gamma float64, provenance []string) (Page, error) {
	sections, err := AuditSections(name, result, gamma)
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
