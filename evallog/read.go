package evallog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/hallu-dev/hallu/internal/input"
	"github.com/hallu-dev/hallu/score"
	"github.com/hallu-dev/hallu/score/grade"
)

// Format names an eval-log format.
type Format string

// The formats Read understands.
const (
	Auto        Format = "auto"
	Run         Format = "hallu"
	JSONL       Format = "jsonl"
	CSV         Format = "csv"
	SimpleQA    Format = "simpleqa"
	LMEval      Format = "lm-eval"
	Inspect     Format = "inspect"
	OpenAIEvals Format = "openai-evals"
	LitCab      Format = "litcab"
	TruthfulQA  Format = "truthfulqa"
)

// Formats lists every format, Auto first.
var Formats = []Format{Auto, Run, JSONL, CSV, SimpleQA, LMEval, Inspect, OpenAIEvals, LitCab, TruthfulQA}

// Options configures Read. The zero value reads hallu's run format with
// auto-detection off; set Format to Auto to detect.
type Options struct {
	Format Format
	// Map names the columns of generic JSONL/CSV and SimpleQA prediction
	// files (default DefaultColumns).
	Map ColumnMap
	// Model, if set, is every sample's model; otherwise the log's model,
	// or DefaultModel when the log names none.
	Model, DefaultModel string
	// SkipBad skips unreadable records, counting them in Stats, instead of
	// failing on the first.
	SkipBad bool

	// LMEvalFilter selects the lm-eval filter to read ("" = the first one
	// in the file); LMEvalMetric the per-sample metric used as the grade
	// ("" = the first 0/1-valued metric).
	LMEvalFilter, LMEvalMetric string
	// LengthNormalized makes multiple-choice confidences the softmax of
	// log-likelihoods divided by the choices' lengths in characters, the
	// choices as doc_to_choice gives them, without the target delimiter
	// (as lm-eval's acc_norm ranks them; see NormLength), rather than of
	// raw log-likelihoods.
	LengthNormalized bool

	// InspectScorer selects the Inspect scorer whose value is the grade
	// ("" = the first one in each sample).
	InspectScorer string

	// SimpleQATest is the SimpleQA test set that predictions are joined
	// with (see ReadSimpleQATest); required for the simpleqa format.
	SimpleQATest *SimpleQATestSet

	// Abstention recognises abstentions where a log's labels are not
	// correctness (TruthfulQA judges "I have no comment" truthful); nil
	// means grade.DefaultDetector().
	Abstention *grade.Detector

	// Limits bounds the memory a log may take (zero: the defaults).
	Limits Limits
	// GradeValues reads the grade column's values it names (lower-cased,
	// trimmed) as the outcomes given, before the usual reading (see
	// ParseGradeValues): e.g. "yes" → wrong in a column "hallucinated".
	// It applies to hallu's run format, JSONL and CSV.
	GradeValues map[string]score.Outcome

	// grade parses a grade column (default score.ParseOutcome).
	grade func(string) (score.Outcome, error)
}

// Read reads the log r (named name in messages) and calls fn with each
// sample. The *score.Sample passed to fn is reused: fn must copy what it
// keeps. fn's error stops reading and is returned as is.
//
// For hallu's run format, JSONL and CSV, Read also checks that the records
// as mapped can be scored, and returns a *ColumnError when they cannot.
func Read(r io.Reader, name string, opt Options, fn func(*score.Sample) error) (Stats, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	f := opt.Format
	if f == "" {
		f = Run
	}
	if f == Auto {
		head, err := br.Peek(detectBytes)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
			return Stats{}, fmt.Errorf("%s: %w", name, err)
		}
		f, err = Detect(head)
		if err != nil {
			return Stats{}, fmt.Errorf("%s: %w", name, err)
		}
	}
	if f == CSV {
		head, _ := br.Peek(detectBytes)
		if err := input.CheckText(head); err != nil {
			return Stats{}, fmt.Errorf("%s: %w", name, err)
		}
	}
	st := Stats{Format: f}
	// Every sample costs the caller memory (score keeps about 24 bytes of
	// each): a small compressed file can hold hundreds of millions.
	inner, samples, limit := fn, int64(0), opt.Limits.samples()
	fn = func(s *score.Sample) error {
		if samples++; samples > limit {
			return fmt.Errorf("%s: %w", s.Source, &LimitError{Limit: limit, Unit: "samples", Option: "MaxSamples"})
		}
		return inner(s)
	}
	var (
		err  error
		c    census
		head []byte
	)
	generic := f == Run || f == JSONL || f == CSV
	if generic && opt.Model == "" {
		c.defaultModel = opt.DefaultModel
	}
	if generic {
		head, _ = br.Peek(64 << 10) // for the keys a ColumnError lists; errors surface when reading
		head = bytes.Clone(head)
		inner := fn
		fn = func(s *score.Sample) error {
			c.add(s)
			return inner(s)
		}
	}
	switch f {
	case Run, JSONL:
		err = readJSONL(br, name, opt, &st, fn)
	case CSV:
		err = readCSV(br, name, opt, &st, fn)
	case SimpleQA:
		err = readSimpleQA(br, name, opt, &st, fn)
	case LMEval:
		err = readLMEval(br, name, opt, &st, fn)
	case Inspect:
		err = readInspect(br, name, opt, &st, fn)
	case OpenAIEvals:
		err = readOpenAIEvals(br, name, opt, &st, fn)
	case LitCab:
		err = readLitCab(br, name, opt, &st, fn)
	case TruthfulQA:
		err = readTruthfulQA(br, name, opt, &st, fn)
	default:
		err = fmt.Errorf("%s: unknown format %q", name, f)
	}
	if err == nil && generic {
		err = c.check(name, f, opt.Map.orDefault(), head, opt, &st)
	}
	return st, err
}

// A FormatError is a log that Read cannot read as it is given: Detect
// cannot tell its format, it is a file that goes beside a log rather than
// a log, or it needs one. Option names what resolves it: a field of
// Options ("Format", "Map", "SimpleQATest"), or "LMEvalResults" for a
// results file that ReadLMEvalResults reads beside its samples.
type FormatError struct {
	Reason string
	Option string
}

func (e *FormatError) Error() string { return e.Reason }

// detectBytes is how much of a log Read looks at to detect its format and
// to check that a CSV log is text.
const detectBytes = 64 << 10

// Detect guesses the format of a log from its first bytes:
//
//	PK\x03\x04                                  inspect (.eval ZIP)
//	[ … {"doc_id" …                             lm-eval (0.4.2 array file)
//	first line {"spec": …}                      openai-evals
//	first line {… "doc_id" …}                   lm-eval
//	first line {… "normalized_score" …}         litcab
//	first line {"prompt": …, "completion": …}   truthfulqa
//	first line another JSON object              hallu (run file)
//	{ … "eval": … "version" …  (multi-line)     inspect (.json)
//	header metadata,problem,answer              an error: the SimpleQA test
//	                                            set needs its predictions
//	anything else                               csv
func Detect(head []byte) (Format, error) {
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return Inspect, nil
	}
	trim := bytes.TrimLeft(head, " \t\r\n\ufeff")
	trim = bytes.TrimPrefix(trim, []byte("\ufeff"))
	if len(trim) == 0 {
		return "", errors.New("empty input")
	}
	switch trim[0] {
	case '[':
		if bytes.Contains(trim, []byte(`"doc_id"`)) {
			return LMEval, nil
		}
		return "", &FormatError{Reason: "a JSON array that is not an lm-eval samples file", Option: "Format"}
	case '{':
		line, _, whole := bytes.Cut(trim, []byte("\n"))
		if !whole && len(head) >= detectBytes {
			return "", &FormatError{Reason: fmt.Sprintf("the first line is longer than the %d KiB read to detect the format", detectBytes>>10), Option: "Format"}
		}
		line = bytes.TrimSpace(line)
		if fixed, ok := replaceNonFinite(line, false); ok {
			line = fixed
		}
		var keys []string
		if members(jsontext.Value(line), func(name string, _ jsontext.Value) error {
			keys = append(keys, name)
			return nil
		}) == nil {
			has := func(k string) bool {
				for _, x := range keys {
					if x == k {
						return true
					}
				}
				return false
			}
			switch {
			case has("spec"):
				return OpenAIEvals, nil
			case has("doc_id"):
				return LMEval, nil
			case has("normalized_score") && has("rouge_correct_first_answer"):
				return LitCab, nil
			case has("prompt") && has("completion") && len(keys) == 2:
				return TruthfulQA, nil
			}
			return Run, nil
		}
		if bytes.Contains(trim, []byte(`"eval"`)) && bytes.Contains(trim, []byte(`"version"`)) {
			return Inspect, nil
		}
		if bytes.Contains(trim, []byte(`"results"`)) && bytes.Contains(trim, []byte(`"configs"`)) {
			return "", &FormatError{Reason: "an lm-eval results file, not a samples file; give its samples_*.jsonl as the input, and this file beside them", Option: "LMEvalResults"}
		}
		return "", &FormatError{Reason: "a JSON document in no known log format", Option: "Format"}
	}
	line, _, _ := bytes.Cut(trim, []byte("\n"))
	if string(bytes.TrimSpace(line)) == "metadata,problem,answer" {
		return "", &FormatError{Reason: "the SimpleQA test set, not predictions; give the predictions file as the input, and the test set beside it", Option: "SimpleQATest"}
	}
	return CSV, nil
}
