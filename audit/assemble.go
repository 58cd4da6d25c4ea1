package audit

import (
	"cmp"
	"slices"

	"github.com/hallu-dev/hallu/missingmass"
)

// GroupCounts are the counts a records audit reduces one group's records
// to (the whole corpus's when not grouping): what NewResult needs to
// compute the statistics of Definition 2, Lemma 1 and Theorem 2.
type GroupCounts struct {
	Group     string // the group value; "" when not grouping
	Records   int64  // N: examples, abstentions included (multiplicities added)
	Abstained int64  // examples whose answer is an abstention
	// Prompts counts distinct prompt keys, Conflicting those seen with two
	// or more different answers (see PromptCount).
	Prompts, Conflicting int64
	// FreqOfFreq is the frequency-of-frequencies table of the prompts'
	// answered counts.
	FreqOfFreq missingmass.FreqOfFreq
}

// NewResult assembles the Result of a records or counts audit from the
// counts of each group, as Run does after counting: the statistics of the
// whole corpus, those of each group (sorted by group) when cfg.Group is
// set, and Theorem 2's bounds from cfg.Answers and cfg.GroupAnswers. When
// not grouping, groups holds the corpus's counts in one element (or none,
// for an empty corpus). skipped counts the malformed records skipped and
// skippedExamples describes the first few in input order. ConflictExamples
// are left empty; see NewConflict.
//
// Other pipelines that count the same keys (the Apache Beam one in beam/)
// call NewResult to produce exactly hallu audit's result.
func NewResult(cfg Config, groups []GroupCounts, skipped int64, skippedExamples []string) (*Result, error) {
	cfg.setDefaults()
	res := &Result{Kind: cfg.Kind, Groups: []Group{}, ConflictExamples: []Conflict{}, SkippedExamples: []string{}}
	res.Skipped = skipped
	res.SkippedExamples = append(res.SkippedExamples, skippedExamples...)
	var all GroupCounts
	for _, g := range groups {
		all.Records += g.Records
		all.Abstained += g.Abstained
		all.Prompts += g.Prompts
		all.Conflicting += g.Conflicting
		all.FreqOfFreq = all.FreqOfFreq.Merge(g.FreqOfFreq)
	}
	var err error
	if res.Stats, err = stats(&cfg, &all, cfg.Answers, cfg.Answers); err != nil {
		return nil, err
	}
	if cfg.Group == "" {
		return res, nil
	}
	minR, maxR := int64(0), int64(0)
	for i := range groups {
		g := &groups[i]
		k := cfg.answersFor(g.Group)
		st, err := stats(&cfg, g, k, k)
		if err != nil {
			return nil, err
		}
		res.Groups = append(res.Groups, Group{Group: g.Group, Stats: st})
		if i == 0 || k < minR {
			minR = k
		}
		maxR = max(maxR, k)
	}
	slices.SortFunc(res.Groups, func(a, b Group) int { return cmp.Compare(a.Group, b.Group) })
	// The corpus as a whole: |E_c| ranges over all groups' prompts.
	res.Bounds = Bounds{}
	theorem2(&res.Bounds, res.Records, res.SingletonRate, minR, maxR, cfg.Delta, cfg.Gamma)
	return res, nil
}

// NewConflict returns how a prompt seen with different answers is shown:
// its answers with their counts, the most frequent first (ties by answer),
// at most ten of them, and how many distinct answers it had.
func NewConflict(prompt []string, group *string, answers map[string]int64) Conflict {
	c := Conflict{Prompt: prompt, Group: group, DistinctAnswers: int64(len(answers))}
	for ans, n := range answers {
		c.Answers = append(c.Answers, AnswerCount{Answer: ans, Count: n})
	}
	slices.SortFunc(c.Answers, func(x, y AnswerCount) int {
		if d := cmp.Compare(y.Count, x.Count); d != 0 {
			return d
		}
		return cmp.Compare(x.Answer, y.Answer)
	})
	c.Answers = c.Answers[:min(len(c.Answers), maxShownAnswers)]
	return c
}
