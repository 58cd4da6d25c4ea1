package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestFloorJSON(t *testing.T) {
	code, out, stderr := hallu(t, "floor", "--n", "1e6", "--sr", "0.2", "--min-errors", "364", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var env struct{ Result map[string]any }
	if err := json.Unmarshal([]byte(out), &env); err != nil {
		t.Fatal(err)
	}
	want := 0.2 - 2.0/364 - 6*math.Log(3e6/0.01)/1000
	if got, _ := env.Result["lower_bound"].(float64); math.Abs(got-want) > 1e-12 {
		t.Errorf("lower_bound = %v, want %v", got, want)
	}
	for _, k := range []string{"lower_bound", "lower_bound_99", "upper_bound", "mm_low", "mm_high", "kv_bound"} {
		if _, ok := env.Result[k]; !ok {
			t.Errorf("no key %q", k)
		}
	}
}

func TestFloorErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"floor", "--sr", "0.1", "--min-errors", "3"}, "--n is required"},
		{[]string{"floor", "--n", "1.5", "--sr", "0.1", "--min-errors", "3"}, "not a whole number"},
		{[]string{"floor", "--n", "100", "--sr", "2", "--min-errors", "3"}, "singleton rate 2 outside [0, 1]"},
		{[]string{"floor", "--n", "100", "--sr", "0.1", "--min-errors", "3", "--gamma", "0"}, "γ = 0 outside (0, 1]"},
	} {
		code, _, stderr := hallu(t, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("hallu %v: exit %d, %q; want exit 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}
