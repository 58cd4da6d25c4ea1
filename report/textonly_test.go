package report

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/harness"
	"github.com/hallu-dev/hallu/llm"
	"github.com/hallu-dev/hallu/ngram"
	"github.com/hallu-dev/hallu/score"
	"pgregory.net/rapid"
)

// The reports without a page are checked against what they print from:
// one row per finding, measurement, token or text, the cells that depend
// on a flag of the result, and a text that is the tables rendered once.

// textLines is the number of lines writeText prints for tables: title
// lines, header, rule, rows and notes of each, and a blank line between
// tables.
func textLines(tables []Table) int {
	n := len(tables) - 1
	for _, t := range tables {
		n += strings.Count(t.Title, "\n") + 1 + 2 + len(t.Rows)
		for _, note := range t.Notes {
			n += strings.Count(note, "\n") + 1
		}
	}
	return n
}

// printsTables checks that write prints tables and nothing else.
func printsTables(t *rapid.T, tables []Table, write func(*bytes.Buffer) error) {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Count(b.String(), "\n"), textLines(tables); got != want {
		t.Fatalf("%d lines, want %d:\n%s", got, want, b.String())
	}
	for _, tb := range tables {
		if !strings.Contains(b.String(), tb.Title) {
			t.Fatalf("title %q not printed:\n%s", tb.Title, b.String())
		}
	}
}

func TestProbeTextTotal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := &Probe{BaseURL: "http://127.0.0.1:1/v1", Model: "m", Server: rapid.SampledFrom([]string{"", "vLLM"}).Draw(t, "server")}
		for _, c := range llm.AllCapabilities[:rapid.IntRange(0, len(llm.AllCapabilities)).Draw(t, "caps")] {
			r.Findings = append(r.Findings, llm.Finding{Capability: c, Known: rapid.Bool().Draw(t, "known"),
				Supported: rapid.Bool().Draw(t, "supported"), TopLogprobs: rapid.SampledFrom([]int{0, 5, 20}).Draw(t, "top"), Detail: "d"})
		}
		for i := range rapid.IntRange(0, 6).Draw(t, "measurements") {
			m := ProbeMeasurement{Measurement: llm.Measurement{Name: fmt.Sprint("m", i), Instead: "use x"}, Possible: rapid.Bool().Draw(t, "possible")}
			if !m.Possible {
				m.Missing = []llm.Capability{llm.Echo}
			}
			if rapid.Bool().Draw(t, "unknown") {
				m.Unknown = []llm.Capability{llm.Seed, llm.Chat}
			}
			r.Measurements = append(r.Measurements, m)
		}
		tables := probeTables(r)
		if len(tables[0].Rows) != len(r.Findings) || len(tables[1].Rows) != len(r.Measurements) {
			t.Fatalf("%d and %d rows for %d findings and %d measurements", len(tables[0].Rows), len(tables[1].Rows), len(r.Findings), len(r.Measurements))
		}
		for i, f := range r.Findings {
			cell := tables[0].Rows[i][1]
			if want := f.Known && f.Supported; strings.HasPrefix(cell, "yes") != want || (cell == "unknown") != !f.Known {
				t.Fatalf("finding %+v: supported cell %q", f, cell)
			}
		}
		for i, m := range r.Measurements {
			row := tables[1].Rows[i]
			want := map[bool]string{false: "no", true: "yes"}[m.Possible]
			if m.Possible && len(m.Unknown) > 0 {
				want = "unknown"
			}
			if row[1] != want || (row[3] != "") == m.Possible || len(strings.Split(row[2], ", ")) != max(1, len(m.Missing)+len(m.Unknown)) {
				t.Fatalf("measurement %+v: row %q", m, row)
			}
		}
		printsTables(t, tables, func(b *bytes.Buffer) error { return WriteProbeText(b, r) })
	})
}

func TestDeltaTextTotal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := func(name string) harness.Proportion {
			of := rapid.IntRange(0, 50).Draw(t, name+" of")
			above := rapid.IntRange(0, of).Draw(t, name+" above")
			est := 0.0
			if of > 0 {
				est = float64(above) / float64(of)
			}
			return harness.Proportion{Estimate: est, Above: above, Of: of, CI: score.Interval{Lo: 0, Hi: 1}, Method: "wilson"}
		}
		est := &harness.DeltaEstimate{Threshold: rapid.SampledFrom([]float64{0.001, 1.0 / 364, 0.5}).Draw(t, "tau"),
			Questions: rapid.IntRange(1, 50).Draw(t, "questions"), ModelMass: p("model"), DataMass: p("data"),
			Bootstrap: rapid.SampledFrom([]int{0, 200}).Draw(t, "bootstrap")}
		est.Derivative = est.ModelMass.Estimate - est.DataMass.Estimate
		est.Delta = math.Abs(est.Derivative)
		var failed []string
		if rapid.Bool().Draw(t, "failed") {
			failed = []string{"q1: timeout", "q2"}
		}
		tb := deltaTable(est, failed)
		if len(tb.Rows) != 3 || (tb.Rows[2][2] == "-") != (est.Bootstrap == 0) || len(tb.Notes) != 2+min(1, len(failed)) {
			t.Fatalf("bootstrap %d, failed %q: %q, notes %q", est.Bootstrap, failed, tb.Rows, tb.Notes)
		}
		if want := fmt.Sprintf("%.4f", est.Delta); tb.Rows[2][1] != want {
			t.Fatalf("δ cell %q, want %s", tb.Rows[2][1], want)
		}
		printsTables(t, []Table{tb}, func(b *bytes.Buffer) error { return WriteDeltaText(b, est, failed) })
	})
}

func TestDeltaChoicesTextTotal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := &DeltaChoices{Method: rapid.SampledFrom([]string{"echo", "letters"}).Draw(t, "method"), Threshold: 0.25, Sets: 4, Contexts: 4,
			PhatA: 0.3, PA: 0.75, Delta: 0.45, BoundHolds: rapid.Bool().Draw(t, "holds"), MultipleChoice: rapid.Bool().Draw(t, "mc"),
			Notes: []string{"n"}[:rapid.IntRange(0, 1).Draw(t, "notes")]}
		tb := deltaChoicesTable(r)
		if want := 5 + map[bool]int{true: 1}[r.BoundHolds] + map[bool]int{true: 1}[r.MultipleChoice]; len(tb.Rows) != want {
			t.Fatalf("bound holds %v, multiple choice %v: %d rows, want %d", r.BoundHolds, r.MultipleChoice, len(tb.Rows), want)
		}
		if !strings.Contains(tb.Title, map[string]string{"echo": "by echo", "letters": "by letter"}[r.Method]) {
			t.Fatalf("method %s: title %q", r.Method, tb.Title)
		}
		printsTables(t, []Table{tb}, func(b *bytes.Buffer) error { return WriteDeltaChoicesText(b, r) })
	})
}

func TestRunTableRate(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := &RunSummary{Run: harness.Result{Pairs: 100, Written: rapid.IntRange(0, 100).Draw(t, "written")},
			Seconds: rapid.SampledFrom([]float64{0, 0.04, 1, 2.5, 3600}).Draw(t, "seconds"), RunFile: "run.jsonl"}
		row := runTable(s).Rows[0]
		want := "0.0"
		if s.Seconds > 0 {
			// Written/Seconds by exact rational arithmetic, rounded to one
			// decimal: no quotient of these durations lies on a tie, where
			// FloatString and %.1f could round apart.
			want = new(big.Rat).Quo(new(big.Rat).SetInt64(int64(s.Run.Written)), new(big.Rat).SetFloat64(s.Seconds)).FloatString(1)
		}
		if row[9] != want {
			t.Fatalf("%d written in %v s: pairs/s %q, want %s", s.Run.Written, s.Seconds, row[9], want)
		}
	})
}

func TestBenchmarksTable(t *testing.T) {
	tb := benchmarksTable(score.Table2)
	binary, graded := 0, 0
	for _, r := range tb.Rows {
		if r[2] == "yes" {
			binary++
		}
		if strings.HasSuffix(r[1], " (*)") {
			graded++
		}
	}
	// Table 2 of arXiv:2509.04664: ten benchmarks, nine grade binarily.
	if len(tb.Rows) != 10 || binary != 9 || graded == 0 {
		t.Errorf("%d rows, %d binary, %d LM-graded", len(tb.Rows), binary, graded)
	}
}

func TestNgramTextTotal(t *testing.T) {
	tr := ngram.NewTrainer()
	if err := tr.AddText(strings.NewReader("The capital of France is Paris. The capital of Italy is Rome.")); err != nil {
		t.Fatal(err)
	}
	m, err := tr.Train(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		words := rapid.SliceOfN(rapid.SampledFrom([]string{"the", "capital", "of", "Paris", "whale", "."}), 0, 6).Draw(t, "response")
		sc := m.Score("The capital of France is", " "+strings.Join(words, " "))
		tb := ngramScoreTable(sc, "m.bin")
		if len(tb.Rows) != len(sc.Tokens) {
			t.Fatalf("%d rows for %d tokens", len(tb.Rows), len(sc.Tokens))
		}
		for i, tp := range sc.Tokens {
			if known := tb.Rows[i][1] == "true"; known != (tp.ID != ngram.UNKID) {
				t.Fatalf("token %q: known cell %q", tp.Word, tb.Rows[i][1])
			}
		}
		printsTables(t, []Table{tb}, func(b *bytes.Buffer) error { return WriteNgramScoreText(b, sc, "m.bin") })

		rows := make([]NgramPerplexity, rapid.IntRange(0, 3).Draw(t, "texts"))
		printsTables(t, []Table{ngramPerplexityTable(m, "m.bin", rows)}, func(b *bytes.Buffer) error { return WriteNgramPerplexityText(b, m, "m.bin", rows) })

		tp := &NgramTrain{Order: m.Order(), Tokens: m.TrainingTokens(), Vocab: m.VocabSize(), NGrams: m.NGrams(), Discounts: m.Discounts()}
		for range rapid.IntRange(0, 2).Draw(t, "sources") {
			tp.Texts = append(tp.Texts, NgramText{Kind: rapid.SampledFrom([]string{"text", "brown"}).Draw(t, "kind")})
		}
		tb = ngramTrainTable(tp)
		if len(tb.Rows) != m.Order() || len(tb.Notes) != len(tp.Texts) {
			t.Fatalf("%d rows for order %d, %d notes for %d texts", len(tb.Rows), m.Order(), len(tb.Notes), len(tp.Texts))
		}
		printsTables(t, []Table{tb}, func(b *bytes.Buffer) error { return WriteNgramTrainText(b, tp) })
	})
}
