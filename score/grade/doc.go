// Package grade decides the outcome of a response when an eval log carries
// no grade, and recognises abstentions in logs that do.
//
// Matcher grades by normalised matching against the gold answer and its
// aliases (case, punctuation, articles, whitespace and accents ignored;
// titles, honorifics, company and club suffixes, middle names, a typo in a
// person's name, acronyms and US state abbreviations on one side only;
// bracketed and listed gold alternatives; numbers to the gold's last
// significant figure, SimpleQA Verified's "acceptable range", a gold's
// bound or range; numbers and ordinals written out; dates in common formats
// compared field by field; the thing a gold names without where it is or
// what kind of thing it is), following the rules of SimpleQA's grader (Wei
// et al. 2024) and, with Coarse, the conventions of NQ's human raters
// (Kamalloo et al. 2023) for answers coarser than the gold; and by a
// Detector of abstentions, whose patterns ship as one phrase file per
// language. Every grade carries the reason that decided it. Grader is the
// seam for other graders: an LLM judge (harness.LetterJudge)
// implements it beside Matcher.
//
// The rules are deterministic and documented (docs/grading.md, with their
// agreement with human and judge labels); they do not read meaning. Known
// blind spots: negation ("not Paris" matches Paris), paraphrase, and the
// inflection of languages such as Czech.
package grade
