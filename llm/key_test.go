package llm

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"pgregory.net/rapid"
)

// jsonValue draws a JSON tree of bounded depth.
func jsonValue(depth int) *rapid.Generator[any] {
	return rapid.Custom(func(t *rapid.T) any {
		kind := rapid.IntRange(0, 5).Draw(t, "kind")
		if depth == 0 {
			kind = rapid.IntRange(0, 3).Draw(t, "leaf")
		}
		switch kind {
		case 0:
			return rapid.String().Draw(t, "s")
		case 1:
			return rapid.Float64().Draw(t, "f")
		case 2:
			return rapid.Bool().Draw(t, "b")
		case 3:
			return nil
		case 4:
			return rapid.SliceOfN(jsonValue(depth-1), 0, 4).Draw(t, "a")
		}
		return rapid.MapOfN(rapid.String(), jsonValue(depth-1), 0, 5).Draw(t, "o")
	})
}

// TestCanonicalJSONProperty: canonical bytes decode to the same value,
// are a fixed point, and do not depend on how the input was spelled
// (key order, spacing).
func TestCanonicalJSONProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := jsonValue(3).Draw(t, "v")
		c1, err := canonicalJSON(v)
		if err != nil {
			t.Skip("not representable:", err) // NaN/Inf floats
		}
		c2, err := canonicalJSON(json.RawMessage(c1))
		if err != nil || !bytes.Equal(c1, c2) {
			t.Fatalf("not a fixed point: %s vs %s (%v)", c1, c2, err)
		}
		var indented bytes.Buffer
		json.Indent(&indented, c1, "", "   ")
		if c3, _ := canonicalJSON(json.RawMessage(indented.Bytes())); !bytes.Equal(c1, c3) {
			t.Fatalf("spacing changed the canonical form: %s vs %s", c1, c3)
		}
		var a, b any
		json.Unmarshal(c1, &a)
		raw, _ := json.Marshal(v)
		json.Unmarshal(raw, &b)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("canonical form %s decodes to %v, want %v", c1, a, b)
		}
	})
}

func TestCanonicalJSONSortsKeys(t *testing.T) {
	got, err := canonicalJSON(json.RawMessage(`{"z":1,"a":{"y":[1,2.50,"<&>"],"b":null}}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"a":{"b":null,"y":[1,2.50,"<&>"]},"z":1}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestRequestKeyProperty: the key separates every field, so distinct
// requests never share a key through concatenation.
func TestRequestKeyProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m1, m2 := rapid.SampledFrom([]string{"POST", "GET"}).Draw(t, "m1"), rapid.SampledFrom([]string{"POST", "GET"}).Draw(t, "m2")
		e1, e2 := rapid.String().Draw(t, "e1"), rapid.String().Draw(t, "e2")
		b1, b2 := rapid.SliceOf(rapid.Byte()).Draw(t, "b1"), rapid.SliceOf(rapid.Byte()).Draw(t, "b2")
		d1, d2 := rapid.IntRange(-2, 2).Draw(t, "d1"), rapid.IntRange(-2, 2).Draw(t, "d2")
		same := m1 == m2 && e1 == e2 && bytes.Equal(b1, b2) && d1 == d2
		if (RequestKey(m1, e1, b1, d1) == RequestKey(m2, e2, b2, d2)) != same {
			t.Fatalf("keys of (%q %q %q %d) and (%q %q %q %d): equal=%v", m1, e1, b1, d1, m2, e2, b2, d2, !same)
		}
	})
}

// TestKeyIgnoresAPIKey: two clients with different keys compute the same
// cache key for the same request.
func TestKeyIgnoresAPIKey(t *testing.T) {
	fs := newFaultServer(t)
	var keys []Key
	for _, k := range []string{"sk-one", "sk-two", ""} {
		c := testClient(t, fs, func(cfg *Config) { cfg.APIKey = k })
		resp, err := c.Chat(t.Context(), chatReq("same"))
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, resp.Meta.Key)
	}
	if keys[0] != keys[1] || keys[1] != keys[2] {
		t.Errorf("keys differ with the API key: %v", keys)
	}
}
