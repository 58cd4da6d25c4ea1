package audit

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"testing"
)

// checkResult checks the invariants every successful result satisfies.
func checkResult(t *testing.T, res *Result) {
	t.Helper()
	s := res.Stats
	if s.Records != s.Answered+s.Abstained {
		t.Fatalf("records %d ≠ answered %d + abstained %d", s.Records, s.Answered, s.Abstained)
	}
	if s.Answered != s.FreqOfFreq.Answered() || s.AnsweredPrompts > s.Prompts || s.ConflictingPrompts > s.AnsweredPrompts {
		t.Fatalf("inconsistent counts %+v", s)
	}
	if !(s.SingletonRate >= 0 && s.SingletonRate <= 1) {
		t.Fatalf("sr %v", s.SingletonRate)
	}
}

func fuzzRun(t *testing.T, cfg Config, data []byte) (*Result, error) {
	res, err := Run(context.Background(), cfg, []Source{bytesSource("fuzz", data)})
	if err == nil {
		checkResult(t, res)
	}
	cfg.SkipBad = true
	skipped, errSkip := Run(context.Background(), cfg, []Source{bytesSource("fuzz", data)})
	if errSkip == nil {
		checkResult(t, skipped)
		if err == nil && skipped.Skipped != 0 {
			t.Fatalf("skipped %d records of an input without errors", skipped.Skipped)
		}
	}
	var re *RecordError
	if err != nil && errSkip == nil && !errors.As(err, &re) {
		t.Fatalf("an error that is not a record's (%v) disappeared with SkipBad", err)
	}
	return res, err
}

func FuzzTSV(f *testing.F) {
	f.Add([]byte("a\tr\tx\nb\tr\tIDK\na\tr\ty\n"))
	f.Add([]byte("a\tr\tx\r\nb\tr\n\n\xff\tr\tx\n"))
	f.Add([]byte("\xef\xbb\xbfsubject\trelation\tanswer\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRun(t, Config{Prompt: []string{"1", "2"}, Answer: "3", IDK: []string{"IDK"}}, data)
		fuzzRun(t, Config{Prompt: []string{"2"}, Group: "1", Count: "3"}, data)
	})
}

// FuzzCSV also checks the record count against encoding/csv whenever both
// read the input without error.
func FuzzCSV(f *testing.F) {
	f.Add([]byte("a,r,x\n\"b,1\",r,\"y \"\"z\"\"\"\n"))
	f.Add([]byte("a,r,x\n\"b\nc\",r,y\r\n"))
	f.Add([]byte("a,\"r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := fuzzRun(t, Config{Format: CSV, Prompt: []string{"1"}, Answer: "2"}, data)
		if err != nil {
			return
		}
		r := csv.NewReader(bytes.NewReader(data))
		n := int64(0)
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return // encoding/csv is stricter or looser in corners; only compare clean inputs
			}
			if len(rec) > 0 {
				n++
			}
		}
		if bytes.ContainsAny(data, "\r") {
			return // encoding/csv drops \r before \n inside quotes too; counts still agree, values may not
		}
		if res.Records != n {
			t.Fatalf("read %d records, encoding/csv %d", res.Records, n)
		}
	})
}

// FuzzJSONL also checks the record count against encoding/json.
func FuzzJSONL(f *testing.F) {
	f.Add([]byte(`{"s":"a","r":"b","o":"c"}` + "\n" + `{"s":"a","r":"b","o":"d","n":[1,2]}` + "\n"))
	f.Add([]byte(`{"s":"\u00e9","r":1.5e3,"o":true}` + "\n\n"))
	f.Add([]byte(`{"s":"a","s":"b"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := fuzzRun(t, Config{Format: JSONL, Prompt: []string{"s", "r"}, Answer: "o"}, data)
		fuzzRun(t, Config{Format: JSONL, Prompt: []string{"s"}, Count: "n"}, data)
		if err != nil {
			return
		}
		n := int64(0)
		for _, line := range bytes.Split(data, []byte{'\n'}) {
			if len(bytes.TrimRight(line, "\r")) == 0 {
				continue
			}
			var m map[string]any
			if json.Unmarshal(line, &m) != nil {
				t.Fatalf("accepted %q, which encoding/json rejects", line)
			}
			n++
		}
		if res.Records != n {
			t.Fatalf("read %d records, %d lines", res.Records, n)
		}
	})
}

func FuzzCounts(f *testing.F) {
	f.Add([]byte("a\tr\t3\nb\t1\na\tr\t2\n"))
	f.Add([]byte("a 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRun(t, Config{Kind: Counted}, data)
	})
}

func FuzzFreqTable(f *testing.F) {
	f.Add([]byte("j,f_j\n1,10\n2,3\n"))
	f.Add([]byte("# comment\n1 5\n\n3\t2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Run(context.Background(), Config{Kind: FreqTable}, []Source{bytesSource("fuzz", data)})
		if err == nil {
			checkResult(t, res)
		}
	})
}
