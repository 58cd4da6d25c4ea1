// Package pipeline is hallu audit as an Apache Beam pipeline: the same
// audit of a fact corpus (the singleton rate of Definition 2 of "Why
// Language Models Hallucinate", the Good–Turing missing mass with Lemma 1's
// interval, Chao1, and Theorem 2's floor), computed on any Beam runner
// (Prism locally; Flink, Spark or Dataflow on a cluster) for corpora beyond
// one machine.
//
// Audit reads sharded files matched by glob patterns on any file system
// Beam has registered (local, gs://, s3://), each one whole: plain, gzip or
// zstd by its magic bytes, TSV, CSV or JSONL, parsed by audit.Scan exactly
// as hallu audit parses it. Each record becomes a (prompt key hash, group)
// key and a small encoded audit.PromptCount; a CombinePerKey merges them
// with audit's PromptCount.Merge; the merged counts are tallied per group
// into frequency-of-frequencies tables, and audit.NewResult computes the
// statistics. If there are conflicting prompts, a second pass over the
// files collects the answers of those with the smallest key hashes, as
// hallu audit does. The output is one JSON document in the schema of
// hallu audit --json, equal to it field for field on the same input.
package pipeline
