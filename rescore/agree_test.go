package rescore

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/score"
)

const nq301 = "../score/grade/testdata/nq301_judged.jsonl"

var nq301Columns = evallog.ColumnMap{ID: "id", Question: "question", Gold: "golds", Response: "response"}

func refMap(t *testing.T, s string) *score.RefMap {
	t.Helper()
	m, err := score.ParseRefMap(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// labelCounts counts the values of key col in the JSONL file at path,
// read independently of referenceLabels.
func labelCounts(t *testing.T, path, col string) map[string]int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		n[rec[col].(string)]++
	}
	return n
}

// TestAgreeNQ301: each row of the confusion matrix holds as many samples
// as the file has labels of that kind, per model and over all.
func TestAgreeNQ301(t *testing.T) {
	r, err := NewReader(Options{Format: evallog.JSONL, Map: nq301Columns, Regrade: true})
	if err != nil {
		t.Fatal(err)
	}
	a, err := r.Agree(context.Background(), []string{nq301}, AgreeOptions{Column: "human", Map: refMap(t, "Yes=correct,No=wrong"), Keep: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := labelCounts(t, nq301, "human")
	rows := func(g *score.Agreement, i int) int {
		s := 0
		for _, k := range g.Matrix[i] {
			s += k
		}
		return s
	}
	if len(a.Models) != 1 || a.ByModel[a.Models[0]].N() != a.All.N() {
		t.Fatalf("models %v", a.Models)
	}
	if rows(a.All, 0) != want["Yes"] || rows(a.All, 1) != want["No"] || a.All.N() != want["Yes"]+want["No"] {
		t.Errorf("matrix %v, want rows of %d correct and %d wrong", a.All.Matrix, want["Yes"], want["No"])
	}
	if len(a.All.Disagreements) != 3 || a.Grader != "matching" || len(a.Inputs) != 1 || len(a.Provenance) != 1 {
		t.Errorf("kept %d, grader %q, inputs %d, provenance %d", len(a.All.Disagreements), a.Grader, len(a.Inputs), len(a.Provenance))
	}
}

// TestAgreeCSV: a CSV log's label column is read by header, in step with
// the samples.
func TestAgreeCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.csv")
	csv := "id,question,gold,response,label\n1,q1,Paris,Paris,A\n2,q2,Rome,\"Milan, I think\",B\n3,q3,Oslo,I don't know,C\n4,q4,Bern,Bern,B\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(Options{Format: evallog.CSV, Map: evallog.ColumnMap{ID: "id", Question: "question", Gold: "gold", Response: "response"}, Regrade: true})
	if err != nil {
		t.Fatal(err)
	}
	a, err := r.Agree(context.Background(), []string{path}, AgreeOptions{Column: "label", Map: refMap(t, "A=correct,B=wrong,C=abstained"), Keep: 10})
	if err != nil {
		t.Fatal(err)
	}
	// reference correct/wrong/abstained against hallu: 1 correct-correct,
	// 1 wrong-wrong, 1 abstained-abstained, 1 wrong-correct.
	want := [4][4]int{{1, 0, 0, 0}, {1, 1, 0, 0}, {0, 0, 1, 0}}
	if a.All.Matrix != want {
		t.Errorf("matrix %v, want %v", a.All.Matrix, want)
	}
}

// TestAgreeErrors: what cannot be compared is an error, never a table of
// zeros.
func TestAgreeErrors(t *testing.T) {
	long := filepath.Join(t.TempDir(), "long.jsonl")
	line := `{"id":"1","question":"q","golds":["a"],"response":"` + strings.Repeat("x", 2000) + `","human":"Yes"}` + "\n"
	if err := os.WriteFile(long, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, col, refMap string
		paths             []string
		lim               evallog.Limits
		want              string
	}{
		{"unmapped", "gpt4", "Yes=correct,No=wrong", []string{nq301}, evallog.Limits{}, `"?" (10); add them to AgreeOptions.Map`},
		{"no column", "nope", "Yes=correct,No=wrong", []string{nq301}, evallog.Limits{}, `no record has the reference key "nope"`},
		{"stdin", "human", "Yes=correct,No=wrong", []string{"-"}, evallog.Limits{}, "not standard input"},
		{"line limit", "human", "Yes=correct,No=wrong", []string{long}, evallog.Limits{MaxLine: 1024}, "long.jsonl"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(Options{Format: evallog.JSONL, Map: nq301Columns, Regrade: true, Limits: tc.lim})
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Agree(context.Background(), tc.paths, AgreeOptions{Column: tc.col, Map: refMap(t, tc.refMap)})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want one saying %q", err, tc.want)
			}
			if tc.name == "line limit" && !errors.As(err, new(*input.LimitError)) {
				t.Errorf("err %v is not a limit error", err)
			}
		})
	}
}
