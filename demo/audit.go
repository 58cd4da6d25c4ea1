package demo

import (
	"context"
	"io"
	"runtime"

	"github.com/hallu-dev/hallu/audit"
)

// runAudit counts the embedded facts: prompt = (relation, subject), answer
// = object (Definition 2), with Theorem 2's bounds at |R_c| = Answers.
func runAudit(ctx context.Context, res *Result, workers int) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	cfg := audit.Config{
		Kind: audit.Records, Format: audit.TSV, Header: true,
		Prompt: []string{"relation", "sub_label"}, Answer: "obj_label",
		Gamma: Gamma, Answers: Answers, Workers: workers,
		MemBytes: audit.MinMem(workers) + 64<<20, // far more than 29,411 facts need: no spilling
	}
	src := audit.Source{Name: FactsFile, Reopen: true, Open: func() (io.ReadCloser, error) { return open(FactsFile) }}
	r, err := audit.Run(ctx, cfg, []audit.Source{src})
	if err != nil {
		return err
	}
	res.Audit, res.AuditConfig = r, cfg
	return nil
}
