// Package grade decides the outcome of a response when an eval log carries
// no grade, and recognises abstentions in logs that do.
//
// Matcher grades by normalised matching against the gold answer and its
// aliases (case, punctuation, articles, whitespace and accents ignored;
// titles, honorifics, company and club suffixes, middle names and US state
// abbreviations on one side only; bracketed and listed gold alternatives;
// numbers to the gold's last significant figure or SimpleQA Verified's
// "acceptable range"; dates in common formats compared field by field),
// following the rules of SimpleQA's grader (Wei et al. 2024), and by a
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
