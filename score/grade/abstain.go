package grade

import (
	"bufio"
	"embed"
	"fmt"
	"html"
	"io"
	"io/fs"
	"math"
	"path"
	"sort"
	"strings"
)

// A Detector recognises abstentions: responses that decline to answer, the
// "I don't know" (IDK) responses of Section 4 of Kalai et al. 2025, which
// earn 0 under a confidence target where a wrong answer costs t/(1−t). It
// is a set of patterns over normalised words (see Normalize and the pattern
// grammar below), read from phrase files, one per language; the English
// and Czech files ship in the binary (DefaultDetector) and a user's file
// extends or replaces them (ParseDetector, Add).
//
// A phrase file has one pattern per line, "#" starting a comment, "@lang
// xx" including the shipped file of language xx, and a prefix saying what
// the pattern is:
//
//	pattern     an abstention: declining to answer, anywhere in the response
//	=pattern    an abstention only when it is the whole response ("Unknown")
//	!pattern    a hedge: the response still gives an answer ("I'm not sure,
//	            but I think it's Paris"), so an abstention pattern in it
//	            does not make it an abstention
//	^pattern    a hedge only in the abstention's own sentence ("The data
//	            does not name him, but suggests that it was Pitt"): in a
//	            later sentence it reports related facts, not an answer
//	>pattern    a turn to an answer: after an abstention pattern, it
//	            introduces one ("However, one source names X"; "it can be
//	            inferred that X"), so the response is an answer, graded on
//	            its content; a turn whose own sentence abstains again ("but
//	            the year is not given") introduces none
//	-pattern    a premise rejected ("there is no such episode", "there is
//	            no evidence that he won"): in the abstention's own sentence
//	            it asserts that the thing asked about does not exist or did
//	            not happen, which is an answer, graded on its content
//	?pattern    the question restated ("who might have been responsible",
//	            "what it might be holding"): a hedge inside it names no
//	            candidate and does not count
//	~pattern    a disclaimer ("As an AI language model I do not have
//	            real-time data."): an abstention only when no answer
//	            follows it ("However, as of 2021 the director is David J.
//	            Ryder" makes the response an answer)
//
// and each pattern is words, word* (any word with that prefix),
// (alternatives|separated by bars), [optional|alternatives] and gaps * (up
// to 3 words) or *N (up to N words).
//
// The decision is deterministic, reads each response once, and says which
// pattern decided (Explain).
type Detector struct {
	abstain, whole, hedge, near, turn, preamble, premise, asked rules
	// Opening is how many sentences at the start of a response an
	// abstention pattern must begin in (0: anywhere). An answer stated
	// first and qualified later ("X won in 2017. The sources do not say
	// which month.") is an answer.
	Opening int
}

// rules is a set of patterns indexed by the first word of each flat
// sequence, so that matching costs one map look-up per response word.
type rules struct {
	byFirst  map[string][]seqRef
	prefixed []seqRef // sequences starting with a prefix word
}

type seqRef struct {
	p   *pattern
	seq []elem
}

func (r *rules) add(p *pattern) {
	if r.byFirst == nil {
		r.byFirst = map[string][]seqRef{}
	}
	for _, q := range p.seqs {
		switch {
		case q[0].prefix:
			r.prefixed = append(r.prefixed, seqRef{p, q})
		case q[0].set != nil:
			for w := range q[0].set {
				r.byFirst[w] = append(r.byFirst[w], seqRef{p, q})
			}
		default:
			r.byFirst[q[0].word] = append(r.byFirst[q[0].word], seqRef{p, q})
		}
	}
}

// find returns the first match in ts at or after from: the pattern and the
// match's start and end.
func (r *rules) find(ts []string, from int) (*pattern, int, int) {
	for i := from; i < len(ts); i++ {
		for _, s := range r.byFirst[ts[i]] {
			if end, ok := matchAt(s.seq, ts, i); ok {
				return s.p, i, end
			}
		}
		for _, s := range r.prefixed {
			if end, ok := matchAt(s.seq, ts, i); ok {
				return s.p, i, end
			}
		}
	}
	return nil, 0, 0
}

// covers reports whether a match of r spans word i of ts.
func (r *rules) covers(ts []string, i int) bool {
	for from := max(0, i-maxLead); from <= i; {
		p, a, b := r.find(ts, from)
		if p == nil || a > i {
			return false
		}
		if i < b {
			return true
		}
		from = a + 1
	}
	return false
}

// maxLead is how many words before a hedge covers looks for the start of
// a restated question.
const maxLead = 8

// wholeMatch returns the pattern one of whose sequences matches all of ts.
func (r *rules) wholeMatch(ts []string) *pattern {
	if len(ts) == 0 {
		return nil
	}
	for _, s := range r.byFirst[ts[0]] {
		if end, ok := matchAt(s.seq, ts, 0); ok && end == len(ts) {
			return s.p
		}
	}
	for _, s := range r.prefixed {
		if end, ok := matchAt(s.seq, ts, 0); ok && end == len(ts) {
			return s.p
		}
	}
	return nil
}

//go:embed abstain
var phraseFiles embed.FS

// Languages lists the phrase files shipped in the binary: one file per
// language under score/grade/abstain/, named by its ISO 639-1 code.
func Languages() []string {
	es, _ := fs.ReadDir(phraseFiles, "abstain")
	var out []string
	for _, e := range es {
		out = append(out, strings.TrimSuffix(e.Name(), ".txt"))
	}
	sort.Strings(out)
	return out
}

// DefaultDetector returns the Detector of every shipped language's phrase
// file.
func DefaultDetector() *Detector {
	d, err := LanguageDetector(Languages()...)
	if err != nil {
		panic("grade: shipped phrase files: " + err.Error())
	}
	return d
}

// LanguageDetector returns the Detector of the shipped phrase files of the
// given languages (see Languages).
func LanguageDetector(langs ...string) (*Detector, error) {
	d := &Detector{Opening: 1}
	for _, l := range langs {
		if err := d.addLanguage(l); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// addLanguage adds the shipped phrase file of language l.
func (d *Detector) addLanguage(l string) error {
	name := path.Join("abstain", l+".txt")
	f, err := phraseFiles.Open(name)
	if err != nil {
		return fmt.Errorf("no shipped phrase file for language %q (have %s)", l, strings.Join(Languages(), ", "))
	}
	defer f.Close()
	return d.Add(f, "score/grade/"+name)
}

// ParseDetector reads a phrase file (the format of Detector) into a new
// Detector that, like the shipped one, looks for abstentions in a
// response's first sentence. A line "@lang en" includes a shipped file, so
// that a user's file can extend the shipped patterns rather than replace
// them.
func ParseDetector(r io.Reader) (*Detector, error) {
	d := &Detector{Opening: 1}
	return d, d.Add(r, "phrases")
}

// Add reads the patterns of a phrase file named name into d; errors name
// the file and line.
func (d *Detector) Add(r io.Reader, name string) error {
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if lang, ok := strings.CutPrefix(s, "@lang "); ok {
			if err := d.addLanguage(strings.TrimSpace(lang)); err != nil {
				return fmt.Errorf("line %d: %w", line, err)
			}
			continue
		}
		set := &d.abstain
		switch s[0] {
		case '=':
			set = &d.whole
		case '!':
			set = &d.hedge
		case '>':
			set = &d.turn
		case '~':
			set = &d.preamble
		case '^':
			set = &d.near
		case '-':
			set = &d.premise
		case '?':
			set = &d.asked
		}
		if set != &d.abstain {
			s = strings.TrimSpace(s[1:])
		}
		p, err := compilePattern(s, fmt.Sprintf("%s:%d", name, line))
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		set.add(p)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// A Decision is the Detector's verdict on one response and why.
type Decision struct {
	Abstained bool
	// Rule is the pattern that decided ("" when nothing matched), Where
	// its file and line, and Span the words it matched.
	Rule, Where, Span string
	// Kind is "whole", "abstain", "hedge" (an abstention pattern cancelled
	// by a hedge), "turn" (cancelled by a turn to an answer), "premise"
	// (cancelled by a rejected premise) or "preamble" (a disclaimer
	// followed by an answer), or "" when nothing matched.
	Kind string
}

// String explains the decision in one phrase.
func (c Decision) String() string {
	where := path.Base(c.Where)
	switch c.Kind {
	case "whole", "abstain":
		return fmt.Sprintf("abstention %q (%s)", c.Span, where)
	case "hedge":
		return fmt.Sprintf("hedged answer %q (%s)", c.Span, where)
	case "turn":
		return fmt.Sprintf("abstention, then an answer at %q (%s)", c.Span, where)
	case "premise":
		return fmt.Sprintf("premise rejected %q, an answer (%s)", c.Span, where)
	case "preamble":
		return fmt.Sprintf("disclaimer %q, then an answer (%s)", c.Span, where)
	}
	return "no abstention pattern"
}

// Abstains reports whether response is an abstention, and the words of
// the pattern that made it one.
func (d *Detector) Abstains(response string) (bool, string) {
	c := d.Explain(response)
	return c.Abstained, c.Span
}

// Explain returns the decision on response with the pattern that made it.
func (d *Detector) Explain(response string) Decision {
	ts, ends := tokenize(unescape(response), true)
	return d.decide(ts, ends)
}

// opening returns how many words the response holds up to the end of the
// d.Opening-th sentence that ends after word from (all of them when
// Opening is 0), from the word counts at each sentence end. A sentence of
// three words or fewer ("I'm sorry.", "Good question.") states no answer
// and does not count.
func (d *Detector) opening(ends []int, from int) int {
	if d.Opening <= 0 {
		return math.MaxInt
	}
	n, prev := 0, from
	for _, e := range ends {
		if e <= from {
			continue
		}
		if e-prev > 3 {
			if n++; n == d.Opening {
				return e
			}
		}
		prev = e
	}
	return math.MaxInt
}

// sentenceAt returns the word count at the first sentence end at or after
// word j, or n when none follows.
func sentenceAt(ends []int, j, n int) int {
	for _, e := range ends {
		if e >= j {
			return e
		}
	}
	return n
}

// decide applies the rules in order: a whole-response pattern abstains; a
// disclaimer in the opening abstains unless more than three words follow
// its sentence with no abstention in their opening; otherwise the first
// abstention pattern in the opening (after any disclaimer) abstains unless
// a rejected premise occurs in its sentence, a hedge anywhere (or a near
// hedge in its sentence), or a turn to an answer follows it in a sentence
// that does not abstain again.
func (d *Detector) decide(ts []string, ends []int) Decision {
	if p := d.whole.wholeMatch(ts); p != nil {
		return Decision{Abstained: true, Rule: p.src, Where: p.where, Span: strings.Join(ts, " "), Kind: "whole"}
	}
	from := 0
	if p, i, j := d.preamble.find(ts, 0); p != nil && i < d.opening(ends, 0) {
		c := Decision{Rule: p.src, Where: p.where, Span: strings.Join(ts[i:j], " ")}
		j = sentenceAt(ends, j, len(ts)) // the disclaimer runs to its sentence's end
		if len(ts)-j <= 3 {
			c.Abstained, c.Kind = true, "abstain"
			return c
		}
		if a, _, _ := d.abstain.find(ts, j); a == nil {
			c.Kind = "preamble"
			return c
		}
		from = j
	}
	p, i, j := d.abstain.find(ts, from)
	if p == nil || i >= d.opening(ends, from) {
		return Decision{}
	}
	c := Decision{Abstained: true, Rule: p.src, Where: p.where, Span: strings.Join(ts[i:j], " "), Kind: "abstain"}
	own := ts[:sentenceAt(ends, j, len(ts))] // up to the end of the abstention's sentence
	if r, ri, rj := d.premise.find(own, 0); r != nil {
		return Decision{Rule: r.src, Where: r.where, Span: strings.Join(own[ri:rj], " "), Kind: "premise"}
	}
	h, hi, hj := d.hedge.find(ts, 0)
	for h != nil && d.asked.covers(ts, hi) {
		h, hi, hj = d.hedge.find(ts, hi+1)
	}
	if h == nil {
		h, hi, hj = d.near.find(own, 0)
	}
	if h != nil {
		return Decision{Rule: h.src, Where: h.where, Span: strings.Join(ts[hi:hj], " "), Kind: "hedge"}
	}
	for from := j; ; {
		t, ti, tj := d.turn.find(ts, from)
		if t == nil {
			return c
		}
		// "However, the year is not given": a turn whose sentence
		// abstains again introduces no answer.
		if a, _, _ := d.abstain.find(ts[:sentenceAt(ends, tj, len(ts))], ti); a == nil {
			return Decision{Rule: t.src, Where: t.where, Span: strings.Join(ts[ti:tj], " "), Kind: "turn"}
		}
		from = ti + 1
	}
}

// cut returns ts without the spans of abstention patterns, so that a hedged
// answer ("I'm unsure, but it was Massimo Mastrorillo") can be matched
// against the gold without the hedge's words ("No idea" must not match the
// gold "No").
func (d *Detector) cut(ts []string) []string {
	out := ts
	for from := 0; ; {
		p, i, j := d.abstain.find(out, from)
		if p == nil {
			return out
		}
		out = append(out[:i:i], out[j:]...)
		from = i
	}
}

// unescape decodes HTML character references ("&lt;UNKNOWN&gt;"), which
// some logs keep from a web page.
func unescape(s string) string {
	if strings.IndexByte(s, '&') >= 0 && strings.IndexByte(s, ';') >= 0 {
		return html.UnescapeString(s)
	}
	return s
}
