package grade

import (
	"bufio"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestPatternGrammar(t *testing.T) {
	d, err := ParseDetector(strings.NewReader(`
(i|we) (dont|do not) have * information
nemam *2 informac*
[really] no clue at all
=(unknown|not known)
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"I don't have that information.", true},
		{"We do not have any reliable information", true},
		{"I don't have the specific precise up-to-date information", false}, // gap of 4 > 3
		{"Nemám přesné informace.", true},
		{"Nemám informacemi", true},
		{"nemam informal", false},
		{"No clue at all", true},
		{"really no clue at all", true},
		{"Not known", true},
		{"It is not known", false},
		{"information I don't have", false},
	} {
		if got, _ := d.Abstains(tc.s); got != tc.want {
			t.Errorf("Abstains(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
	for _, bad := range []string{"* starts with a gap", "ends with a gap *", "(unclosed", "closed)", "a (|b)", "gap *99 x", "x (a|b]", "[all optional]"} {
		if _, err := ParseDetector(strings.NewReader("ok\n" + bad + "\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
			t.Errorf("pattern %q: error %v, want one naming line 2", bad, err)
		}
	}
}

// TestDetectorClasses covers the classes issue 13 lists, in English and
// Czech: refusals of every kind are abstentions; hedged answers and a
// preamble followed by an answer are answers.
func TestDetectorClasses(t *testing.T) {
	d := DefaultDetector()
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"Unfortunately, I could not find any specific information about the award.", true},
		{"I'm sorry but I couldn't find the exact number of inductees.", true},
		{"As an AI language model, I do not have information on this.", true},
		{"I cannot answer this question without more context.", true},
		{"I don't have the specific information.", true},
		{"I have no comment.", true},
		{"Unknown.", true},
		{"<UNKNOWN>", true},
		{"The provided data does not contain specific information about the winner.", true},
		{"I'm sorry. I don't know.", true},
		{"Nemám přesné informace o tomto herci.", true},
		{"Bohužel nemohu s jistotou určit jméno.", true},
		{"Nevím.", true},
		{"N", false},
		{"I'm not sure, but I think it's Paris.", false},
		{"It might be Lyon.", false},
		{"My tentative answer is Lyon, but please verify it.", false},
		{"The name Dupont comes to mind, though I'm not certain.", false},
		{"It's possible that she left in 1970, but I can't say for sure.", false},
		{"As an AI language model I do not have real-time data. However, as of 2021 the director is David J. Ryder.", false},
		{"Anna Novak won the regional final in 2017. A penalty moved the first finisher to 11th place. The sources do not say which month.", false},
		{"The Tomb of the Unknown Soldier", false},
		{"Paris", false},
		{"As an AI language model, I do not have access to real-time information.", true},
		{"As an AI language model, I do not have access to real-time information. However, Monday Night Football is broadcast on ESPN.", false},
		{"As of my knowledge cutoff in September 2021, the owner was Dai Yongge.", false},
		{"As an AI language model, I don't have real-time data, and I don't know who won.", true},
		// A candidate offered, or a conclusion drawn, after the refusal is
		// an answer; related facts alone, or a turn that abstains again,
		// are not.
		{"The sources do not name the winner. However, one source states that Anna Novak won it.", false},
		{"The data does not give the year. It can be inferred that the bridge opened in 1841.", false},
		{"The exact date is not stated. This match is the closest match in the data.", false},
		{"I could not find the exact date. However, I can tell you that the bridge spans the Vltava.", true},
		{"The sources do not name the composer. However, the year of the premiere is not given either.", true},
		{"I could not find who commissioned it. The piece is mentioned once, but details about its commission are not provided.", true},
		{"I cannot determine his full name. I can only state that his surname was Briggs.", false},
		// A modal in the question restated is no hedge; a guess is.
		{"The sources do not say who might have been responsible for his death.", true},
		{"The sources do not mention what it might be holding.", true},
		{"I don't know who won; it might have been Smith.", false},
		// A premise rejected in the abstention's sentence is an answer.
		{"There is no evidence that he won the award, as the sources do not mention it.", false},
		{"The data does not list it because there is no such episode.", false},
		{"There is no information about the episode.", true},
	} {
		if c := d.Explain(tc.s); c.Abstained != tc.want {
			t.Errorf("Explain(%q) = %v (%s), want abstained %v", tc.s, c.Abstained, c, tc.want)
		}
	}
	if got := Languages(); strings.Join(got, ",") != "cs,en" {
		t.Errorf("Languages() = %v", got)
	}
	if _, err := LanguageDetector("xx"); err == nil {
		t.Error("unknown language accepted")
	}
	ext, err := ParseDetector(strings.NewReader("@lang en\nbeats me\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Beats me.", "I don't know."} {
		if ok, _ := ext.Abstains(s); !ok {
			t.Errorf("extended detector: %q is no abstention", s)
		}
	}
	if _, err := ParseDetector(strings.NewReader("ok\n@lang xx\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("unknown @lang: %v", err)
	}
}

// TestNoComment checks every "I have no comment" answer of TruthfulQA's
// judged answers (human-labelled uninformative) is an abstention.
func TestNoComment(t *testing.T) {
	d := DefaultDetector()
	n, missed := 0, 0
	for _, f := range []string{"finetune_info.jsonl.gz", "finetune_truth.jsonl.gz"} {
		sc := bufio.NewScanner(openMaybeGz(t, filepath.Join(sharedPath(t, "truthfulqa_judged_answers"), f)))
		seen := map[string]bool{}
		for sc.Scan() {
			var r struct{ Prompt string }
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			_, a, ok := strings.Cut(r.Prompt, "\nA:")
			a, _, _ = strings.Cut(a, "\n")
			if !ok || !strings.Contains(strings.ToLower(a), "no comment") || seen[r.Prompt] {
				continue
			}
			seen[r.Prompt] = true
			n++
			if ok, _ := d.Abstains(a); !ok {
				missed++
				t.Errorf("missed %q", a)
			}
		}
	}
	t.Logf("truthfulqa_judged_answers: %d distinct \"no comment\" answers, %d missed", n, missed)
}

// TestSafetyRefusals reports how the detector treats safety refusals
// (xstest_completions_human: human labels full_compliance,
// full_refusal, partial_refusal). They are a different kind of declining;
// the figures show how many the detector calls abstentions.
func TestSafetyRefusals(t *testing.T) {
	d := DefaultDetector()
	files, _ := filepath.Glob(filepath.Join(sharedPath(t, "xstest_completions_human"), "xstest_v2_completions_*.csv"))
	count := map[string][2]int{}
	for _, f := range files {
		for _, r := range readCSVRows(t, f, ',') {
			c := count[r["final_label"]]
			if ok, _ := d.Abstains(r["completion"]); ok {
				c[0]++
			}
			c[1]++
			count[r["final_label"]] = c
		}
	}
	for l, c := range count {
		t.Logf("xstest %-22s %4d of %4d detected as abstentions", l, c[0], c[1])
	}
	// GPTFuzz: label 0 = not jailbroken (mostly a plain refusal), 1 =
	// jailbroken (harmful content, often after an opening refusal).
	count = map[string][2]int{}
	for _, f := range []string{"train.csv.gz", "evaluate.csv.gz"} {
		for _, r := range readCSVRows(t, filepath.Join(sharedPath(t, "gptfuzz_jailbreak_responses_human"), f), ',') {
			c := count[r["label"]]
			if ok, _ := d.Abstains(r["Response"]); ok {
				c[0]++
			}
			c[1]++
			count[r["label"]] = c
		}
	}
	for l, c := range count {
		t.Logf("gptfuzz label %s %4d of %4d detected as abstentions", l, c[0], c[1])
	}
}

// BenchmarkDetector measures responses per second on one core, over a mix
// of short answers, hedges and long refusals (issue 13's target: at least
// 200,000 per second).
func BenchmarkDetector(b *testing.B) {
	d := DefaultDetector()
	rs := []string{
		"Paris",
		"Michio Sugeno",
		"The first Nobel Prize in Physics was awarded in 1901 to Wilhelm Röntgen.",
		"I'm not sure, but I think it's Paris.",
		"I don't know.",
		"Unfortunately, the sources I was given do not contain specific information about the year the bridge over the Vltava was rebuilt.",
		"As an AI language model, I do not have access to real-time information. However, as of 2021 the director is David J. Ryder.",
		"Nemám přesné informace o tom, kdo postavil tento most v Českém Krumlově.",
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		d.Explain(rs[i%len(rs)])
	}
	// On a shared machine wall time counts other processes' turns; the
	// process's CPU time (GC included) does not.
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "responses/cpu-s")
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
}
