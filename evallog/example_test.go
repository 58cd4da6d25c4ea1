package evallog_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/score"
)

// hallu's run file: what `hallu run` writes and `hallu score` reads.
func ExampleReadRun() {
	log := `{"id":"q1","golds":["Paris"],"response":"Paris","outcome":"correct","model":"m","target":0.5}
{"id":"q2","golds":["Canberra"],"response":"Sydney","outcome":"wrong","confidence":0.6,"model":"m","target":0.5}
`
	var d score.Dataset
	st, err := evallog.ReadRun(strings.NewReader(log), "run.jsonl", func(s *score.Sample) error {
		fmt.Println(s.Source, s.ID, s.Outcome)
		return d.Add(s)
	})
	fmt.Println(st.Samples, err)
	// Output:
	// run.jsonl:1 q1 correct
	// run.jsonl:2 q2 wrong
	// 2 <nil>
}

func ExampleRunWriter() {
	w := evallog.NewRunWriter(os.Stdout)
	conf, t := 0.83, 0.75
	w.Write(&score.Sample{ID: "q17", Golds: []string{"Paris"}, Response: "Paris.", Outcome: score.Correct,
		Confidence: &conf, Model: "gpt-x", Target: &t})
	w.Flush()
	// Output:
	// {"id":"q17","golds":["Paris"],"response":"Paris.","outcome":"correct","confidence":0.83,"model":"gpt-x","target":0.75}
}
