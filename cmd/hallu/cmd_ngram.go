package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/hallu-dev/hallu/internal/atomicfile"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/internal/provenance"
	"github.com/hallu-dev/hallu/ngram"
	"github.com/hallu-dev/hallu/ngram/corpus"
	"github.com/hallu-dev/hallu/report"
	"github.com/spf13/cobra"
)

const ngramLong = `hallu ngram trains and queries a word-level n-gram language model with
interpolated modified Kneser–Ney smoothing: the "poor model" of the paper's
Section 3.3.2, and the model that hallu serve puts behind the OpenAI API.

Training text is plain text, or the Brown corpus as its tar archive of
word/TAG files (detected by its tar header); either may be gzip- or
zstd-compressed. Without text files, commands use the built-in text,
Herman Melville's Moby-Dick (public domain), and without --model they
train a trigram on it in memory (about half a second).`

func newNgramCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ngram",
		Short: "Train, score and sample an n-gram language model; Corollary 2 on real text",
		Long:  ngramLong,
	}
	cmd.AddCommand(newNgramTrainCmd(), newNgramPerplexityCmd(), newNgramSampleCmd(), newNgramScoreCmd(), newNgramCor2Cmd())
	return cmd
}

// addTexts adds each file to tr: plain text, or a Brown corpus tar archive,
// either possibly compressed. With no files it adds the built-in Moby-Dick.
func addTexts(tr *ngram.Trainer, paths []string) ([]report.NgramText, error) {
	if len(paths) == 0 {
		if err := tr.AddText(corpus.MobyDick()); err != nil {
			return nil, err
		}
		return []report.NgramText{{Input: provenance.Input{Path: corpus.MobyDickName, SHA256: corpus.MobyDickSHA256}, Kind: "text"}}, nil
	}
	var out []report.NgramText
	for _, p := range paths {
		src, err := addText(tr, p)
		if err != nil {
			return nil, err
		}
		out = append(out, src)
	}
	return out, nil
}

func addText(tr *ngram.Trainer, path string) (report.NgramText, error) {
	f, err := input.Open(path)
	if err != nil {
		return report.NgramText{}, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	head, _ := br.Peek(262)
	src := report.NgramText{Kind: "text"}
	if len(head) == 262 && string(head[257:262]) == "ustar" {
		st, err := tr.AddBrown(br)
		if err != nil {
			return src, fmt.Errorf("%s: %w", path, err)
		}
		src.Kind, src.Files, src.Sentences, src.Skipped = "brown", st.Files, st.Sentences, st.Skipped
	} else if err := tr.AddText(br); err != nil {
		return src, fmt.Errorf("%s: %w", path, err)
	}
	if _, err := io.Copy(io.Discard, f); err != nil { // hash to the end
		return src, err
	}
	src.Input = f.Input()
	return src, nil
}

// loadModel reads the model file at path, or, when path is "", trains a
// trigram on the built-in Moby-Dick.
func loadModel(ctx context.Context, path string) (*ngram.Model, provenance.Input, error) {
	if path == "" {
		tr := ngram.NewTrainer()
		if err := tr.AddText(corpus.MobyDick()); err != nil {
			return nil, provenance.Input{}, err
		}
		m, err := tr.Train(ctx, ngram.DefaultOrder)
		return m, provenance.Input{Path: corpus.MobyDickName + " (trigram trained in memory)", SHA256: corpus.MobyDickSHA256}, err
	}
	f, err := input.Open(path)
	if err != nil {
		return nil, provenance.Input{}, err
	}
	defer f.Close()
	m, err := ngram.Load(f)
	if err != nil {
		return nil, provenance.Input{}, fmt.Errorf("%s: %w", path, err)
	}
	if _, err := io.Copy(io.Discard, f); err != nil {
		return nil, provenance.Input{}, err
	}
	return m, f.Input(), nil
}

// writeFileAtomic writes path atomically with atomicfile.Write and returns
// the sha256 and size of what was written.
func writeFileAtomic(path string, write func(io.Writer) error) (provenance.Input, error) {
	var in provenance.Input
	err := atomicfile.Write(path, func(f *os.File) error {
		h := sha256.New()
		bw := bufio.NewWriterSize(io.MultiWriter(f, h), 1<<20)
		if err := write(bw); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		st, err := f.Stat()
		if err != nil {
			return err
		}
		in = provenance.Input{Path: path, SHA256: hex.EncodeToString(h.Sum(nil)), Bytes: st.Size()}
		return nil
	})
	return in, err
}
