package pipeline

import (
	"context"
	"errors"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/stats"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/top"

	"github.com/hallu-dev/hallu/audit"
)

func init() {
	register.DoFn2x0[fileio.FileMetadata, func(int, string)](&matchFn{})
	register.DoFn5x1[context.Context, int, string, func([]byte, []byte), func(string), error](&countFn{})
	register.DoFn4x0[[]byte, []byte, func(string, int64), func([]byte)](&tallyFn{})
	register.DoFn5x1[context.Context, int, string, func(*[][]byte) bool, func(string), error](&collectFn{})
	register.DoFn5x1[[]byte, func(*string, *int64) bool, func(*string) bool, func(*string) bool, func(string), error](&resultFn{})
	register.Function2x1(mergeCounts)
	register.Function2x1(lessKey)
	register.Emitter1[string]()
	register.Emitter1[[]byte]()
	register.Emitter2[int, string]()
	register.Emitter2[[]byte, []byte]()
	register.Emitter2[string, int64]()
	register.Iter1[string]()
	register.Iter1[[][]byte]()
	register.Iter2[string, int64]()
}

// Audit adds to s the audit of the records in the files the patterns match
// (globs on any registered Beam file system), configured as hallu audit is
// by cfg. It returns a PCollection<string> holding one element: the JSON
// document hallu audit --json prints for the same files and options.
//
// cfg.Kind must be records or counts (a frequency-of-frequencies table is
// small enough for hallu audit itself); MemBytes, TempDir, Workers and
// Progress do not apply. Each file is read whole by one worker, so a corpus
// is spread over as many workers as it has files.
func Audit(s beam.Scope, cfg audit.Config, patterns []string) (beam.PCollection, error) {
	if err := cfg.Validate(); err != nil {
		return beam.PCollection{}, err
	}
	if cfg.Kind == audit.FreqTable {
		return beam.PCollection{}, errors.New("frequency-of-frequencies tables (kind freq) are small: audit them with hallu audit")
	}
	if len(patterns) == 0 {
		return beam.PCollection{}, errors.New("no input patterns")
	}
	for _, p := range patterns {
		if p == "" || p == "-" {
			return beam.PCollection{}, fmt.Errorf("input %q: the pipeline reads files, not standard input", p)
		}
		if err := checkScheme(p); err != nil {
			return beam.PCollection{}, err
		}
	}
	cfg.MemBytes, cfg.TempDir, cfg.Workers, cfg.Progress = 0, "", 0, nil
	s = s.Scope("hallu.Audit")
	files := matchInputs(s, patterns)

	prompts, summaries := beam.ParDo2(s, &countFn{Cfg: cfg}, files)
	merged := beam.CombinePerKey(s.Scope("CountPerPrompt"), mergeCounts, prompts)
	tallies, conflicting := beam.ParDo2(s, &tallyFn{ShowConflicts: cfg.ShowConflicts}, merged)
	perGroup := stats.SumPerKey(s.Scope("FreqOfFreq"), tallies)

	var examples beam.PCollection
	if cfg.ShowConflicts > 0 {
		picked := top.Smallest(s.Scope("PickConflicts"), conflicting, cfg.ShowConflicts, lessKey)
		examples = beam.ParDo(s.Scope("CollectConflicts"), &collectFn{Cfg: cfg}, files, beam.SideInput{Input: picked})
	} else {
		examples = beam.CreateList(s, []string{})
	}
	doc := beam.ParDo(s.Scope("Result"), &resultFn{Cfg: cfg}, beam.Impulse(s),
		beam.SideInput{Input: perGroup}, beam.SideInput{Input: summaries}, beam.SideInput{Input: examples})
	return doc, nil
}
