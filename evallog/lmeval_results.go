package evallog

import (
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// LMEvalResults is the provenance an lm-evaluation-harness results JSON
// (results_<time>.json) gives for the samples files of the same run.
type LMEvalResults struct {
	// Model is model_name, else the pretrained=/model= value of
	// config.model_args, else config.model.
	Model     string
	Backend   string   // config.model, e.g. "hf", "vllm"
	ModelArgs string   // config.model_args as written (string or object)
	Tasks     []string // the keys of results
	Version   string   // lm_eval_version (absent before 0.4.4)
	GitHash   string
	Date      string
	// Metrics holds each task's aggregate metrics as written, e.g.
	// Metrics["mmlu_abstract_algebra"]["acc,none"]; non-numbers ("N/A")
	// and Python's NaN/Infinity are left out.
	Metrics map[string]map[string]float64
}

// ReadLMEvalResults reads a results JSON. It tolerates the bare NaN and
// Infinity tokens Python writes.
func ReadLMEvalResults(r io.Reader, name string) (*LMEvalResults, error) {
	b, err := Limits{}.readAll(r, "results file")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var doc struct {
		Results map[string]map[string]jsontext.Value `json:"results"`
		Config  struct {
			Model     jsontext.Value `json:"model"`
			ModelArgs jsontext.Value `json:"model_args"`
		} `json:"config"`
		ModelName jsontext.Value `json:"model_name"`
		Version   jsontext.Value `json:"lm_eval_version"`
		GitHash   jsontext.Value `json:"git_hash"`
		Date      jsontext.Value `json:"date"`
	}
	if err := unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: not an lm-eval results file: %w", name, err)
	}
	if doc.Results == nil {
		return nil, fmt.Errorf("%s: no \"results\" object; not an lm-eval results file", name)
	}
	res := &LMEvalResults{Metrics: map[string]map[string]float64{}}
	res.Backend, _ = jtext(doc.Config.Model)
	res.Version, _ = jtext(doc.Version)
	res.GitHash, _ = jtext(doc.GitHash)
	res.Date, _ = jtext(doc.Date)
	if s, ok := jstring(doc.Config.ModelArgs); ok {
		res.ModelArgs = s
	} else if doc.Config.ModelArgs.Kind() == '{' {
		res.ModelArgs = string(doc.Config.ModelArgs)
	}
	for task, ms := range doc.Results {
		res.Tasks = append(res.Tasks, task)
		res.Metrics[task] = map[string]float64{}
		for k, v := range ms {
			if x, ok := jnumber(v); ok && v.Kind() == '0' {
				res.Metrics[task][k] = x
			}
		}
	}
	slices.Sort(res.Tasks)
	res.Model, _ = jstring(doc.ModelName)
	if res.Model == "" {
		res.Model = modelFromArgs(doc.Config.ModelArgs)
	}
	if res.Model == "" {
		res.Model = res.Backend
	}
	return res, nil
}

// modelFromArgs finds pretrained=… or model=… in model_args, a
// "k=v,k=v" string or an object.
func modelFromArgs(v jsontext.Value) string {
	if s, ok := jstring(v); ok {
		for _, kv := range strings.Split(s, ",") {
			k, val, _ := strings.Cut(kv, "=")
			if k = strings.TrimSpace(k); k == "pretrained" || k == "model" {
				return strings.TrimSpace(val)
			}
		}
		return ""
	}
	model := ""
	if v.Kind() == '{' {
		members(v, func(name string, val jsontext.Value) error {
			if s, ok := jstring(val); ok && model == "" && (name == "pretrained" || name == "model") {
				model = s
			}
			return nil
		})
	}
	return model
}

// Provenance returns the results' facts as report key/value pairs.
func (r *LMEvalResults) Provenance() map[string]string {
	p := map[string]string{"lm_eval_model": r.Model, "lm_eval_backend": r.Backend,
		"lm_eval_model_args": r.ModelArgs, "lm_eval_version": r.Version, "lm_eval_git_hash": r.GitHash,
		"lm_eval_date": r.Date, "lm_eval_tasks": strings.Join(r.Tasks, ",")}
	for k, v := range p {
		if v == "" {
			delete(p, k)
		}
	}
	return p
}

var lmTimestampRe = regexp.MustCompile(`(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:\.\d+)?)\.jsonl(?:\.gz|\.zst)?$`)

// LMEvalResultsName returns the results file name that lm-eval writes
// beside a samples file (…samples_<task>_<time>.jsonl → …results_<time>.json
// in the same directory), and false if the name carries no timestamp.
func LMEvalResultsName(samplesPath string) (string, bool) {
	m := lmTimestampRe.FindStringSubmatch(filepath.Base(samplesPath))
	if m == nil {
		return "", false
	}
	return "results_" + m[1] + ".json", true
}

var lmTaskName = regexp.MustCompile(`(?:^|_)samples_(.+)_\d{4}-\d\d-\d\dT[\d:.-]+\.jsonl?(\.gz|\.zst)?$`)

// LMEvalTask returns the task name in an lm-eval samples file name
// (samples_<task>_<ISO time>.jsonl, possibly after a prefix
// ending in "_"), or the base name without extensions for other names.
func LMEvalTask(path string) string {
	base := filepath.Base(path)
	if m := lmTaskName.FindStringSubmatch(base); m != nil {
		return m[1]
	}
	for _, ext := range []string{".gz", ".zst", ".jsonl", ".json"} {
		base = strings.TrimSuffix(base, ext)
	}
	return base
}
