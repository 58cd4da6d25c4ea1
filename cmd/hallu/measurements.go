package main

import (
	"github.com/hallu-dev/hallu/instances"
	"github.com/hallu-dev/hallu/llm"
)

// hallu's own measurements through an endpoint; the scoring of given
// answers is instances.MeasureEcho and instances.MeasureLetters.
var (
	measureRun = llm.Measurement{Name: "run under confidence targets (hallu run)", Needs: []llm.Capability{llm.Chat},
		Instead: "hallu run asks /chat/completions; point --base-url at a server that has it, or score existing answers with hallu score"}
	measureJudge = llm.Measurement{Name: "LLM judge (hallu run --judge-model)", Needs: []llm.Capability{llm.Chat},
		Instead: "the judge answers on /chat/completions; give --judge-base-url a server that has it, or drop --judge-model to grade by matching"}
	measureDeltaEcho = llm.Measurement{Name: "δ on open questions by echo (hallu delta --dataset)", Needs: []llm.Capability{llm.Completions, llm.Echo, llm.CompletionsN},
		Instead: "if the endpoint has chat top_logprobs, measure δ on multiple-choice items by letter probabilities: hallu delta --choices FILE (hallu probe says which it has)"}
)

// probeMeasurements lists the measurements hallu probe checks, in the order
// it shows them, instances' named by the commands that make them (hallu
// bound --from and hallu delta --choices, which both have --method).
var probeMeasurements = []llm.Measurement{measureRun, measureJudge, measureDeltaEcho,
	commandMeasurement(instances.MeasureEcho, "scores of given answers by echo (hallu bound --from, hallu delta --choices --method echo)"),
	commandMeasurement(instances.MeasureLetters, "δ and err_iiv by letter probabilities (--method letters)"),
}

// commandMeasurement returns m named name, its advice naming --method.
func commandMeasurement(m llm.Measurement, name string) llm.Measurement {
	m.Name = name
	m.Instead = flagText(m.Instead, func(flag string) bool { return flag == "method" })
	return m
}
