package rescore

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/score"
	"pgregory.net/rapid"
)

// A kind of record in a generated log, with the outcome Logs must give it
// and whether matching grades it or the detector reclassifies it.
type kind struct {
	record              string // outcome and response, JSON
	final               score.Outcome
	matched, reclassify bool
}

var kinds = []kind{
	{`"outcome":"correct","response":"Nice"`, score.Correct, false, false}, // the log's grade is kept
	{`"outcome":"wrong","response":"Lyon"`, score.Wrong, false, false},
	{`"outcome":"abstained","response":"pass"`, score.Abstained, false, false},
	{`"outcome":"invalid","reason":"API error"`, score.Invalid, false, false},
	{`"outcome":"wrong","response":"I don't know"`, score.Abstained, false, true},
	{`"outcome":"correct","response":"I don't know"`, score.Correct, false, false},
	{`"response":"Paris"`, score.Correct, true, false},
	{`"response":"Lyon"`, score.Wrong, true, false},
	{`"response":"I have no idea"`, score.Abstained, true, false},
}

// TestLogsProperty generates logs of up to three models from every kind
// of record and checks each row of Logs against counts kept by the
// generator and a score computed in exact rational arithmetic, the input
// counts of matching and reclassification, and the all-invalid error.
func TestLogsProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		models := rapid.IntRange(1, 3).Draw(rt, "models")
		var b strings.Builder
		counts := map[string]*[4]int{} // model → correct, wrong, abstained, invalid
		matched, reclassified := 0, 0
		for m := range models {
			name := fmt.Sprintf("m%d", m)
			counts[name] = new([4]int)
			for i := range rapid.IntRange(1, 25).Draw(rt, "samples") {
				k := kinds[rapid.IntRange(0, len(kinds)-1).Draw(rt, "kind")]
				fmt.Fprintf(&b, `{"id":"q%d","model":%q,"question":"Capital of France?","golds":["Paris"],%s}`+"\n", i, name, k.record)
				counts[name][outcomeIndex(k.final)]++
				if k.matched {
					matched++
				}
				if k.reclassify {
					reclassified++
				}
			}
		}
		var targets []float64
		for _, k := range rapid.SliceOfNDistinct(rapid.IntRange(0, 19), 1, 4, rapid.ID).Draw(rt, "targets") {
			targets = append(targets, float64(k)/20)
		}
		res, err := Logs(context.Background(), []string{"gen.jsonl"}, Options{Format: "hallu",
			Open: memOpen(map[string]string{"gen.jsonl": b.String()}), Config: score.Config{Targets: targets, Bootstrap: -1}})
		allInvalid := false
		for _, c := range counts {
			allInvalid = allInvalid || c[3] == c[0]+c[1]+c[2]+c[3]
		}
		var u *UnusableError
		if allInvalid != errors.As(err, &u) || (err != nil && u == nil) {
			rt.Fatalf("err %v; a model all invalid: %v", err, allInvalid)
		}
		if in := res.Inputs[0]; in.Matched != matched || in.Reclassified != reclassified {
			rt.Fatalf("matched %d, reclassified %d; generated %d, %d", in.Matched, in.Reclassified, matched, reclassified)
		}
		if len(res.Results) != models*len(targets) {
			rt.Fatalf("%d rows, want %d", len(res.Results), models*len(targets))
		}
		for _, r := range res.Results {
			c := counts[r.Model]
			n := c[0] + c[1] + c[2] + c[3]
			if r.Correct != c[0] || r.Wrong != c[1] || r.Abstained != c[2] || r.Invalid != c[3] || r.N != n {
				rt.Fatalf("%s at t = %v: %+v, want counts %v", r.Model, r.T, r, *c)
			}
			want := exactScore(c[0], c[1], n, r.T)
			if math.Abs(r.Score-want) > 1e-12*math.Max(1, math.Abs(want)) {
				rt.Fatalf("%s at t = %v: score %v, want %v", r.Model, r.T, r.Score, want)
			}
		}
	})
}

func outcomeIndex(o score.Outcome) int {
	switch o {
	case score.Correct:
		return 0
	case score.Wrong:
		return 1
	case score.Abstained:
		return 2
	}
	return 3
}
