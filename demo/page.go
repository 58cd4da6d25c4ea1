package demo

import (
	"fmt"
	"math"

	"github.com/hallu-dev/hallu/report"
)

// Page composes the demo's HTML page from the sections of each command's
// report, each step introduced by what it shows and the command that
// reproduces it.
func (r *Result) Page() (report.Page, error) {
	// The page shows the hallu commands that reproduce each step, so it
	// names hallu audit's flags.
	auditSec, err := report.AuditSections(FactsFile, r.Audit, r.AuditConfig, report.AuditAdvice{Answers: "--answers", AllRows: "--freq-csv or --json give them all"})
	if err != nil {
		return report.Page{}, err
	}
	simSec, err := report.SimSections(r.Experiment, r.Simulation)
	if err != nil {
		return report.Page{}, err
	}
	scoreSec, err := report.ScoreSections(nil, r.Score)
	if err != nil {
		return report.Page{}, err
	}
	cor2Sec, err := report.Cor2Sections("Moby-Dick (public domain)", 1, r.Cor2, nil)
	if err != nil {
		return report.Page{}, err
	}
	s := r.Audit.Stats
	intro := report.Section{
		Heading: "What the paper says",
		Paragraphs: []string{
			"Kalai, Nachum, Vempala and Zhang (2025) argue that hallucinations are ordinary errors of classification, not mysteries. " +
				"Generating valid text is at least as hard as telling valid from invalid text (Theorem 1), so a model errs whenever that classification is hard. " +
				"For arbitrary facts seen once in training there is no pattern to learn, and a calibrated model errs on at least about the fraction of facts seen exactly once, the singleton rate (Theorem 2). " +
				"Models that cannot represent the distinction also err (Corollary 2). " +
				"Hallucinations persist after training because benchmarks grade right/wrong only, which rewards a guess over \"I don't know\"; stating a confidence target t, with wrong answers costing t/(1−t), removes that reward (Section 4).",
			"Each step below runs on real data shipped inside the hallu binary; data/SOURCE.md in package demo gives its origin and licence.",
		},
	}
	step := func(n int, title, text, cmd string) report.Section {
		return report.Section{Heading: fmt.Sprintf("Step %d: %s", n, title), Paragraphs: []string{text, "Reproduce: " + cmd}}
	}
	var sections []report.Section
	sections = append(sections, intro,
		step(1, "the singleton rate of a real fact corpus",
			fmt.Sprintf("%d facts of T-REx, as selected by ParaRel (MIT): a prompt is a relation and a subject, its answer the object. "+
				"Theorem 2 is stated for %d plausible answers per prompt.", s.Records, Answers),
			"hallu audit --prompt relation,sub_label --answer obj_label --answers 1000 --html audit.html demo/data/pararel_trex.tsv.zst"))
	sections = append(sections, auditSec...)
	sections = append(sections, step(2, "a simulated world with the corpus's singleton rate",
		fmt.Sprintf("A world of %d equally likely facts, the size at which N = %d examples are expected to see %s of them exactly once, the corpus's singleton rate: "+
			"the corpus is read as a sample of a world of facts far larger than itself. %d runs; each learner is trained on the sample and its error measured exactly.",
			r.Experiment.World.Prompts, r.Experiment.N, report.F(s.SingletonRate), SimRuns),
		fmt.Sprintf("hallu sim --mu uniform --prompts %d --n %d --answers 1000 --runs 20 --html sim.html", r.Experiment.World.Prompts, r.Experiment.N)))
	sections = append(sections, simSec...)
	flip := "Their scores do not cross."
	if !math.IsNaN(r.Flip) {
		flip = fmt.Sprintf("Their scores cross at t = %s: below it the model that always answers leads, above it the cautious one.", report.F(r.Flip))
	}
	sections = append(sections, step(3, "real model outputs under confidence targets",
		fmt.Sprintf("%s's answers to 20 multiple-choice questions (lm-evaluation-harness log, MIT), each with a confidence from its log-likelihoods; "+
			"beside them, the same answers with \"I don't know\" wherever the confidence is at most %g. %s", Model, AbstainAbove, flip),
		"hallu score --format lm-eval --model Qwen3-8B --html score.html demo/data/qwen3-8b_negotiationtom_belief.jsonl.zst"))
	sections = append(sections, scoreSec...)
	sections = append(sections, step(4, "a model too simple to see the subject",
		"n-gram models of orders 3 to 9 trained on Moby-Dick plus the paper's two sentences, asked to continue \"She lost it and was completely out of\" and \"He lost it and was completely out of\".",
		"hallu ngram cor2 --html cor2.html"))
	sections = append(sections, cor2Sec...)
	boundSec, err := report.BoundSections("cor2.jsonl", r.Bound)
	if err != nil {
		return report.Page{}, err
	}
	sections = append(sections, report.Section{
		Heading: fmt.Sprintf("Theorem 1 on the order-%d model", r.Cor2[0].Order),
		Paragraphs: []string{"The same instance through the reduction of Sections 3.1–3.2: the trigram's error against Theorem 1's bound, and its calibration δ_z at every threshold.",
			"Reproduce: hallu ngram cor2 --orders 3 --write-instance cor2.jsonl && hallu bound --html bound.html cor2.jsonl"},
	})
	sections = append(sections, boundSec...)
	sections = append(sections, report.Section{Heading: "Where to look next", Paragraphs: nextSteps})
	return report.Page{
		Title:    "hallu demo: why language models hallucinate",
		Subtitle: "The paper's argument, end to end, on data that ships inside the binary.",
		Sections: sections,
		Provenance: []string{
			"data: " + FactsFile + " (ParaRel/T-REx, MIT), " + OutputsFile + " (lm-evaluation-harness, MIT), Moby-Dick (public domain)",
			fmt.Sprintf("parameters: |R_c| = %d, γ = %g, %d simulated runs from seed %d, targets %v, cautious threshold %g, n-gram orders %v",
				Answers, Gamma, SimRuns, Seed, Targets, AbstainAbove, Cor2Orders),
		},
	}, nil
}

// nextSteps point from the demo to the commands that run on one's own data.
var nextSteps = []string{
	"Your corpus: hallu audit --prompt COLS --answer COL --answers K --html audit.html FILE.",
	"Your model's probabilities: hallu bound --html bound.html INSTANCE.jsonl (Theorem 1 and the δ_z curve).",
	"Your eval logs: hallu score --html score.html LOG… (lm-eval, Inspect, openai/evals, SimpleQA, generic JSONL/CSV).",
	"Your endpoint under stated targets: hallu run, then hallu score.",
}
