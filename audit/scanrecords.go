package audit

import (
	"context"
	"errors"
)

// Record is one record as Run's counting pass sees it: its configured
// fields after normalisation. Its slices are valid only during the call
// that receives it.
type Record struct {
	Prompt   [][]byte // the prompt fields, in the configured order
	Group    []byte   // the group value; nil when not grouping
	Key      []byte   // the prompt key (see Key) of Prompt and Group
	Answer   []byte   // the answer; nil without an answer column
	Answered bool     // false for an abstention (an IDK value)
	Count    int64    // multiplicity, ≥ 1 (records of multiplicity 0 are not passed on)
}

// PromptCount returns what r adds to the count of its prompt key.
func (r *Record) PromptCount() PromptCount {
	if !r.Answered {
		return PromptCount{}
	}
	return PromptCount{Answered: r.Count, Answer: fingerprint(HashAnswer(r.Answer))}
}

// ScanStats are the malformed records a Scan skipped (Config.SkipBad).
type ScanStats struct {
	Skipped int64
	// SkippedErrors are the first few skipped records, in input order.
	SkippedErrors []*RecordError
}

// Scan reads one source as a pass of Run does (its format from cfg.Format
// or from its name, its header line, its columns) and calls fn with each
// well-formed record of multiplicity at least 1, in input order, on the
// calling goroutine's behalf (never concurrently). A malformed record stops
// the scan with its *RecordError unless cfg.SkipBad, in which case it is
// counted in the returned ScanStats. cfg.Kind must be Records or Counted.
//
// Scan is the seam through which other pipelines (the Apache Beam one in
// beam/) read records exactly as hallu audit reads them.
func Scan(ctx context.Context, cfg Config, src Source, fn func(*Record)) (ScanStats, error) {
	cfg.setDefaults()
	if err := cfg.validate(); err != nil {
		return ScanStats{}, err
	}
	if cfg.Kind == FreqTable {
		return ScanStats{}, errors.New("frequency-of-frequencies tables hold no records to scan")
	}
	cfg.Workers, cfg.Progress = 1, nil
	sink := &funcSink{fn: fn}
	sc := newScanner(&cfg, []Source{src}, sink)
	if err := sc.run(ctx); err != nil {
		return ScanStats{}, err
	}
	w := sc.workers[0]
	return ScanStats{Skipped: w.skipped, SkippedErrors: earliest(w.bad, sc.sources, keepSkipped)}, nil
}

// funcSink passes each record of a pass to a function.
type funcSink struct {
	fn  func(*Record)
	rec Record
}

func (s *funcSink) record(_ *worker, f *fields, key []byte) error {
	if f.count == 0 {
		return nil
	}
	s.rec = Record{Prompt: f.prompt, Group: f.group, Key: key, Answer: f.answer, Answered: f.hasAnswer, Count: f.count}
	s.fn(&s.rec)
	return nil
}

func (s *funcSink) flush(*worker) error { return nil }
