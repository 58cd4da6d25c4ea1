package grade

import (
	"fmt"
	"strconv"
	"strings"
)

// A pattern is one line of a phrase file compiled for matching over
// normalised tokens (see Normalize). Its grammar, element by element,
// separated by spaces:
//
//	word        the word itself
//	word*       any word starting with "word" (Czech "informac*" matches
//	            informace, informací, informacemi)
//	(a b|c)     one of the alternatives, each one or more elements
//	[a b|c]     the same, optional
//	*           up to 3 words of anything; *N up to N words
//
// A pattern neither starts nor ends with a gap.
type pattern struct {
	src   string   // the line as written
	where string   // "file:line"
	seqs  [][]elem // its flat sequences of words and gaps (see expand)
}

type elem struct {
	alts     [][]elem // a group: one of the alternatives
	optional bool
	word     string // a word, or a prefix when prefix is set
	prefix   bool
	set      map[string]bool // a group of one-word alternatives (no prefixes)
	gap      int             // > 0: skip up to gap words
}

// compilePattern parses one pattern line.
func compilePattern(src, where string) (*pattern, error) {
	es, rest, err := parseSeq(lexPattern(src), 0)
	if err == nil && len(rest) > 0 {
		err = fmt.Errorf("unexpected %q", rest[0])
	}
	if err == nil && len(es) == 0 {
		err = fmt.Errorf("no words once normalised")
	}
	var seqs [][]elem
	if err == nil {
		seqs, err = expand(es)
	}
	for _, q := range seqs {
		if err == nil && (len(q) == 0 || q[0].gap > 0 || q[len(q)-1].gap > 0) {
			err = fmt.Errorf("a pattern cannot start or end with a gap, or be all optional")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %q: %w", where, src, err)
	}
	return &pattern{src: src, where: where, seqs: seqs}, nil
}

// lexPattern splits a line into brackets, "|", gaps and normalised words.
func lexPattern(s string) []string {
	var out []string
	var word strings.Builder
	flush := func() {
		w := word.String()
		word.Reset()
		if w == "" {
			return
		}
		if strings.HasPrefix(w, "*") {
			out = append(out, w)
			return
		}
		star := strings.HasSuffix(w, "*")
		ts := tokens(strings.TrimSuffix(w, "*"))
		if star && len(ts) > 0 {
			ts[len(ts)-1] += "*"
		}
		out = append(out, ts...)
	}
	for _, r := range s {
		switch r {
		case '(', ')', '[', ']', '|':
			flush()
			out = append(out, string(r))
		case ' ', '\t':
			flush()
		default:
			word.WriteRune(r)
		}
	}
	flush()
	return out
}

// parseSeq parses elements until a closing bracket or "|" (not consumed).
func parseSeq(toks []string, depth int) ([]elem, []string, error) {
	var es []elem
	for len(toks) > 0 {
		t := toks[0]
		switch {
		case t == ")" || t == "]" || t == "|":
			if depth == 0 {
				return nil, nil, fmt.Errorf("unexpected %q", t)
			}
			return es, toks, nil
		case t == "(" || t == "[":
			closing := map[string]string{"(": ")", "[": "]"}[t]
			toks = toks[1:]
			var alts [][]elem
			for {
				seq, rest, err := parseSeq(toks, depth+1)
				if err != nil {
					return nil, nil, err
				}
				if len(rest) == 0 {
					return nil, nil, fmt.Errorf("missing %q", closing)
				}
				if len(seq) == 0 {
					return nil, nil, fmt.Errorf("empty alternative")
				}
				alts = append(alts, seq)
				if rest[0] == "|" {
					toks = rest[1:]
					continue
				}
				if rest[0] != closing {
					return nil, nil, fmt.Errorf("%q closed by %q", t, rest[0])
				}
				toks = rest[1:]
				break
			}
			es = append(es, group(alts, t == "["))
		case strings.HasPrefix(t, "*"):
			n := 3
			if len(t) > 1 {
				v, err := strconv.Atoi(t[1:])
				if err != nil || v < 1 || v > 20 {
					return nil, nil, fmt.Errorf("gap %q: want * or *N with N in 1..20", t)
				}
				n = v
			}
			es = append(es, elem{gap: n})
			toks = toks[1:]
		default:
			e := elem{word: t}
			if strings.HasSuffix(t, "*") {
				e.word, e.prefix = strings.TrimSuffix(t, "*"), true
			}
			es = append(es, e)
			toks = toks[1:]
		}
	}
	return es, nil, nil
}

// group returns the element of a bracketed group: a set of words when
// every alternative is one plain word (matched with one look-up, not
// expanded), else the alternatives.
func group(alts [][]elem, optional bool) elem {
	set := map[string]bool{}
	for _, a := range alts {
		if len(a) != 1 || a[0].word == "" || a[0].prefix {
			return elem{alts: alts, optional: optional}
		}
		set[a[0].word] = true
	}
	if optional { // an optional set is a one-word alternative or nothing
		return elem{alts: [][]elem{{{set: set}}}, optional: true}
	}
	return elem{set: set}
}

// maxExpansions bounds the flat sequences one pattern line expands to.
const maxExpansions = 4096

// expand flattens es into the sequences of words and gaps it stands for:
// every choice of alternatives, every optional group in or out.
func expand(es []elem) ([][]elem, error) {
	out := [][]elem{nil}
	for _, e := range es {
		if e.alts == nil {
			for i := range out {
				out[i] = append(out[i][:len(out[i]):len(out[i])], e)
			}
			continue
		}
		var next [][]elem
		for _, a := range e.alts {
			tails, err := expand(a)
			if err != nil {
				return nil, err
			}
			for _, head := range out {
				for _, tail := range tails {
					next = append(next, append(head[:len(head):len(head)], tail...))
				}
			}
		}
		if e.optional {
			next = append(next, out...)
		}
		if len(next) > maxExpansions {
			return nil, fmt.Errorf("more than %d alternatives once expanded", maxExpansions)
		}
		out = next
	}
	return out, nil
}

// matchAt reports whether the flat sequence es (words and gaps) matches ts
// from i, and where the match ends.
func matchAt(es []elem, ts []string, i int) (int, bool) {
	for k, e := range es {
		if e.gap > 0 {
			for skip := 0; skip <= e.gap && i+skip <= len(ts); skip++ {
				if end, ok := matchAt(es[k+1:], ts, i+skip); ok {
					return end, true
				}
			}
			return 0, false
		}
		if i >= len(ts) || !e.matches(ts[i]) {
			return 0, false
		}
		i++
	}
	return i, true
}

func (e *elem) matches(w string) bool {
	if e.set != nil {
		return e.set[w]
	}
	if e.prefix {
		return strings.HasPrefix(w, e.word)
	}
	return w == e.word
}
