package grade

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/score"
)

// TestAbstentionSample corrects the abstention precision and recall
// measured against simpleqa_tavily_graded's gpt-3.5 judge by a sample of
// the disagreements read by hand (testdata/abstain_sample.tsv: ids and
// verdicts only, as the dataset may not be redistributed; its README says
// how the sample was drawn). Each sampled answer's truth by SimpleQA's
// grading rules is "not-attempted", "answer" or "ambiguous". The test
// fails when a sampled answer is no longer a disagreement: the detector
// changed and the sample must be drawn and read again.
func TestAbstentionSample(t *testing.T) {
	type verdict struct{ direction, truth string }
	sample := map[string]verdict{}
	f, err := os.Open(filepath.Join("testdata", "abstain_sample.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		fs := strings.Split(sc.Text(), "\t")
		if len(fs) != 5 || (fs[0] != "hallu-only" && fs[0] != "judge-only") ||
			(fs[3] != "not-attempted" && fs[3] != "answer" && fs[3] != "ambiguous") {
			t.Fatalf("abstain_sample.tsv:%d: want direction, config, question_id, truth, note", line)
		}
		sample[fs[1]+" "+fs[2]] = verdict{fs[0], fs[3]}
	}
	xs := tavilyAnswers(t)
	m := &Matcher{Abstention: DefaultDetector()}
	flagged, agreed, judgeOnly := 0, 0, 0
	hallu := map[string]int{} // truth counts of the sampled hallu-only answers
	judge := map[string]int{} // and of the judge-only ones
	for _, x := range xs {
		h := sha256.Sum256([]byte(x.question))
		key := x.group + " " + hex.EncodeToString(h[:])[:16]
		o, _ := m.Grade(x.response, x.golds)
		dir := ""
		switch ab, ref := o == score.Abstained, x.ref == score.Abstained; {
		case ab && ref:
			flagged++
			agreed++
		case ab:
			flagged++
			dir = "hallu-only"
		case ref:
			judgeOnly++
			dir = "judge-only"
		}
		v, ok := sample[key]
		if !ok {
			continue
		}
		delete(sample, key)
		if v.direction != dir {
			t.Errorf("%s: sampled as %s, now %q: the sample is stale, draw and read it again", key, v.direction, dir)
			continue
		}
		if dir == "hallu-only" {
			hallu[v.truth]++
		} else {
			judge[v.truth]++
		}
	}
	for key := range sample {
		t.Errorf("%s: sampled answer not in the data", key)
	}
	nh := hallu["not-attempted"] + hallu["answer"] + hallu["ambiguous"]
	nj := judge["not-attempted"] + judge["answer"] + judge["ambiguous"]
	if nh == 0 || nj == 0 {
		t.Fatal("empty sample")
	}
	// hallu's abstentions that are really not attempted: those the judge
	// agrees with, and the judge's errors among the rest at the sampled
	// rate (ambiguous ones counted against hallu, then for it).
	corrected := func(k, n int, rate func(k, n int) float64) float64 {
		return float64(agreed) + float64(flagged-agreed)*rate(k, n)
	}
	point := func(k, n int) float64 { return float64(k) / float64(n) }
	lo := func(k, n int) float64 { return score.Wilson(k, n, score.DefaultZ).Lo }
	hi := func(k, n int) float64 { return score.Wilson(k, n, score.DefaultZ).Hi }
	// The judge's not-attempted answers hallu misses, at the sampled rate.
	missed := func(k int, rate func(k, n int) float64) float64 {
		return float64(judgeOnly) * rate(k, nj)
	}
	for _, c := range []struct {
		name string
		k, m int // hallu-only answers not attempted; judge-only ones
	}{
		{"ambiguous as hallu errors", hallu["not-attempted"], judge["not-attempted"] + judge["ambiguous"]},
		{"ambiguous as judge errors", hallu["not-attempted"] + hallu["ambiguous"], judge["not-attempted"]},
	} {
		tp, tpLo, tpHi := corrected(c.k, nh, point), corrected(c.k, nh, lo), corrected(c.k, nh, hi)
		t.Logf("%s: precision %.3f (%.3f–%.3f), recall %.3f (%.3f–%.3f)", c.name,
			tp/float64(flagged), tpLo/float64(flagged), tpHi/float64(flagged),
			tp/(tp+missed(c.m, point)), tpLo/(tpLo+missed(c.m, hi)), tpHi/(tpHi+missed(c.m, lo)))
	}
	t.Logf("hallu abstained on %d (%d with the judge); sample of %d of its %d others: %v; of the judge's %d others, sample of %d: %v",
		flagged, agreed, nh, flagged-agreed, hallu, judgeOnly, nj, judge)
}
