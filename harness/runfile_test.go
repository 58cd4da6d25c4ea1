package harness

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/score"
)

func sample(id string, t float64, o score.Outcome) *score.Sample {
	return &score.Sample{ID: id, Model: "m", Target: &t, Response: "r", Outcome: o}
}

func TestRunFileResume(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.jsonl")
	rf, err := OpenRunFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := rf.Append([]*score.Sample{sample("a", 0, score.Correct), sample("a", 0.5, score.Invalid), sample("b", 0, score.Wrong)}); err != nil {
		t.Fatal(err)
	}
	// A second process (here: a second open) is refused while the first holds the file.
	if _, err := OpenRunFile(path, false); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("second open: %v", err)
	}
	rf.Close()

	// A kill in the middle of a write leaves a partial line.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"id":"c","model":"m","tar`)
	f.Close()
	rf, err = OpenRunFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	if rf.Records != 3 || rf.TornBytes != len(`{"id":"c","model":"m","tar`) {
		t.Errorf("records %d, torn %d", rf.Records, rf.TornBytes)
	}
	if !rf.Done("m", "a", 0) || !rf.Done("m", "a", 0.5) || rf.Done("m", "c", 0) || rf.Done("other", "a", 0) {
		t.Error("Done disagrees with the file")
	}
	if err := rf.Append([]*score.Sample{sample("c", 0, score.Abstained)}); err != nil {
		t.Fatal(err)
	}
	rf.Close()

	// Retrying invalid records removes them; the rest is intact.
	rf, err = OpenRunFile(path, true)
	if err != nil {
		t.Fatal(err)
	}
	defer rf.Close()
	if rf.Records != 3 || rf.Dropped != 1 || rf.Done("m", "a", 0.5) || !rf.Done("m", "c", 0) {
		t.Errorf("after retry-invalid: records %d, dropped %d", rf.Records, rf.Dropped)
	}
	b, _ := os.ReadFile(path)
	if n := strings.Count(string(b), "\n"); n != 3 || strings.Contains(string(b), "invalid") {
		t.Errorf("file has %d lines:\n%s", n, b)
	}
}

func TestRunFileKeepsUnterminatedRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.jsonl")
	os.WriteFile(path, []byte(`{"id":"a","model":"m","target":0,"response":"x","outcome":"correct"}`), 0o644)
	rf, err := OpenRunFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer rf.Close()
	if rf.Records != 1 || rf.TornBytes != 0 {
		t.Errorf("records %d, torn %d", rf.Records, rf.TornBytes)
	}
}

func TestRunFileBad(t *testing.T) {
	for name, content := range map[string]string{
		"duplicate":  `{"id":"a","model":"m","target":0,"outcome":"correct"}` + "\n" + `{"id":"a","model":"m","target":0,"outcome":"wrong"}` + "\n",
		"corrupt":    `{"id":"a","model":"m","target":0,"outcome":"correct"}` + "\n" + `{"id":` + "\n",
		"bad target": `{"id":"a","model":"m","target":1,"outcome":"correct"}` + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "run.jsonl")
			os.WriteFile(path, []byte(content), 0o644)
			if _, err := OpenRunFile(path, false); err == nil || !strings.Contains(err.Error(), "run.jsonl:") {
				t.Errorf("err = %v, want one naming the file and line", err)
			}
		})
	}
}
