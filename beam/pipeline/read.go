package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // local files; the command adds gs:// and s3://
	"github.com/hallu-dev/hallu/audit"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/internal/provenance"
)

// Metrics the pipeline reports (namespace Namespace): the records read, each
// of which is one element entering the CombinePerKey over prompt keys, and
// the encoded bytes of those elements' keys and values. A runner that lifts the combiner (Prism,
// Flink, Spark and Dataflow all do) pre-combines before the shuffle, so
// ShuffleBytes is what a shuffle without lifting would carry, an upper bound
// on what crosses the network.
const (
	Namespace     = "hallu"
	RecordsMetric = "records"
	ShuffleMetric = "shuffle_bytes"
)

// matchFn turns the files one pattern matches into (pattern order, path)
// pairs, so that the result can list inputs, and pick the first malformed
// records, in the order hallu audit reads them.
type matchFn struct {
	Order int
}

func (f *matchFn) ProcessElement(md fileio.FileMetadata, emit func(int, string)) {
	emit(f.Order, md.Path)
}

// checkScheme reports a pattern whose file system no package has
// registered (Beam's check panics).
func checkScheme(pattern string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("input %q: %v", pattern, r)
		}
	}()
	filesystem.ValidateScheme(pattern)
	return nil
}

// matchInputs returns the PCollection<KV<int, string>> of the files the
// patterns match, reshuffled so that the files are read in parallel. A
// pattern that matches nothing fails the pipeline, as in hallu audit.
func matchInputs(s beam.Scope, patterns []string) beam.PCollection {
	s = s.Scope("MatchInputs")
	var cols []beam.PCollection
	for i, p := range patterns {
		md := fileio.MatchFiles(s, p, fileio.MatchEmptyDisallow())
		cols = append(cols, beam.ParDo(s, &matchFn{Order: i}, md))
	}
	return beam.Reshuffle(s, beam.Flatten(s, cols...))
}

// fileSummary is what the first pass reports of one input file, as JSON
// (one element per file, so its size does not matter).
type fileSummary struct {
	Order   int                     `json:"order"`
	Input   provenance.Input        `json:"input"`
	Skipped int64                   `json:"skipped"`
	Skips   []skip                  `json:"skips"`
	Groups  map[string]groupRecords `json:"groups"`
}

// skip is a malformed record skipped.
type skip struct {
	Line int64  `json:"line"`
	Text string `json:"text"`
}

// groupRecords counts the examples of one group in one file.
type groupRecords struct {
	Records   int64 `json:"records"`
	Abstained int64 `json:"abstained"`
}

// open opens a file on any registered Beam file system as hallu audit opens
// a local one (internal/input): decompressed by magic bytes, raw bytes
// hashed if hash.
func open(ctx context.Context, path string, hash bool) (*input.File, error) {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	rc, err := fs.OpenRead(ctx, path)
	if err != nil {
		fs.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return input.Wrap(path, closeBoth{rc, fs}, hash)
}

// closeBoth closes a file and then its file system.
type closeBoth struct {
	io.ReadCloser
	fs filesystem.Interface
}

func (c closeBoth) Close() error {
	err := c.ReadCloser.Close()
	if e := c.fs.Close(); err == nil {
		err = e
	}
	return err
}

// countFn is the first pass: it scans one file with audit.Scan and emits,
// per record, its shuffle key and encoded PromptCount, and, once the file
// is read, its fileSummary.
type countFn struct {
	Cfg audit.Config

	records, bytes beam.Counter
}

func (f *countFn) Setup() {
	f.records = beam.NewCounter(Namespace, RecordsMetric)
	f.bytes = beam.NewCounter(Namespace, ShuffleMetric)
}

func (f *countFn) ProcessElement(ctx context.Context, order int, path string, emit func([]byte, []byte), emitFile func(string)) error {
	var file *input.File
	src := audit.Source{Name: path, Open: func() (io.ReadCloser, error) {
		var err error
		file, err = open(ctx, path, true)
		return file, err
	}}
	sum := fileSummary{Order: order, Skips: []skip{}, Groups: map[string]groupRecords{}}
	var records, bytes int64
	st, err := audit.Scan(ctx, f.Cfg, src, func(r *audit.Record) {
		g := sum.Groups[string(r.Group)]
		g.Records += r.Count
		if !r.Answered {
			g.Abstained += r.Count
		}
		sum.Groups[string(r.Group)] = g
		k, v := promptKey(audit.HashKey(r.Key), r.Group), encodeCount(r.PromptCount())
		records++
		bytes += encodedLen(k) + encodedLen(v)
		emit(k, v)
	})
	if err != nil {
		return err
	}
	f.records.Inc(ctx, records)
	f.bytes.Inc(ctx, bytes)
	sum.Input = file.Input()
	sum.Skipped = st.Skipped
	for _, e := range st.SkippedErrors {
		sum.Skips = append(sum.Skips, skip{Line: e.Line, Text: e.Error()})
	}
	b, err := json.Marshal(sum)
	if err != nil {
		return fmt.Errorf("%s: summary: %w", path, err)
	}
	emitFile(string(b))
	return nil
}
