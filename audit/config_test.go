package audit

import (
	"errors"
	"slices"
	"testing"
)

// configOptions returns the Option of every ConfigError joined in err.
func configOptions(err error) []string {
	var out []string
	var walk func(error)
	walk = func(err error) {
		var ce *ConfigError
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
		} else if errors.As(err, &ce) {
			out = append(out, ce.Option)
		}
	}
	walk(err)
	return out
}

// TestConfigErrors checks that Validate names the field of Config that is
// wrong, one ConfigError per wrong field, so that a command can name its
// flag.
func TestConfigErrors(t *testing.T) {
	ok := Config{Prompt: []string{"1"}}
	for _, tc := range []struct {
		name string
		edit func(*Config)
		want []string
	}{
		{"valid", func(*Config) {}, nil},
		{"no prompt", func(c *Config) { c.Prompt = nil }, []string{"Prompt"}},
		{"abstentions without answers", func(c *Config) { c.IDK = []string{"idk"} }, []string{"IDK"}},
		{"counts with columns", func(c *Config) { c.Kind = Counted }, []string{"Kind"}},
		{"unknown kind", func(c *Config) { c.Kind = "bogus" }, []string{"Kind"}},
		{"unknown format", func(c *Config) { c.Format = "xml" }, []string{"Format"}},
		{"γ = 1", func(c *Config) { c.Gamma = 1 }, []string{"Gamma"}},
		{"γ < 0", func(c *Config) { c.Gamma = -0.5 }, []string{"Gamma"}},
		{"one answer", func(c *Config) { c.Answers = 1 }, []string{"Answers"}},
		{"a group of one answer", func(c *Config) { c.GroupAnswers = map[string]int64{"b": 1, "a": 0} }, []string{"GroupAnswers", "GroupAnswers"}},
		{"δ > 1", func(c *Config) { c.Delta = 2 }, []string{"Delta"}},
		{"negatives", func(c *Config) { c.ShowConflicts, c.MemBytes, c.Workers, c.MaxRecord = -1, -1, -1, -1 },
			[]string{"ShowConflicts", "MemBytes", "Workers", "MaxRecord"}},
		{"several", func(c *Config) { c.Prompt, c.Gamma, c.Delta = nil, 7, -1 }, []string{"Prompt", "Gamma", "Delta"}},
	} {
		c := ok
		tc.edit(&c)
		err := c.Validate()
		if got := configOptions(err); !slices.Equal(got, tc.want) {
			t.Errorf("%s: Validate() = %v: options %q, want %q", tc.name, err, got, tc.want)
		}
	}
}
