package pipeline_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"

	"github.com/hallu-dev/hallu/audit"
	"github.com/hallu-dev/hallu/beam/pipeline"
)

// ExampleAudit audits two shards on Prism and reads the JSON document it
// writes, which has hallu audit --json's schema.
func ExampleAudit() {
	dir, _ := os.MkdirTemp("", "hallu-beam-example")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "part-0.tsv"), []byte("Ada\tborn\t1815\nAlan\tborn\t1912\nKurt\tborn\tIDK\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "part-1.tsv"), []byte("Ada\tborn\t1815\nEmmy\tborn\t1882\nEmmy\tborn\t1883\n"), 0o644)

	p, s := beam.NewPipelineWithRoot()
	cfg := audit.Config{Prompt: []string{"1", "2"}, Answer: "3", IDK: []string{"IDK"}, Answers: 365, ShowConflicts: 5}
	doc, err := pipeline.Audit(s, cfg, []string{filepath.Join(dir, "part-*.tsv")})
	if err != nil {
		fmt.Println(err)
		return
	}
	out := filepath.Join(dir, "audit.json")
	textio.Write(s, out, doc)
	res, err := prism.Execute(context.Background(), p)
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := os.ReadFile(out)
	var env struct{ Result audit.Result }
	if err := json.Unmarshal(b, &env); err != nil {
		fmt.Println(err)
		return
	}
	r := env.Result
	fmt.Printf("N=%d prompts=%d singletons=%d conflicting=%d %v\n", r.Records, r.Prompts, r.Singletons, r.ConflictingPrompts, r.ConflictExamples[0].Prompt)
	sh := pipeline.ShuffleOf(res)
	fmt.Printf("shuffle: %d records, %d bytes\n", sh.Records, sh.Bytes)
	// Output:
	// N=6 prompts=4 singletons=1 conflicting=1 [Emmy born]
	// shuffle: 6 records, 134 bytes
}
