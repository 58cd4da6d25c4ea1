package audit

import (
	"fmt"
	"strconv"
	"strings"
)

// Parameters lists every option of c that bears on the result, under the
// names hallu audit's JSON envelope reports them by. c is the configuration
// as given, before Run fills in defaults.
func (c Config) Parameters() map[string]any {
	return map[string]any{
		"kind": string(c.Kind), "format": string(c.Format), "prompt": c.Prompt, "answer": c.Answer,
		"group": c.Group, "count": c.Count, "header": c.Header, "idk": c.IDK,
		"normalize": c.Normalize, "gamma": c.Gamma, "delta": c.Delta, "answers": c.Answers,
		"group_answers": c.GroupAnswers, "skip_bad": c.SkipBad, "show_conflicts": c.ShowConflicts,
	}
}

// ParseNormalization parses normalisation step names (nfc, case, space),
// as hallu audit's --normalize takes them.
func ParseNormalization(steps []string) (Normalization, error) {
	var n Normalization
	for _, s := range steps {
		switch strings.TrimSpace(s) {
		case "nfc":
			n.NFC = true
		case "case":
			n.FoldCase = true
		case "space":
			n.Space = true
		default:
			return n, fmt.Errorf("%q: want nfc, case or space", s)
		}
	}
	return n, nil
}

// ParseAnswers parses numbers of plausible answers per prompt |R_c|
// (Theorem 2), as hallu audit's --answers takes them: "K" for every group,
// or "GROUP=K" for one group. The last "K" wins; groups is nil if none is
// named.
func ParseAnswers(specs []string) (all int64, groups map[string]int64, err error) {
	for _, a := range specs {
		name, k, grouped := strings.Cut(a, "=")
		if !grouped {
			k = name
		}
		v, err := strconv.ParseInt(strings.TrimSpace(k), 10, 64)
		if err != nil || v < 2 {
			return 0, nil, fmt.Errorf("%q: want an integer ≥ 2, or GROUP=K", a)
		}
		if grouped {
			if groups == nil {
				groups = map[string]int64{}
			}
			groups[name] = v
		} else {
			all = v
		}
	}
	return all, groups, nil
}

// Validate reports what is wrong with c, as Run and Scan would, after
// filling in the same defaults; for callers that check a configuration
// before reading anything.
func (c Config) Validate() error {
	c.setDefaults()
	return c.validate()
}
