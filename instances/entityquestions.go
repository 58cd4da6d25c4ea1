package instances

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/hallu-dev/hallu/evallog"
)

// EntityQuestionsOptions configures EntityQuestions.
type EntityQuestionsOptions struct {
	// Distractors is the number of erroneous candidates per question
	// (default 9), drawn without replacement from the answers of the
	// file's other questions.
	Distractors int
	// Seed seeds the draw.
	Seed uint64
	// Limits bounds the file, which is read whole (MaxDocument; zero: the
	// default).
	Limits evallog.Limits
}

// EntityQuestions converts one relation file of EntityQuestions
// (Sciavolino et al. 2021: a JSON array of {"question", "answers"}, one
// Wikidata relation per file) into candidate sets: context
// QAPrompt(question), valid its answers, errors Distractors answers of
// other questions of the same relation, which are plausible answers of the
// right type (a city for a birthplace, a person for a spouse) — the
// plausible falsehoods E_c of Section 3.1 of arXiv:2509.04664. A distractor equal to one of
// the question's answers (compared case-insensitively) is never drawn. The
// data gives no distribution over several answers, so p is uniform.
func EntityQuestions(r io.Reader, name string, opt EntityQuestionsOptions) ([]CandidateSet, ConvertStats, error) {
	var st ConvertStats
	if opt.Distractors <= 0 {
		opt.Distractors = 9
	}
	var items []struct {
		Question string   `json:"question"`
		Answers  []string `json:"answers"`
	}
	b, err := opt.Limits.ReadAll(r, "EntityQuestions file")
	if err != nil {
		return nil, st, fmt.Errorf("%s: %w", name, err)
	}
	if err := json.Unmarshal(b, &items); err != nil {
		return nil, st, fmt.Errorf("%s: not a JSON array of {question, answers}: %w", name, err)
	}
	var pool answerSet
	for _, it := range items {
		for _, a := range it.Answers {
			pool.add(a)
		}
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x454e5449545951)) // "ENTITYQ"
	var sets []CandidateSet
	for i, it := range items {
		if it.Question == "" {
			return nil, st, fmt.Errorf("%s entry [%d]: field question: empty", name, i)
		}
		var valid answerSet
		for _, a := range it.Answers {
			valid.add(a)
		}
		if len(valid.list) == 0 {
			return nil, st, fmt.Errorf("%s entry [%d]: field answers: no answer for %q", name, i, it.Question)
		}
		var wrong []string
		for _, j := range rng.Perm(len(pool.list)) {
			if len(wrong) == opt.Distractors {
				break
			}
			if a := pool.list[j]; !valid.has(a) {
				wrong = append(wrong, a)
			}
		}
		if len(wrong) == 0 {
			st.skip("no other answer of the relation to use as an error")
			continue
		}
		sets = append(sets, CandidateSet{Context: QAPrompt(it.Question), Valid: spaced(valid.list), Errors: spaced(wrong)})
	}
	st.Sets = len(sets)
	return sets, st, nil
}
