package evallog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/score"
)

// sharedData is ../shared/data seen from this package's directory.
const sharedData = "../../shared/data"

func needShared(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(sharedData, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real logs not present (%v): tests on ../shared/data skipped", err)
	}
	return p
}

// readAll reads a file through internal/input (so .gz works) with opt.
func readAll(t *testing.T, path string, opt Options) ([]score.Sample, Stats, error) {
	t.Helper()
	f, err := input.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []score.Sample
	st, err := Read(f, path, opt, func(s *score.Sample) error {
		c := *s
		c.Golds = append([]string(nil), s.Golds...)
		if s.Confidence != nil {
			v := *s.Confidence
			c.Confidence = &v
		}
		out = append(out, c)
		return nil
	})
	return out, st, err
}

func tally(ss []score.Sample) score.Counts {
	var c score.Counts
	for _, s := range ss {
		if s.Outcome != score.Ungraded {
			c.Add(s.Outcome)
		}
	}
	return c
}

func TestRealLogsAllRead(t *testing.T) {
	dir := needShared(t, "evallogs")
	for _, sub := range []string{"lm-eval", "inspect", "openai-evals"} {
		files, _ := filepath.Glob(filepath.Join(dir, sub, "*"))
		for _, f := range files {
			base := filepath.Base(f)
			if strings.Contains(base, "results") || strings.HasSuffix(base, "__o.json") ||
				strings.Contains(base, "write_out") || strings.Contains(base, "truthfulqa_gen_neo125") {
				continue // results/provenance files and the v0.3 write_out dump are not sample logs
			}
			t.Run(sub+"/"+base, func(t *testing.T) {
				ss, st, err := readAll(t, f, Options{Format: Auto})
				if err != nil {
					t.Fatalf("%v", err)
				}
				t.Logf("%s: %d samples %v skipped %d notes %q", st.Format, len(ss), tally(ss), st.Skipped, st.Notes)
			})
		}
	}
}
