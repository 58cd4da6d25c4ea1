// Package ngram is a word-level n-gram language model with interpolated
// modified Kneser–Ney smoothing (Chen & Goodman 1998): the "poor model" of
// Section 3.3.2 of "Why Language Models Hallucinate" (Kalai, Nachum, Vempala,
// Zhang 2025; Corollary 2 of arXiv:2509.04664), and the real language model that
// package serve puts behind the OpenAI wire protocol.
//
// # Tokens
//
// Text is split into words by [Tokenize]; the rules are documented there.
// Words are lower-cased, so the model is case-insensitive. Sentence
// boundaries are a token of their own, [EOS] ("</s>"), inserted after
// sentence-final punctuation and at paragraph breaks. The training text is
// one stream of tokens, EOS included, that starts as if a sentence had just
// ended; n-grams may span a boundary (". </s> the"), so a model sees the end
// of one sentence when it predicts the start of the next. At the start of a
// prompt the history is a single EOS: the model predicts the first word as
// the first word of a sentence. EOS is predicted like any other word and ends
// a generated sample.
//
// Words not seen in training are mapped to [UNK] ("<unk>"). UNK never occurs
// in the training stream, so its probability is the share of the uniform
// distribution that the unigram level interpolates with (Chen & Goodman's
// base case); a history that contains UNK is unseen and the model backs off
// past it.
//
// # Smoothing
//
// For an n-gram model, a history h of n−1 words and a word w,
//
//	p(w | h) = (a(hw) − D(a(hw))) / S(h) + γ(h)·p(w | h′)
//	γ(h)     = (D₁·N₁(h) + D₂·N₂(h) + D₃₊·N₃₊(h)) / S(h)
//
// where h′ drops the oldest word of h, S(h) = Σ_w a(hw), N_k(h) is the number
// of words w with a(hw) = k (N₃₊: at least 3), and D(a) is D₁, D₂ or D₃₊ for
// a = 1, 2, ≥3. At the highest order a is the raw count; at lower orders it
// is the continuation count N₁₊(•hw), the number of distinct words seen
// before hw (Chen & Goodman 1998, eq. 26; Kneser & Ney 1995), except for
// n-grams (n ≥ 2) that start with EOS: those start a sentence, what precedes
// them is the end of another sentence, and they keep their raw counts, as
// KenLM does for n-grams that start with <s>. Without this a prompt's first
// words, whose history is shorter than n−1, would be predicted from how many
// different punctuation marks ended the sentence before. The unigram
// level interpolates with the uniform distribution over the vocabulary
// (UNK and EOS included). A history never seen in training has γ = 1 and
// p(w | h) = p(w | h′). The three discounts of each order are estimated from
// that order's count-of-counts n₁…n₄:
//
//	Y = n₁/(n₁ + 2n₂),  D₁ = 1 − 2Y·n₂/n₁,  D₂ = 2 − 3Y·n₃/n₂,  D₃₊ = 3 − 4Y·n₄/n₃
//
// When a count-of-counts is zero or a discount falls outside (0, k] (tiny
// corpora), the order uses the fallback discounts 0.5, 1 and 1.5, as KenLM's
// --discount_fallback does, and [Model.Discounts] says so.
//
// The model is stored as a trie in backoff form: each n-gram seen in training
// holds its interpolated probability and, as a history, its γ; an unseen
// (h, w) has p(w | h) = γ(h)·p(w | h′). This is the same distribution as the
// interpolated formula above, not an approximation of it.
//
// The package does no I/O of its own: training text, model files and corpora
// come in through io.Reader and go out through io.Writer arguments.
package ngram
