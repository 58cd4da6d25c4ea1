// Command hallu-beam runs hallu audit as an Apache Beam pipeline: the
// singleton rate, missing mass and Theorem 2's floor of "Why Language Models
// Hallucinate" for a fact corpus sharded over many files, on Prism locally
// or on Flink, Spark or Dataflow. It writes the JSON document hallu audit
// --json prints for the same files and options.
//
//	hallu-beam --input 'gs://bucket/facts/*.tsv.gz' --output gs://bucket/audit.json \
//	    --prompt subject,relation --answer object --idk IDK --answers 1000 \
//	    --runner dataflow --project P --region R --staging_location gs://bucket/staging
//
// Besides its own flags it takes Beam's: --runner (default prism) and each
// runner's options (--endpoint, --environment_type, --project, ...).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/gcs"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/s3"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"
)

func main() {
	var o options
	o.register(flag.CommandLine)
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: hallu-beam --input PATTERN... --output FILE --prompt COLS [flags]\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	// On a cluster this binary is also the worker; Init then runs the
	// worker and never returns.
	beam.Init()
	err := run(context.Background(), o, os.Stderr)
	var usage usageError
	switch {
	case errors.As(err, &usage):
		fmt.Fprintln(os.Stderr, "hallu-beam:", err)
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "hallu-beam:", err)
		os.Exit(1)
	}
}

// run builds the pipeline from o, runs it on the runner --runner names, and
// reports its shuffle volume on stderr.
func run(ctx context.Context, o options, stderr io.Writer) error {
	cfg, err := o.config()
	if err != nil {
		return err
	}
	p, s := beam.NewPipelineWithRoot()
	doc, err := auditPipeline(s, cfg, o.inputs)
	if err != nil {
		return usageError{err}
	}
	textio.Write(s, o.output, doc)
	res, err := beamx.RunWithMetrics(ctx, p)
	if err != nil {
		return err
	}
	if res != nil {
		sh := shuffleOf(res)
		fmt.Fprintf(stderr, "hallu-beam: %d records, %d bytes of key and value into the per-prompt combine (%.1f bytes/record); wrote %s\n",
			sh.Records, sh.Bytes, sh.PerRecord(), o.output)
	}
	return nil
}
