// Package audit streams a corpus of fact records into the counts that
// package missingmass turns into the singleton rate (Definition 2 of "Why
// Language Models Hallucinate"), the Good–Turing missing mass and Theorem 2's
// floor on hallucinations.
//
// A record is one training example (c, r): a prompt c, made of one or more
// columns or JSON fields (say subject and relation), and a response r, which
// is either an answer or an abstention ("I don't know"). Records come from
// TSV, CSV (RFC 4180) or JSONL, plain, gzip or zstd, and are parsed, hashed
// and counted on all cores; beyond a memory budget, counts spill to
// temporary files partitioned by hash and are merged partition by
// partition, with the same result as in memory. Pre-counted inputs
// (key⇥count lines, and frequency-of-frequencies tables) are read as well.
//
// # Exactness
//
// Record and answer counts are exact. Prompts are not stored: each prompt
// key (see Key) is identified by its 128-bit XXH3 hash. Two distinct keys
// among n share a hash with probability at most n(n−1)/2^129 (a union bound
// over pairs of a hash whose 128-bit outputs behave as uniform), which is
// below 1.5·10⁻²¹ for n = 10⁹ prompts and 1.5·10⁻¹⁹ for n = 10¹⁰. Answers
// are compared by a 32-bit fingerprint of their 64-bit XXH3 hash, so a
// prompt seen with k different answers fails to be counted as conflicting
// only if all k share a fingerprint: probability at most (k−1)/2³², which
// is what keeps a table slot at 24 bytes. Only the conflict count can be
// off this way; record, answer and prompt counts cannot.
//
// Key, Normalization and HashKey are exported so that other pipelines (the
// Apache Beam one in beam/) count exactly the same keys; Scan reads records
// exactly as Run does, PromptCount merges the counts of one key as Run's
// tables do, and NewResult turns per-group counts into Run's Result, which
// Run itself uses.
package audit
