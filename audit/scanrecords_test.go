package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// foldScan audits sources through the exported seam, the way another
// pipeline would: Scan every source, merge PromptCounts per key with a
// plain map, tabulate each group and call NewResult.
func foldScan(t testing.TB, cfg Config, sources []Source) *Result {
	t.Helper()
	type groupAcc struct {
		records, abstained int64
		prompts            map[Hash128]PromptCount
	}
	groups := map[string]*groupAcc{}
	var order []string
	var skipped int64
	var examples []string
	for _, src := range sources {
		st, err := Scan(context.Background(), cfg, src, func(r *Record) {
			g := groups[string(r.Group)]
			if g == nil {
				g = &groupAcc{prompts: map[Hash128]PromptCount{}}
				groups[string(r.Group)] = g
				order = append(order, string(r.Group))
			}
			g.records += r.Count
			if !r.Answered {
				g.abstained += r.Count
			}
			k := HashKey(r.Key)
			g.prompts[k] = g.prompts[k].Merge(r.PromptCount())
		})
		if err != nil {
			t.Fatal(err)
		}
		skipped += st.Skipped
		for _, e := range st.SkippedErrors {
			if len(examples) < keepSkipped {
				examples = append(examples, e.Error())
			}
		}
	}
	var counts []GroupCounts
	for _, name := range order {
		g := groups[name]
		var tl tally
		for _, p := range g.prompts {
			e := entry{count: uint64(p.Answered)}
			if p.Conflict {
				e.count |= conflictBit
			}
			tl.add(e)
		}
		counts = append(counts, tl.counts(name, g.records, g.abstained))
	}
	res, err := NewResult(cfg, counts, skipped, examples)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func jsonOf(t testing.TB, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestScanAndNewResultMatchRun checks the seam other pipelines use: Scan,
// PromptCount.Merge and NewResult give Run's result, grouped or not, in
// every format, with malformed records skipped.
func TestScanAndNewResultMatchRun(t *testing.T) {
	facts := genFacts(3, 20_000, 8_000)
	for _, format := range []Format{TSV, CSV, JSONL} {
		for _, grouped := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/grouped=%v", format, grouped), func(t *testing.T) {
				path := writeFacts(t, facts, format)
				cfg := Config{Prompt: []string{"subject", "relation"}, Answer: "answer", IDK: []string{"IDK"}, Answers: 50, GroupAnswers: map[string]int64{"born_in": 200}}
				if format == JSONL {
					cfg.Prompt, cfg.Answer = []string{"sub", "rel"}, "obj"
				}
				if grouped {
					cfg.Group = cfg.Prompt[1]
				}
				sources := []Source{fileSource(path), bytesSource("bad.tsv", []byte("subject\trelation\tanswer\nx\ty\n\nAda\tborn\t1815\n"))}
				if format != TSV {
					sources = sources[:1]
				} else {
					cfg.SkipBad = true
				}
				want, err := Run(context.Background(), cfg, sources)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := jsonOf(t, foldScan(t, cfg, sources)), jsonOf(t, want); got != want {
					t.Errorf("Scan+NewResult differs from Run:\n%s\nwant\n%s", got, want)
				}
			})
		}
	}
}

func TestScanStopsAtMalformedRecord(t *testing.T) {
	src := bytesSource("bad.tsv", []byte("a\tb\nc\nd\te\n"))
	var n int
	_, err := Scan(context.Background(), Config{Prompt: []string{"1"}, Answer: "2"}, src, func(*Record) { n++ })
	if err == nil || !strings.Contains(err.Error(), "bad.tsv:2: wrong number of columns") {
		t.Fatalf("err = %v, want bad.tsv:2's wrong number of columns", err)
	}
	if _, err := Scan(context.Background(), Config{Kind: FreqTable}, src, func(*Record) {}); err == nil {
		t.Error("Scan of a frequency table: no error")
	}
}

// TestPromptCountMergeIsMergeEntry checks that PromptCount.Merge merges as
// the counting tables do (mergeEntry), and that the conflict flag and the
// counts do not depend on the order of merging.
func TestPromptCountMergeIsMergeEntry(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		gen := rapid.Custom(func(t *rapid.T) PromptCount {
			p := PromptCount{Answered: rapid.Int64Range(0, 3).Draw(t, "n"), Conflict: rapid.Bool().Draw(t, "c")}
			if p.Answered > 0 {
				p.Answer = rapid.Uint32Range(0, 2).Draw(t, "ans")
			}
			return p
		})
		a, b, c := gen.Draw(t, "a"), gen.Draw(t, "b"), gen.Draw(t, "c")
		ce, e := toEntry(a), toEntry(b)
		mergeEntry(&ce, &e)
		got := a.Merge(b)
		if want := toEntry(got); ce.count != want.count || (got.Answered > 0 && !got.Conflict && ce.ans != want.ans) {
			t.Fatalf("Merge(%+v, %+v) = %+v, mergeEntry gives count %x ans %d", a, b, got, ce.count, ce.ans)
		}
		l, r := a.Merge(b).Merge(c), a.Merge(b.Merge(c))
		rev := c.Merge(b).Merge(a)
		if l.Answered != r.Answered || l.Conflict != r.Conflict || l.Conflict != rev.Conflict {
			t.Fatalf("order matters: (a+b)+c = %+v, a+(b+c) = %+v, (c+b)+a = %+v", l, r, rev)
		}
	})
}

func toEntry(p PromptCount) entry {
	e := entry{count: uint64(p.Answered), ans: p.Answer}
	if p.Conflict {
		e.count |= conflictBit
	}
	return e
}

func TestParseOptions(t *testing.T) {
	n, err := ParseNormalization([]string{"nfc", " case", "space"})
	if err != nil || n != (Normalization{NFC: true, FoldCase: true, Space: true}) {
		t.Errorf("ParseNormalization = %+v, %v", n, err)
	}
	if _, err := ParseNormalization([]string{"lower"}); err == nil || err.Error() != `"lower": want nfc, case or space` {
		t.Errorf("ParseNormalization(lower) error %v", err)
	}
	all, groups, err := ParseAnswers([]string{"7", "P19=100", "3"})
	if err != nil || all != 3 || len(groups) != 1 || groups["P19"] != 100 {
		t.Errorf("ParseAnswers = %d %v %v", all, groups, err)
	}
	for _, bad := range []string{"1", "x", "P19=", "P19=1", ""} {
		if _, _, err := ParseAnswers([]string{bad}); err == nil {
			t.Errorf("ParseAnswers(%q): no error", bad)
		}
	}
}
