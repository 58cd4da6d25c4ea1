package provenance

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"io"
)

// SchemaVersion is the version of hallu's JSON output. It changes when a key
// is renamed or removed or its meaning changes; added keys do not change it.
const SchemaVersion = 1

// Envelope wraps every JSON result hallu prints, so that each number can be
// reproduced: which tool produced it, from which inputs, with which
// parameters and seeds.
type Envelope struct {
	Schema     int            `json:"schema"`
	Tool       string         `json:"tool"`
	Version    string         `json:"version"`
	Command    string         `json:"command"`
	Inputs     []Input        `json:"inputs,omitempty"`
	Parameters map[string]any `json:"parameters,omitempty"`
	Result     any            `json:"result"`
}

// Input names one input file and the sha256 of its bytes as read.
type Input struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

// NewEnvelope returns an Envelope for command with the current tool version.
func NewEnvelope(command string, params map[string]any, result any, inputs ...Input) Envelope {
	return Envelope{
		Schema:     SchemaVersion,
		Tool:       "hallu",
		Version:    Version(),
		Command:    command,
		Inputs:     inputs,
		Parameters: params,
		Result:     result,
	}
}

// WriteJSON writes v as indented JSON followed by a newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// HashingReader passes reads through and hashes the bytes read, for inputs
// that can be read only once (standard input, pipes).
type HashingReader struct {
	r    io.Reader
	h    hash.Hash
	n    int64
	path string
}

// NewHashingReader returns a reader that hashes what is read from r.
func NewHashingReader(path string, r io.Reader) *HashingReader {
	return &HashingReader{r: r, h: sha256.New(), path: path}
}

func (hr *HashingReader) Read(p []byte) (int, error) {
	n, err := hr.r.Read(p)
	hr.h.Write(p[:n])
	hr.n += int64(n)
	return n, err
}

// Input returns the record of everything read so far.
func (hr *HashingReader) Input() Input {
	return Input{Path: hr.path, SHA256: hex.EncodeToString(hr.h.Sum(nil)), Bytes: hr.n}
}
