package score

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12 }

// handPredictions is a four-answer example whose metrics are worked out by
// hand in the tests below.
var handPredictions = []Prediction{{0.9, true}, {0.2, false}, {0.9, false}, {0.6, true}}

func TestCalibrateByHand(t *testing.T) {
	c := Calibrate(handPredictions, 2)
	// Equal width: [0,.5) holds 0.2 (wrong): gap .2; [.5,1] holds .9,.9,.6
	// with 2 right: conf .8, acc 2/3. ECE = .25·.2 + .75·(.8 − 2/3) = .15.
	// Equal mass: {.2 wrong, .6 right}: conf .4 acc .5; {.9, .9}: conf .9
	// acc .5. ECE = .5·.1 + .5·.4 = .25, MCE = .4.
	// Brier = (.01 + .81 + .04 + .16)/4 = .255.
	nll := -(math.Log(0.9) + math.Log(0.1) + math.Log(0.8) + math.Log(0.6)) / 4
	for _, tc := range []struct {
		name      string
		got, want float64
	}{
		{"ECE", c.ECE, 0.15}, {"MCE", c.MCE, 0.2},
		{"ECEEqualMass", c.ECEEqualMass, 0.25}, {"MCEEqualMass", c.MCEEqualMass, 0.4},
		{"Brier", c.Brier, 0.255}, {"NLL", c.NLL, nll},
		{"MeanConfidence", c.MeanConfidence, 0.65}, {"Accuracy", c.Accuracy, 0.5},
	} {
		if !near(tc.got, tc.want) {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if len(c.Reliability) != 2 || c.Reliability[0].N != 1 || c.Reliability[1].N != 3 {
		t.Errorf("reliability bins %+v", c.Reliability)
	}
	if len(c.ReliabilityEqualMass) != 2 || c.ReliabilityEqualMass[0].Lo != 0.2 || c.ReliabilityEqualMass[1].Hi != 0.9 {
		t.Errorf("equal-mass bins %+v", c.ReliabilityEqualMass)
	}
}

func TestCalibrateEdges(t *testing.T) {
	// No predictions.
	c := Calibrate(nil, 10)
	if c.N != 0 || c.ECE != 0 || len(c.Reliability) != 10 || len(c.ReliabilityEqualMass) != 0 {
		t.Errorf("empty: %+v", c)
	}
	// Confidences of exactly 0 and 1: 1 lands in the last bin; a confident
	// miss is clipped in the NLL, a confident hit costs nothing.
	c = Calibrate([]Prediction{{1, true}, {0, false}, {1, false}}, 10)
	if c.Reliability[9].N != 2 || c.Reliability[0].N != 1 {
		t.Errorf("bins at 0 and 1: %+v", c.Reliability)
	}
	if c.NLLClipped != 1 || !near(c.NLL, -math.Log(nllEps)/3+(-math.Log(1-nllEps))*2/3) {
		t.Errorf("NLL %v clipped %d", c.NLL, c.NLLClipped)
	}
	// Fewer predictions than bins: empty equal-width bins are kept (N=0)
	// and ignored by ECE; equal-mass bins never come out empty.
	c = Calibrate([]Prediction{{0.55, true}}, 10)
	if !near(c.ECE, 0.45) || !near(c.MCE, 0.45) || len(c.ReliabilityEqualMass) != 1 {
		t.Errorf("single: ECE %v MCE %v mass %d", c.ECE, c.MCE, len(c.ReliabilityEqualMass))
	}
	// Perfect: all right at confidence 1.
	c = Calibrate([]Prediction{{1, true}, {1, true}}, 5)
	if c.ECE != 0 || c.Brier != 0 {
		t.Errorf("perfect: %+v", c)
	}
}

func TestRiskCoverageByHand(t *testing.T) {
	s := RiskCoverage(handPredictions, 0.5)
	// Sorted: {.9 right, .9 wrong} tie, .6 right, .2 wrong. Expected risk
	// over a random order of the tie: k=1: .5, k=2: .5, k=3: 1/3, k=4: .5.
	aurc := (0.5 + 0.5 + 1.0/3 + 0.5) / 4
	if !near(s.AURC, aurc) || !near(s.SelectiveAccuracy, 0.5) {
		t.Errorf("AURC %v (want %v), selective accuracy %v (want .5)", s.AURC, aurc, s.SelectiveAccuracy)
	}
	if s3 := RiskCoverage(handPredictions, 0.75); !near(s3.SelectiveAccuracy, 2.0/3) {
		t.Errorf("selective accuracy at 0.75 = %v, want 2/3", s3.SelectiveAccuracy)
	}
	if len(s.Curve) != 4 || !near(s.Curve[2].Risk, 1.0/3) || s.Curve[3].Coverage != 1 {
		t.Errorf("curve %+v", s.Curve)
	}
	if e := RiskCoverage(nil, 1); e.N != 0 || e.AURC != 0 || len(e.Curve) != 0 {
		t.Errorf("empty: %+v", e)
	}
	// All correct: zero risk everywhere.
	if a := RiskCoverage([]Prediction{{0.3, true}, {0.8, true}}, 1); a.AURC != 0 || a.SelectiveAccuracy != 1 {
		t.Errorf("all correct: %+v", a)
	}
}

func TestPolicyByHand(t *testing.T) {
	// Four answers plus one abstention with a confidence: N = 5.
	pc := Policy(handPredictions, 1, []float64{0, 0.5, 0.75})
	want := []struct{ score, bestScore, bestThr, answerRate float64 }{
		{2.0 / 5, 2.0 / 5, 0.2, 4.0 / 5},       // t=0: answer all; leaving out the free miss at .2 ties, and ties go to fewer answers
		{(2.0 - 1) / 5, 1.0 / 5, 0.2, 3.0 / 5}, // t=.5, penalty 1: .9,.9,.6 answered
		{(1.0 - 3) / 5, 0, 0.9, 2.0 / 5},       // t=.75, penalty 3: best is to answer nothing
	}
	for i, w := range want {
		p := pc.Points[i]
		if !near(p.Score, w.score) || !near(p.BestThresholdScore, w.bestScore) ||
			p.BestThreshold != w.bestThr || !near(p.AnswerRate, w.answerRate) {
			t.Errorf("t=%v: %+v, want %+v", p.T, p, w)
		}
	}
	if pc.BestT != 0 || !near(pc.BestScore, 0.4) {
		t.Errorf("best t %v score %v", pc.BestT, pc.BestScore)
	}
}

func TestCountsEdges(t *testing.T) {
	for _, tc := range []struct {
		name           string
		c              Counts
		score, aga, f1 float64
	}{
		{"no samples", Counts{}, 0, 0, 0},
		{"all correct", Counts{Correct: 5}, 1, 1, 1},
		{"all abstained", Counts{Abstained: 5}, 0, 0, 0},
		{"single wrong", Counts{Wrong: 1}, -1, 0, 0},
		// simple-evals' own test: 1 correct, 1 incorrect, 1 not attempted
		// → accuracy 1/3, given attempted 1/2, F1 = 0.4.
		{"simple-evals", Counts{Correct: 1, Wrong: 1, Abstained: 1}, 0, 0.5, 0.4},
	} {
		if s := tc.c.Score(0.5); !near(s, tc.score) || !near(tc.c.AccuracyGivenAttempted(), tc.aga) || !near(tc.c.F1(), tc.f1) {
			t.Errorf("%s: score %v aga %v f1 %v", tc.name, s, tc.c.AccuracyGivenAttempted(), tc.c.F1())
		}
	}
	r := Summarize("m", Counts{Correct: 2, Wrong: 1, Invalid: 1}, 0.5, DefaultZ)
	if r.N != 4 || r.InvalidRate != 0.25 || !near(r.Score, 0.25) || !near(r.ScoreInvalidAsWrong, 0) {
		t.Errorf("invalid handling: %+v", r)
	}
}

func TestWilsonAgainstQuadratic(t *testing.T) {
	// The Wilson bounds are the roots in p of (k/n − p)² = z²p(1−p)/n, i.e.
	// (n+z²)p² − (2k+z²)p + k²/n = 0; solve that independently.
	z := DefaultZ
	for _, kn := range [][2]int{{7, 50}, {0, 10}, {10, 10}, {1, 1}, {22, 100}, {500, 1000}} {
		k, n := float64(kn[0]), float64(kn[1])
		a, b, c := n+z*z, -(2*k + z*z), k*k/n
		disc := math.Sqrt(b*b - 4*a*c)
		lo, hi := (-b-disc)/(2*a), (-b+disc)/(2*a)
		w := Wilson(kn[0], kn[1], z)
		if math.Abs(w.Lo-math.Max(lo, 0)) > 1e-9 || math.Abs(w.Hi-math.Min(hi, 1)) > 1e-9 {
			t.Errorf("Wilson(%v,%v) = %+v, quadratic roots [%v,%v]", k, n, w, lo, hi)
		}
	}
	if w := Wilson(0, 0, z); w.Lo != 0 || w.Hi != 1 {
		t.Errorf("Wilson(0,0) = %+v", w)
	}
}

func TestEvaluateEdges(t *testing.T) {
	rep, err := Evaluate(&Dataset{}, Config{})
	if err != nil || len(rep.Results) != 0 {
		t.Fatalf("empty dataset: %v %+v", err, rep)
	}
	var d Dataset
	if err := d.Add(&Sample{ID: "1", Model: "m"}); err == nil {
		t.Error("ungraded sample accepted")
	}
	bad := 1.5
	if err := d.Add(&Sample{ID: "1", Model: "m", Outcome: Correct, Confidence: &bad}); err == nil {
		t.Error("confidence 1.5 accepted")
	}
	if _, err := Evaluate(&d, Config{Targets: []float64{1}}); err == nil {
		t.Error("target 1 accepted")
	}
	one := 1.0
	if err := d.Add(&Sample{ID: "1", Model: "m", Outcome: Correct, Confidence: &one}); err != nil {
		t.Fatal(err)
	}
	rep, err = Evaluate(&d, Config{})
	if err != nil || len(rep.Results) != 4 || len(rep.Groups) != 1 || rep.Results[3].Score != 1 {
		t.Fatalf("single sample: %v %+v", err, rep)
	}
}

func TestBehavioral(t *testing.T) {
	var d Dataset
	add := func(tgt float64, o Outcome, conf float64, n int) {
		for i := range n {
			s := Sample{ID: string(rune('a' + i)), Model: "m", Outcome: o, Target: &tgt, Confidence: &conf}
			if err := d.Add(&s); err != nil {
				t.Fatal(err)
			}
		}
	}
	// t=0: 6 right, 4 wrong; t=0.5: 5 right, 1 wrong, 4 abstained (one of
	// them while 0.9 confident); t=0.9: 2 right, 1 wrong, 7 abstained.
	add(0, Correct, 0.8, 6)
	add(0, Wrong, 0.3, 4)
	add(0.5, Correct, 0.8, 5)
	add(0.5, Wrong, 0.4, 1)
	add(0.5, Abstained, 0.2, 3)
	add(0.5, Abstained, 0.9, 1)
	add(0.9, Correct, 0.95, 2)
	add(0.9, Wrong, 0.95, 1)
	add(0.9, Abstained, 0.5, 7)
	rep, err := Evaluate(&d, Config{Bootstrap: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Behavioral) != 1 {
		t.Fatalf("behavioral: %+v", rep.Behavioral)
	}
	b := rep.Behavioral[0]
	if !b.AnswerRateNonIncreasing || len(b.Points) != 3 {
		t.Fatalf("%+v", b)
	}
	p5 := b.Points[1]
	if !near(p5.AccuracyAnswered, 5.0/6) || !p5.MeetsTarget || p5.NConfident != 6 ||
		!near(p5.AbstainWhileConfident, 1.0/6) || !near(p5.AnswerWhileUnconfident, 1.0/4) {
		t.Errorf("t=0.5: %+v", p5)
	}
	p9 := b.Points[2]
	if p9.MeetsTarget || !p9.ConsistentWithTarget {
		t.Errorf("t=0.9: 2/3 accuracy should miss 0.9 but stay consistent with it at n=3: %+v", p9)
	}
	// Run-target rows: one per target, flagged.
	if len(rep.Results) != 3 || !rep.Results[1].RunTarget || rep.Results[1].T != 0.5 {
		t.Errorf("results %+v", rep.Results)
	}
}

func TestLeaderboards(t *testing.T) {
	rs := []TargetResult{
		{Model: "a", T: 0.5, Rank: 2}, {Model: "b", T: 0, Rank: 2}, {Model: "b", T: 0.5, Rank: 1}, {Model: "a", T: 0, Rank: 1},
	}
	ts, byT := Leaderboards(rs)
	if len(ts) != 2 || ts[0] != 0 || ts[1] != 0.5 {
		t.Fatalf("targets %v", ts)
	}
	if byT[0][0].Model != "a" || byT[0][1].Model != "b" || byT[0.5][0].Model != "b" || byT[0.5][1].Model != "a" {
		t.Fatalf("order %+v", byT)
	}
}
