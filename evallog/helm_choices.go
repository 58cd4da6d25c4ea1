package evallog

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/hallu-dev/hallu/internal/softmax"
	"github.com/hallu-dev/hallu/score"
)

// HELMScore says how a HELM reference's score is made from the log-probs
// of its tokens, in the separate-request methods.
type HELMScore string

// The scores of HELM's multiple_choice_separate_* methods (helm/benchmark/
// metrics/basic_metrics.py, evaluate_references): the reference's summed
// token log-probs; that sum divided by its number of tokens, as
// multiple_choice_separate_original ranks; and the sum minus the sum in the
// calibration request (the reference after an empty context), as
// multiple_choice_separate_calibrated ranks.
const (
	HELMSum        HELMScore = "sum"
	HELMPerToken   HELMScore = "per-token"
	HELMCalibrated HELMScore = "calibrated"
)

// HELMStats counts what ReadHELMChoices read and left out.
type HELMStats struct {
	Method    string `json:"method"`
	Instances int    `json:"instances"`
	Skips
	// OtherTrials counts request states of train trials other than 0.
	OtherTrials int `json:"other_trials"`
}

type helmState struct {
	AdapterSpec struct {
		Method string `json:"method"`
	} `json:"adapter_spec"`
	RequestStates []helmRequestState `json:"request_states"`
}

type helmRequestState struct {
	Instance struct {
		ID    string `json:"id"`
		Input struct {
			Text string `json:"text"`
		} `json:"input"`
		References []struct {
			Output struct {
				Text string `json:"text"`
			} `json:"output"`
			Tags []string `json:"tags"`
		} `json:"references"`
	} `json:"instance"`
	TrainTrialIndex int               `json:"train_trial_index"`
	ReferenceIndex  *int              `json:"reference_index"`
	RequestMode     string            `json:"request_mode"`
	OutputMapping   map[string]string `json:"output_mapping"`
	Result          *struct {
		Completions []struct {
			Tokens []struct {
				Text        string             `json:"text"`
				Logprob     float64            `json:"logprob"`
				TopLogprobs map[string]float64 `json:"top_logprobs"`
			} `json:"tokens"`
		} `json:"completions"`
	} `json:"result"`
}

// ReadHELMChoices reads a HELM scenario_state.json of a multiple-choice run
// and calls fn with each instance (of train trial 0) in order, where the
// file carries a log-prob for each choice:
//
//   - multiple_choice_separate_original and _calibrated: one request per
//     reference (and, calibrated, one per reference in "calibration" mode),
//     each echoing the reference. Its log-prob is the sum over the trailing
//     tokens whose texts join to the reference after one space, as HELM
//     takes the last len(tokenize(" "+reference)) tokens; score says how it
//     becomes the choice's score.
//   - multiple_choice_joint, only where the answer token carries
//     top_logprobs (older HELM versions): choice i's log-prob is that of its
//     letter (output_mapping), summing the probabilities of the top tokens
//     that equal the letter once spaces are trimmed.
//
// Everywhere else the file does not hold per-choice log-probs, and the
// error says so: a joint run keeps only the generated letter's log-prob,
// and a generation run is not multiple choice. An instance whose tokens do
// not end with a reference, that lacks a reference's request or a letter's
// log-prob, or has not exactly one reference tagged correct is an *Error
// naming the file, the request state and field; with skipBad it is
// skipped and counted. The file is read whole, up to lim.MaxDocument.
func ReadHELMChoices(r io.Reader, name string, sc HELMScore, skipBad bool, lim Limits, fn func(*MultipleChoice) error) (HELMStats, error) {
	var st HELMStats
	if sc == "" {
		sc = HELMSum
	}
	switch sc {
	case HELMSum, HELMPerToken, HELMCalibrated:
	default:
		return st, fmt.Errorf("unknown HELM score %q (want sum, per-token or calibrated)", sc)
	}
	b, err := lim.readAll(r, "HELM file")
	if err != nil {
		return st, fmt.Errorf("%s: %w", name, err)
	}
	var s helmState
	if err := unmarshalPython(b, &s); err != nil {
		return st, fmt.Errorf("%s: not a HELM scenario_state.json: %w", name, err)
	}
	st.Method = s.AdapterSpec.Method
	if len(s.RequestStates) == 0 {
		return st, fmt.Errorf("%s: field request_states: missing or empty", name)
	}
	if sc == HELMCalibrated && st.Method != "multiple_choice_separate_calibrated" {
		return st, fmt.Errorf("%s: the calibrated score needs a multiple_choice_separate_calibrated run, not %s", name, st.Method)
	}
	// Group the request states of trial 0 by instance, in order.
	var order []string
	groups := map[string][]int{}
	for i, rs := range s.RequestStates {
		if rs.TrainTrialIndex != 0 {
			st.OtherTrials++
			continue
		}
		id := rs.Instance.ID
		if _, ok := groups[id]; !ok {
			order = append(order, id)
		}
		groups[id] = append(groups[id], i)
	}
	var mc MultipleChoice
	for _, id := range order {
		idx := groups[id]
		var field string
		var err error
		switch st.Method {
		case "multiple_choice_separate_original", "multiple_choice_separate_calibrated":
			field, err = helmSeparate(s.RequestStates, idx, sc, &mc)
		case "multiple_choice_joint", "multiple_choice_joint_multiple":
			if sc != HELMSum {
				return st, fmt.Errorf("%s: the %s score applies to the separate-request methods, not %s", name, sc, st.Method)
			}
			field, err = helmJoint(s.RequestStates, idx[0], &mc)
			if errors.Is(err, errNoTopLogprobs) {
				return st, fmt.Errorf("%s: request_states[%d]: method %s: %w", name, idx[0], st.Method, err)
			}
		default:
			return st, fmt.Errorf("%s: method %q is not multiple choice: no per-choice log-probs to read", name, st.Method)
		}
		entry := "request_states[" + strconv.Itoa(idx[0]) + "]"
		if err != nil {
			if err := st.skip(&Error{File: name, Entry: entry, Field: field, Err: err}, skipBad); err != nil {
				return st, err
			}
			continue
		}
		rs := s.RequestStates[idx[0]]
		mc.DocID, mc.Question, mc.Source = id, rs.Instance.Input.Text, score.Source{File: name, Entry: entry}
		if mc.Phat, err = softmax.Of(mc.Scores); err != nil {
			return st, &Error{File: name, Entry: entry, Field: "result", Err: err}
		}
		mc.Pred = argmax(mc.Scores)
		st.Instances++
		if err := fn(&mc); err != nil {
			return st, err
		}
	}
	if st.Instances == 0 {
		return st, fmt.Errorf("%s: no instance read (%d skipped)", name, st.Skipped)
	}
	return st, nil
}

var errNoTopLogprobs = errors.New("the answer token has no top_logprobs: the file keeps only the generated letter's log-prob, not one per choice; " +
	"per-choice log-probs need a HELM run with method multiple_choice_separate_original (or a HELM version whose tokens carry top_logprobs)")

// helmReferences fills mc's choices and gold from the instance's
// references.
func helmReferences(rs *helmRequestState, mc *MultipleChoice) (string, error) {
	*mc = MultipleChoice{Gold: -1}
	refs := rs.Instance.References
	if len(refs) < 2 {
		return "instance.references", fmt.Errorf("%d reference(s): a multiple-choice instance needs at least two", len(refs))
	}
	for i, ref := range refs {
		mc.Choices = append(mc.Choices, ref.Output.Text)
		if slices.Contains(ref.Tags, "correct") {
			if mc.Gold >= 0 {
				return "instance.references", fmt.Errorf("references %d and %d are both tagged correct: more than one valid answer", mc.Gold, i)
			}
			mc.Gold = i
		}
	}
	if mc.Gold < 0 {
		return "instance.references", errors.New("no reference is tagged correct")
	}
	return "", nil
}

// helmSeparate reads an instance of a separate-request method from its
// request states idx.
func helmSeparate(all []helmRequestState, idx []int, sc HELMScore, mc *MultipleChoice) (string, error) {
	if field, err := helmReferences(&all[idx[0]], mc); err != nil {
		return field, err
	}
	n := len(mc.Choices)
	type key struct {
		ref  int
		mode string
	}
	sums, lens := map[key]float64{}, map[key]int{}
	for _, i := range idx {
		rs := &all[i]
		if rs.ReferenceIndex == nil || *rs.ReferenceIndex < 0 || *rs.ReferenceIndex >= n {
			return "reference_index", fmt.Errorf("request state %d names no reference of %d", i, n)
		}
		ref := *rs.ReferenceIndex
		if rs.Result == nil || len(rs.Result.Completions) != 1 {
			return "result.completions", fmt.Errorf("request state %d: want one completion", i)
		}
		toks := rs.Result.Completions[0].Tokens
		want := " " + mc.Choices[ref]
		var joined string
		k := len(toks)
		for k > 0 && len(joined) < len(want) {
			k--
			joined = toks[k].Text + joined
		}
		if joined != want && strings.TrimSpace(joined) != strings.TrimSpace(want) {
			return "result.completions[0].tokens", fmt.Errorf("request state %d: the tokens do not end with reference %d, %q", i, ref, abbrevString(mc.Choices[ref]))
		}
		var sum float64
		for _, t := range toks[k:] {
			if math.IsNaN(t.Logprob) || t.Logprob > 0 {
				return "result.completions[0].tokens", fmt.Errorf("request state %d: token log-prob %v is not a number ≤ 0", i, t.Logprob)
			}
			sum += t.Logprob
		}
		mode := rs.RequestMode
		if mode == "" {
			mode = "original"
		}
		sums[key{ref, mode}] += sum
		lens[key{ref, mode}] = len(toks) - k
	}
	mc.LogLikelihoods = make([]float64, n)
	mc.Scores = make([]float64, n)
	for ref := range n {
		o := key{ref, "original"}
		if _, ok := sums[o]; !ok {
			return "reference_index", fmt.Errorf("no original request for reference %d", ref)
		}
		mc.LogLikelihoods[ref] = sums[o]
		switch sc {
		case HELMSum:
			mc.Scores[ref] = sums[o]
		case HELMPerToken:
			mc.Scores[ref] = sums[o] / float64(lens[o])
		case HELMCalibrated:
			c, ok := sums[key{ref, "calibration"}]
			if !ok {
				return "request_mode", fmt.Errorf("no calibration request for reference %d", ref)
			}
			mc.Scores[ref] = sums[o] - c
		}
	}
	return "", nil
}

// helmJoint reads an instance of the joint method from its request state.
func helmJoint(all []helmRequestState, i int, mc *MultipleChoice) (string, error) {
	rs := &all[i]
	if field, err := helmReferences(rs, mc); err != nil {
		return field, err
	}
	if rs.Result == nil || len(rs.Result.Completions) == 0 || len(rs.Result.Completions[0].Tokens) == 0 {
		return "result.completions", errors.New("no completion token")
	}
	top := rs.Result.Completions[0].Tokens[0].TopLogprobs
	if len(top) == 0 {
		return "result.completions[0].tokens[0].top_logprobs", errNoTopLogprobs
	}
	letterOf := map[string]string{}
	for l, text := range rs.OutputMapping {
		letterOf[text] = l
	}
	n := len(mc.Choices)
	mc.LogLikelihoods = make([]float64, n)
	for c, text := range mc.Choices {
		l, ok := letterOf[text]
		if !ok {
			return "output_mapping", fmt.Errorf("no letter maps to reference %d", c)
		}
		var lps []float64
		for tok, lp := range top {
			if strings.TrimSpace(tok) == l {
				lps = append(lps, lp)
			}
		}
		if len(lps) == 0 {
			return "result.completions[0].tokens[0].top_logprobs", fmt.Errorf("letter %q of reference %d is not among the top tokens", l, c)
		}
		slices.Sort(lps) // a fixed order of summation
		var mass float64
		for _, lp := range lps {
			mass += math.Exp(lp)
		}
		mc.LogLikelihoods[c] = math.Log(mass)
	}
	mc.Scores = mc.LogLikelihoods
	return "", nil
}

func abbrevString(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}
