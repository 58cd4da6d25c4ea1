package audit

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	kgzip "github.com/klauspost/compress/gzip"
)

func TestBadInput(t *testing.T) {
	tsv := Config{Prompt: []string{"1", "2"}, Answer: "3"}
	csvCfg := Config{Format: CSV, Prompt: []string{"1", "2"}, Answer: "3"}
	jsonl := Config{Format: JSONL, Prompt: []string{"s", "r"}, Answer: "o"}
	cases := []struct {
		name    string
		cfg     Config
		data    string
		wantErr error  // errors.Is target, if any
		want    string // substring of the message: file, line, field
	}{
		{"ragged row", tsv, "a\tr\tx\nb\tr\nc\tr\tz\n", ErrRagged, "in:2: wrong number of columns: 2"},
		{"extra column", tsv, "a\tr\tx\nb\tr\ty\tz\n", ErrRagged, "in:2: wrong number of columns: 4"},
		{"invalid UTF-8", tsv, "a\tr\tx\nb\xff\tr\ty\n", ErrInvalidUTF8, "in:2: invalid UTF-8"},
		{"missing column", Config{Prompt: []string{"1", "5"}}, "a\tb\tc\n", nil, "column 5: the first record has only 3 columns"},
		{"missing header name", Config{Prompt: []string{"subject"}}, "sub\trel\na\tb\n", nil, `column "subject" not in the header (sub, rel)`},
		{"unclosed quote", csvCfg, "a,r,x\nb,\"r,y\nc,r,z\n", ErrBadQuote, "in:2: malformed quoting: quoted cell 2 never closed"},
		{"bare quote", csvCfg, "a,r,x\nb,r\"s,y\n", ErrBadQuote, "in:2: malformed quoting: quote inside unquoted cell 2"},
		{"text after quote", csvCfg, "a,r,x\n\"b\"c,r,y\n", ErrBadQuote, "in:2: malformed quoting: text after the closing quote of cell 1"},
		{"JSON missing field", jsonl, `{"s":"a","r":"b","o":"c"}` + "\n" + `{"s":"a","o":"c"}` + "\n", ErrMissingField, "in:2: field r: missing"},
		{"JSON null", jsonl, `{"s":"a","r":null,"o":"c"}` + "\n", nil, "in:1: field r: is null"},
		{"JSON object", jsonl, `{"s":{"x":1},"r":"b","o":"c"}` + "\n", nil, "in:1: field s: is an object"},
		{"JSON syntax", jsonl, `{"s":"a","r":"b","o":"c"` + "\n", nil, "in:1: JSON"},
		{"JSON trailing", jsonl, `{"s":"a","r":"b","o":"c"} x` + "\n", nil, "in:1: JSON"},
		{"JSON not object", jsonl, `["a"]` + "\n", nil, "in:1: not a JSON object"},
		{"JSON invalid UTF-8", jsonl, "{\"s\":\"a\xff\",\"r\":\"b\",\"o\":\"c\"}\n", nil, "in:1:"},
		{"bad count", Config{Prompt: []string{"1"}, Count: "2"}, "a\t3\nb\tx\n", ErrBadCount, "in:2: field 2: count is not a non-negative integer"},
		{"TAB inside a CSV prompt", csvCfg, "\"a\tb\",r,x\n", ErrTabInKey, "in:1: prompt field 1: value contains a TAB"},
		{"counts without TAB", Config{Kind: Counted}, "a\t3\nb 4\n", ErrRagged, "in:2: wrong number of columns: no TAB before the count"},
		{"counts bad number", Config{Kind: Counted}, "a\t3\nb\t-4\n", ErrBadCount, "in:2: field count"},
		{"freq bad row", Config{Kind: FreqTable}, "j,f_j\n1,10\n2\n", nil, "in:3: 1 cells, want two: j and f_j"},
		{"freq repeated j", Config{Kind: FreqTable}, "1 10\n1 3\n", nil, "in:2: field j: j = 1 given twice"},
		{"freq bad j", Config{Kind: FreqTable}, "1 10\n0 3\n", nil, "in:2: field j: j = 0; a frequency-of-frequencies table starts at j = 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Run(context.Background(), c.cfg, []Source{bytesSource("in", []byte(c.data))})
			if err == nil {
				t.Fatalf("no error; result %+v", res.Stats)
			}
			if res != nil {
				t.Errorf("a result came with the error")
			}
			if c.wantErr != nil && !errors.Is(err, c.wantErr) {
				t.Errorf("error %q is not %v", err, c.wantErr)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not say %q", err, c.want)
			}
			// With SkipBad, record-level errors are counted instead.
			var re *RecordError
			if errors.As(err, &re) && c.cfg.Kind != FreqTable && !strings.Contains(c.name, "header") {
				cfg := c.cfg
				cfg.SkipBad = true
				res, err := Run(context.Background(), cfg, []Source{bytesSource("in", []byte(c.data))})
				if err != nil {
					t.Fatalf("with SkipBad: %v", err)
				}
				if res.Skipped == 0 || len(res.SkippedExamples) == 0 || !strings.Contains(res.SkippedExamples[0], c.want) {
					t.Errorf("with SkipBad: skipped %d, examples %q", res.Skipped, res.SkippedExamples)
				}
			}
		})
	}
}

func TestEmptyInput(t *testing.T) {
	for _, cfg := range []Config{
		{Prompt: []string{"1"}, Answer: "2", Answers: 365},
		{Prompt: []string{"subject"}, Answer: "answer", Answers: 365}, // a header is needed, but there is none
		{Format: JSONL, Prompt: []string{"s"}, Answers: 365},
		{Kind: Counted, Answers: 365},
		{Kind: FreqTable, Answers: 365},
	} {
		for _, data := range []string{"", "\n\n"} {
			if data != "" && cfg.Prompt != nil && cfg.Prompt[0] == "subject" {
				continue // a blank first line is not a header
			}
			res, err := Run(context.Background(), cfg, []Source{bytesSource("empty", []byte(data))})
			if err != nil {
				t.Fatalf("%+v on %q: %v", cfg, data, err)
			}
			s := res.Stats
			if s.Records != 0 || s.Prompts != 0 || s.SingletonRate != 0 || res.Floor99 != nil {
				t.Errorf("%+v on %q: %+v", cfg, data, s)
			}
			for _, v := range []float64{s.SingletonRate, s.MissingMass, s.MissingMassLow, s.MissingMassHigh, s.Coverage, s.Estimate, s.Low, s.High} {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Errorf("%+v: NaN or Inf in %+v", cfg, s)
				}
			}
		}
	}
}

func TestTruncatedGzipIsAnError(t *testing.T) {
	var b bytes.Buffer
	zw := kgzip.NewWriter(&b)
	for range 20000 {
		zw.Write([]byte("subject\trelation\tanswer\n"))
	}
	zw.Close()
	cut := b.Bytes()[:b.Len()/2]
	src := Source{Name: "facts.tsv.gz", Open: func() (ioReadCloser, error) {
		return gzipReader(cut)
	}}
	_, err := Run(context.Background(), Config{Prompt: []string{"1", "2"}, Answer: "3", SkipBad: true}, []Source{src})
	if err == nil || !strings.Contains(err.Error(), "facts.tsv.gz") {
		t.Fatalf("truncated gzip: error %v, want one naming the file", err)
	}
}

// The error reported is the earliest bad record, whichever worker finds it.
func TestEarliestErrorWins(t *testing.T) {
	var b bytes.Buffer
	for i := range 1_500_000 {
		if i == 700_000 || i == 1_400_000 {
			b.WriteString("bad line\n")
			continue
		}
		b.WriteString("subject\trelation\tanswer\n")
	}
	for range 5 {
		_, err := Run(context.Background(), Config{Prompt: []string{"1"}, Answer: "3", Workers: 4}, []Source{bytesSource("big", b.Bytes())})
		if err == nil || !strings.Contains(err.Error(), "big:700001:") {
			t.Fatalf("error %v, want the one at line 700001", err)
		}
	}
}

// A frequency-of-frequencies table with a comment line and a header, as
// `hallu sim --mu profile:F` reads it, is read by `hallu audit --kind freq`
// too: both use missingmass.ReadTable.
func TestFreqTableCommentAndHeader(t *testing.T) {
	res, err := Run(context.Background(), Config{Kind: FreqTable, Answers: 365},
		[]Source{bytesSource("t", []byte("# counted by hand\nj f_j\n1 3\n2 1\n"))})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Prompts != 4 || res.Stats.SingletonRate != 3.0/5 {
		t.Fatalf("prompts %d, singleton rate %v; want 4 and 3/5", res.Stats.Prompts, res.Stats.SingletonRate)
	}
}
