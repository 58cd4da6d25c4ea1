package grade

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/score"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"The  Eiffel Tower!", "eiffel tower"},
		{"Jóhanna Sigurðardóttir", "johanna sigurðardottir"},
		{"ﬁnal", "final"},
		{"I don't know.", "i dont know"},
		{"I don’t know", "i dont know"},
		{"a, an, the", ""},
		{"  São-Paulo ", "sao paulo"},
		{"ＡＢＣ", "abc"},
	} {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNumbers(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []float64
	}{
		{"It is 1,234.5 km", []float64{1234.5}},
		{"about 2 million people", []float64{2e6}},
		{"-3 degrees", []float64{-3}},
		{"COVID-19", []float64{19}},
		{"1990-1995", []float64{1990, 1995}},
		{"one thousand, nine hundred and forty-seven", []float64{1947}},
		{"twenty one", []float64{21}},
		{"１２", []float64{12}},
	} {
		got := numbers(tc.in)
		if len(got) != len(tc.want) {
			t.Errorf("numbers(%q) = %v, want %v", tc.in, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("numbers(%q) = %v, want %v", tc.in, got, tc.want)
			}
		}
	}
}

func TestDates(t *testing.T) {
	want := date{1947, 8, 15}
	for _, s := range []string{"1947-08-15", "15 August 1947", "15th of August, 1947", "August 15, 1947",
		"Aug. 15th 1947", "15/08/1947", "08/15/1947", "on 15.8.1947"} {
		ds := dates(s)
		found := false
		for _, d := range ds {
			found = found || d == want
		}
		if !found {
			t.Errorf("dates(%q) = %v, want %v among them", s, ds, want)
		}
	}
	if ds := dates("March 1947"); len(ds) != 1 || ds[0] != (date{1947, 3, 0}) {
		t.Errorf("dates(March 1947) = %v", ds)
	}
	if ds := dates("13/13/2020 and 2020-13-01"); len(ds) != 0 {
		t.Errorf("impossible dates read: %v", ds)
	}
}

func TestMatcherGrade(t *testing.T) {
	m := &Matcher{NumTol: 0.01, Abstention: DefaultDetector()}
	for _, tc := range []struct {
		response string
		golds    []string
		want     score.Outcome
	}{
		{"Michio Sugeno", []string{"Michio Sugeno"}, score.Correct},
		{"The award went to michio sugeno.", []string{"Michio Sugeno"}, score.Correct},
		{"Sugeno", []string{"Michio Sugeno", "Sugeno"}, score.Correct}, // alias
		{"Lotfi Zadeh", []string{"Michio Sugeno"}, score.Wrong},
		{"Johanna Sigurdardottir", []string{"Jóhanna Sigurðardóttir"}, score.Wrong}, // ð is a letter, not an accent
		{"Jóhanna Sigurðardottir", []string{"Jóhanna Sigurðardóttir"}, score.Correct},
		{"212", []string{"211 (acceptable range: anything between 208 and 214)"}, score.Correct},
		{"about 207 of them", []string{"211 (acceptable range: anything between 208 and 214)"}, score.Wrong},
		{"10.5 million", []string{"10,990,502 (acceptable range: anything between 10,440,976 and 11,540,028)"}, score.Correct},
		{"It has 169 acres.", []string{"168 acres"}, score.Correct}, // within 1%
		{"It has 175 acres.", []string{"168 acres"}, score.Wrong},
		{"1947", []string{"one thousand, nine hundred and forty-seven"}, score.Correct},
		{"He was born on August 15, 1947.", []string{"15 August 1947"}, score.Correct},
		{"He was born on August 16, 1947.", []string{"15 August 1947"}, score.Wrong},
		{"In March of 1947", []string{"March 1947"}, score.Correct},
		{"I don't know.", []string{"Paris"}, score.Abstained},
		{"I have no comment.", []string{"Paris"}, score.Abstained},
		{"Unknown", []string{"Paris"}, score.Abstained},
		{"The Tomb of the Unknown Soldier", []string{"Arc de Triomphe"}, score.Wrong}, // "unknown" only as the whole response
		{"I'm not sure, but I think it's Paris.", []string{"Paris"}, score.Correct},
		{"I'm not sure, but I think it's Lyon.", []string{"Paris"}, score.Wrong},
		{"No idea", []string{"No"}, score.Abstained}, // abstention is checked before matching
		{"   ", []string{"Paris"}, score.Invalid},
		{"Paris", nil, score.Invalid},
	} {
		if got, why := m.Grade(tc.response, tc.golds); got != tc.want {
			t.Errorf("Grade(%q, %q) = %v (%s), want %v", tc.response, tc.golds, got, why, tc.want)
		}
	}
	exact := &Matcher{Exact: true}
	if got, _ := exact.Grade("The award went to Michio Sugeno", []string{"Michio Sugeno"}); got != score.Wrong {
		t.Errorf("Exact matcher accepted containment: %v", got)
	}
}

func TestParseDetector(t *testing.T) {
	d, err := ParseDetector(strings.NewReader("# mine\nbeats me\n=dunno\n!surely\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		s    string
		want bool
	}{{"Honestly, beats me!", true}, {"Dunno.", true}, {"I dunno", false}, {"beats me, surely Paris", false}, {"I don't know", false}} {
		if got, _ := d.Abstains(tc.s); got != tc.want {
			t.Errorf("Abstains(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
	if _, err := ParseDetector(strings.NewReader("ok\n=...\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("empty phrase: %v", err)
	}
}

type failingJudge struct{}

func (failingJudge) GradeSample(context.Context, *score.Sample) (score.Outcome, string, error) {
	return score.Ungraded, "", errors.New("judge unavailable")
}

func TestResolver(t *testing.T) {
	ctx := context.Background()
	r := &Resolver{Grader: &Matcher{}, Abstention: DefaultDetector()}
	for _, tc := range []struct {
		s    score.Sample
		want score.Outcome
	}{
		{score.Sample{Response: "Paris", Golds: []string{"Paris"}}, score.Correct},                     // ungraded → matcher
		{score.Sample{Response: "I don't know", Outcome: score.Wrong}, score.Abstained},                // binary grader's 0 for IDK
		{score.Sample{Response: "Lyon", Outcome: score.Wrong}, score.Wrong},                            // a real miss stays
		{score.Sample{Response: "I don't know", Outcome: score.Correct}, score.Correct},                // the log's correct stands
		{score.Sample{Response: "", Outcome: score.Invalid, Reason: "API error"}, score.Invalid},       // invalid stays
		{score.Sample{Response: "Paris", Golds: []string{"Paris"}, Outcome: score.Wrong}, score.Wrong}, // no regrade
	} {
		s := tc.s
		if err := r.Resolve(ctx, &s); err != nil || s.Outcome != tc.want {
			t.Errorf("Resolve(%+v) = %v (%s), %v; want %v", tc.s, s.Outcome, s.Reason, err, tc.want)
		}
	}
	r.Regrade = true
	s := score.Sample{Response: "Paris", Golds: []string{"Paris"}, Outcome: score.Wrong}
	if r.Resolve(ctx, &s); s.Outcome != score.Correct {
		t.Errorf("regrade: %v", s.Outcome)
	}
	j := &Resolver{Grader: failingJudge{}}
	s = score.Sample{Response: "Paris"}
	if err := j.Resolve(ctx, &s); err != nil || s.Outcome != score.Invalid || !strings.Contains(s.Reason, "judge unavailable") {
		t.Errorf("failing judge: %v %v %q", err, s.Outcome, s.Reason)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := j.Resolve(cctx, &s); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestHedgedAndRefusals(t *testing.T) {
	// Cases from ../shared/data/linguistic_confidence (LLM answers written
	// at set confidence levels): hedged answers that name the gold are
	// answers; refusals are abstentions.
	m := &Matcher{Abstention: DefaultDetector()}
	for _, tc := range []struct {
		response string
		gold     string
		want     score.Outcome
	}{
		{"I'm really unsure about this, but Massimo Mastrorillo might have been recognized in 2007.", "Massimo Mastrorillo", score.Correct},
		{"Martin might be the surname, but I’m not sure.", "Martin", score.Correct},
		{"It's maybe 2002, though I really can't say for sure.", "2002.", score.Correct},
		{"I’m not sure, but the years 1995 to 1997 seem about right.", "1995-1997", score.Correct},
		{"To the best of my knowledge, he was a member from 2008 to 2013.", "2008-2013", score.Correct},
		{"If I remember correctly, Ken Palmer and Roy Palmer were the officials.", "Ken Palmer & Roy Palmer", score.Correct},
		{"Mike Young was Oliver Purnell's assistant.", "Oliver Purnell", score.Correct},
		{"I have absolutely no certainty about who laid the foundation stone, so I’ll refrain from answering.", "Mahmud Hasan Deobandi", score.Abstained},
		{"I'm sorry, but I'm not confident enough in my knowledge to provide a reliable answer.", "Martin", score.Abstained},
		{"Sorry, I can’t confidently provide that date.", "April 1, 1994", score.Abstained},
		{"I'm not sure.", "1995-1997", score.Abstained},
		{"From 1990 to 1997.", "1995-1997", score.Wrong},
	} {
		if got, why := m.Grade(tc.response, []string{tc.gold}); got != tc.want {
			t.Errorf("Grade(%q, %q) = %v (%s), want %v", tc.response, tc.gold, got, why, tc.want)
		}
	}
	if Normalize("Plan S and Purnell's") != "plan s and purnell" {
		t.Errorf("possessive: %q", Normalize("Plan S and Purnell's"))
	}
}
