package audit_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/hallu-dev/hallu/audit"
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
