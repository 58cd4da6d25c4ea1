package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/hallu-dev/hallu/llm"
)

// Probe is what an endpoint supports and which measurements it therefore
// allows (the JSON result of `hallu probe`).
type Probe struct {
	BaseURL      string             `json:"base_url"`
	Model        string             `json:"model"`
	Server       string             `json:"server,omitempty"`
	Findings     []llm.Finding      `json:"capabilities"`
	Measurements []ProbeMeasurement `json:"measurements"`
}

// ProbeMeasurement is one of hallu's measurements and whether the probed
// endpoint allows it.
type ProbeMeasurement struct {
	llm.Measurement
	Possible bool `json:"possible"`
	// Missing lists the needs the endpoint lacks; Unknown those the probe
	// could not establish.
	Missing []llm.Capability `json:"missing,omitempty"`
	Unknown []llm.Capability `json:"unknown,omitempty"`
}

// WriteProbeText writes a Probe as two tables: the capabilities with their
// evidence, then the measurements they allow.
func WriteProbeText(w io.Writer, r *Probe) error {
	return writeText(w, probeTables(r))
}

func probeTables(r *Probe) []Table {
	title := fmt.Sprintf("Capabilities of %s, model %q", r.BaseURL, r.Model)
	if r.Server != "" {
		title += fmt.Sprintf(" (its model list looks like %s's)", r.Server)
	}
	t := Table{Title: title, Header: []string{"capability", "supported", "evidence"}}
	for _, f := range r.Findings {
		t.AddRow(string(f.Capability), supportedCell(f), f.Detail)
	}
	m := Table{Title: "Measurements this endpoint allows", Header: []string{"measurement", "possible", "missing", "instead"}}
	for _, mr := range r.Measurements {
		possible, instead := "yes", ""
		if !mr.Possible {
			possible, instead = "no", mr.Instead
		} else if len(mr.Unknown) > 0 {
			possible = "unknown"
		}
		m.AddRow(mr.Name, possible, joinCaps(append(mr.Missing, mr.Unknown...)), instead)
	}
	return []Table{t, m}
}

func supportedCell(f llm.Finding) string {
	switch {
	case !f.Known:
		return "unknown"
	case !f.Supported:
		return "no"
	case f.TopLogprobs > 0:
		return fmt.Sprintf("yes (%d)", f.TopLogprobs)
	}
	return "yes"
}

func joinCaps(cs []llm.Capability) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}
