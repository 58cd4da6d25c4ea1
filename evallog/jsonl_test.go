package evallog

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/score"
)

// TestJSONLBatchesKeepOrder reads more lines than one batch holds, with
// escaped strings (the general path) and a bad line among them: samples
// arrive in file order with their own line numbers and storage.
func TestJSONLBatchesKeepOrder(t *testing.T) {
	var b strings.Builder
	n := 3*batchLines + 17
	for i := 1; i <= n; i++ {
		switch {
		case i == 5000:
			b.WriteString(`{"id":"bad","confidence":2}` + "\n")
		case i%3 == 0:
			fmt.Fprintf(&b, `{"id":"q%d","response":"esc\u00e9","golds":["g%d"],"outcome":"wrong","confidence":%g}`+"\n", i, i, float64(i)/float64(n))
		default:
			fmt.Fprintf(&b, `{"id":"q%d","response":"r","golds":["g%d"],"outcome":"correct","confidence":%g}`+"\n", i, i, float64(i)/float64(n))
		}
	}
	ss, st, err := readAll2(t, strings.NewReader(b.String()), Options{Format: Run, SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != n-1 || st.Skipped != 1 || !strings.Contains(st.Problems[0], "input:5000: field confidence") {
		t.Fatalf("%d samples, stats %+v", len(ss), st)
	}
	for k, s := range ss {
		i := k + 1
		if i >= 5000 {
			i++
		}
		if s.ID != fmt.Sprintf("q%d", i) || s.Source.Line != i || s.Golds[0] != fmt.Sprintf("g%d", i) || *s.Confidence != float64(i)/float64(n) {
			t.Fatalf("sample %d: %+v (conf %v)", k, s, *s.Confidence)
		}
	}
	// Without SkipBad the bad line stops the read; so does fn's error,
	// without leaking or deadlocking the workers.
	if _, _, err := readAll2(t, strings.NewReader(b.String()), Options{Format: Run}); err == nil || !strings.Contains(err.Error(), ":5000:") {
		t.Errorf("bad line: %v", err)
	}
	stopErr := errors.New("enough")
	count := 0
	_, err = Read(strings.NewReader(b.String()), "x", Options{Format: Run}, func(*score.Sample) error {
		if count++; count == 10 {
			return stopErr
		}
		return nil
	})
	if !errors.Is(err, stopErr) || count != 10 {
		t.Errorf("stop: %v after %d", err, count)
	}
}
