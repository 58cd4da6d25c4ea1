// Package grade decides the outcome of a response when an eval log carries
// no grade, and recognises abstentions in logs that do.
//
// Matcher grades by normalised matching against the gold answer and its
// aliases (case, punctuation, articles, whitespace and accents ignored;
// numbers compared with a tolerance or SimpleQA Verified's "acceptable
// range"; dates in common formats compared field by field) and by a
// Detector of abstention phrases. Grader is the seam for other graders: an
// LLM judge (`hallu run`) implements it beside Matcher.
//
// The rules are deliberately simple and documented; they are a grader of
// last resort for logs without grades, not a replacement for a judge on
// free-form answers. Their known blind spots: negation ("not Paris" matches
// Paris) and lists of candidates ("Paris or Lyon" matches either).
package grade
