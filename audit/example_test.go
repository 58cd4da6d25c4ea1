package audit_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/hallu-dev/hallu/audit"
	"github.com/hallu-dev/hallu/missingmass"
)

func ExampleRun() {
	corpus := `subject	relation	answer
Ada	born	1815
Ada	born	1815
Alan	born	1912
Kurt	born	IDK
Emmy	born	1882
`
	src := audit.Source{
		Name: "facts.tsv",
		Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(corpus)), nil },
	}
	res, err := audit.Run(context.Background(), audit.Config{
		Prompt:  []string{"subject", "relation"},
		Answer:  "answer",
		IDK:     []string{"IDK"},
		Answers: 365,
	}, []audit.Source{src})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("N=%d prompts=%d singletons=%d sr=%.2f freq=%v\n",
		res.Records, res.Prompts, res.Singletons, res.SingletonRate, res.FreqOfFreq)
	// Output: N=5 prompts=4 singletons=2 sr=0.40 freq=[{1 2} {2 1}]
}

func ExampleKey() {
	key, _ := audit.Key(nil, [][]byte{[]byte("Ada Lovelace"), []byte("born")}, nil)
	fmt.Printf("%q\n", key)
	var b bytes.Buffer
	b.Write(audit.Normalization{FoldCase: true, Space: true}.Append(nil, []byte("  ADA   Lovelace ")))
	fmt.Printf("%q\n", b.String())
	// Output:
	// "Ada Lovelace\tborn"
	// "ada lovelace"
}

// ExampleScan audits a corpus through the seam another pipeline uses: Scan
// the records, merge each prompt's PromptCount, and give the per-group
// counts to NewResult.
func ExampleScan() {
	corpus := "Ada\tborn\t1815\nAda\tborn\t1816\nAlan\tborn\t1912\nKurt\tborn\tIDK\n"
	src := audit.Source{Name: "facts.tsv", Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(corpus)), nil }}
	cfg := audit.Config{Prompt: []string{"1", "2"}, Answer: "3", IDK: []string{"IDK"}}
	prompts := map[audit.Hash128]audit.PromptCount{}
	var n, abstained int64
	_, err := audit.Scan(context.Background(), cfg, src, func(r *audit.Record) {
		n += r.Count
		if !r.Answered {
			abstained += r.Count
		}
		k := audit.HashKey(r.Key)
		prompts[k] = prompts[k].Merge(r.PromptCount())
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	g := audit.GroupCounts{Records: n, Abstained: abstained, Prompts: int64(len(prompts))}
	var answered []int64
	for _, p := range prompts {
		answered = append(answered, p.Answered)
		if p.Conflict {
			g.Conflicting++
		}
	}
	g.FreqOfFreq, _ = missingmass.Tabulate(answered)
	res, err := audit.NewResult(cfg, []audit.GroupCounts{g}, 0, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("N=%d prompts=%d conflicting=%d sr=%.2f\n", res.Records, res.Prompts, res.ConflictingPrompts, res.SingletonRate)
	// Output: N=4 prompts=3 conflicting=1 sr=0.25
}
