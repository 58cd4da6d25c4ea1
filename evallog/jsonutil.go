package evallog

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// lenient are the decoding options for logs written by other tools: they
// may repeat a member name or carry invalid UTF-8, and neither should cost
// the user their log.
var lenient = json.JoinOptions(jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))

// unmarshal decodes one JSON value leniently, retrying once with Python's
// bare NaN/Infinity tokens (which json.dumps writes and lm-eval logs carry)
// read as null.
func unmarshal(b []byte, v any) error {
	return unmarshalNonFinite(b, v, false)
}

// unmarshalPython is unmarshal with the bare tokens read as the strings
// "NaN", "Infinity" and "-Infinity", for values that must be told apart
// from a missing one (an lm-eval log-likelihood of NaN is an error to
// report as such).
func unmarshalPython(b []byte, v any) error {
	return unmarshalNonFinite(b, v, true)
}

func unmarshalNonFinite(b []byte, v any, quote bool) error {
	err := json.Unmarshal(b, v, lenient)
	if err == nil {
		return nil
	}
	if fixed, ok := replaceNonFinite(b, quote); ok {
		if json.Unmarshal(fixed, v, lenient) == nil {
			return nil
		}
	}
	return err
}

// replaceNonFinite replaces the bare tokens NaN, Infinity and -Infinity
// outside strings with null, or with themselves quoted as strings,
// reporting whether it replaced any.
func replaceNonFinite(b []byte, quote bool) ([]byte, bool) {
	var out []byte
	inStr, esc, changed := false, false, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			out = append(out, c)
			continue
		}
		if c == '"' {
			inStr = true
			out = append(out, c)
			continue
		}
		replaced := false
		for _, tok := range [...]string{"-Infinity", "Infinity", "NaN"} {
			if bytes.HasPrefix(b[i:], []byte(tok)) {
				if quote {
					out = append(append(append(out, '"'), tok...), '"')
				} else {
					out = append(out, "null"...)
				}
				i += len(tok) - 1
				replaced, changed = true, true
				break
			}
		}
		if !replaced {
			out = append(out, c)
		}
	}
	return out, changed
}

// jstring returns v as a string if it is a JSON string.
func jstring(v jsontext.Value) (string, bool) {
	if v.Kind() != '"' {
		return "", false
	}
	var s string
	if json.Unmarshal(v, &s, lenient) != nil {
		return "", false
	}
	return s, true
}

// jnumber returns v as a float64 if it is a JSON number or a string holding
// one (lm-eval writes log-likelihoods as strings).
func jnumber(v jsontext.Value) (float64, bool) {
	switch v.Kind() {
	case '0':
		f, err := strconv.ParseFloat(string(v), 64)
		return f, err == nil
	case '"':
		s, _ := jstring(v)
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil
	}
	return 0, false
}

// jtext returns a JSON scalar as text: strings as they are, numbers and
// booleans as written; ok is false for null, arrays and objects.
func jtext(v jsontext.Value) (string, bool) {
	switch v.Kind() {
	case '"':
		return jstring(v)
	case '0', 't', 'f':
		return string(v), true
	}
	return "", false
}

// jstrings returns a string or an array of scalars as a list of strings.
func jstrings(v jsontext.Value) ([]string, error) {
	switch v.Kind() {
	case 'n', 0:
		return nil, nil
	case '[':
		var raw []jsontext.Value
		if err := json.Unmarshal(v, &raw, lenient); err != nil {
			return nil, err
		}
		out := make([]string, 0, len(raw))
		for _, r := range raw {
			s, ok := jtext(r)
			if !ok {
				return nil, fmt.Errorf("list item %s is not a string or number", abbrev(r))
			}
			out = append(out, s)
		}
		return out, nil
	}
	if s, ok := jtext(v); ok {
		return []string{s}, nil
	}
	return nil, fmt.Errorf("%s is not a string or a list of strings", abbrev(v))
}

// members calls fn for each member of a JSON object, in document order.
func members(v jsontext.Value, fn func(name string, val jsontext.Value) error) error {
	if v.Kind() != '{' {
		return fmt.Errorf("%s is not an object", abbrev(v))
	}
	dec := jsontext.NewDecoder(bytes.NewReader(v), lenient)
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		name := tok.String() // before the next read voids tok
		val, err := dec.ReadValue()
		if err != nil {
			return err
		}
		if err := fn(name, val); err != nil {
			return err
		}
	}
	return nil
}

// abbrev shortens a JSON value for an error message.
func abbrev(v jsontext.Value) string {
	s := string(v)
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	if s == "" {
		return "(missing)"
	}
	return s
}
