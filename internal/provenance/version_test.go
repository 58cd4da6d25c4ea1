package provenance

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestBuild(t *testing.T) {
	setting := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	const rev = "646233f0dd660c2a040aa9ce0fa031475cbd86fd"
	for _, tc := range []struct {
		name  string
		info  debug.BuildInfo
		short string
		long  []string
	}{
		{"go install @version", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.3.0"}},
			"v0.3.0", []string{"v0.3.0\nbuilt with go1.26.8"}},
		{"clone, clean", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"},
			Settings: setting("vcs", "git", "vcs.revision", rev, "vcs.time", "2026-12-05T08:57:05Z", "vcs.modified", "false")},
			"devel+646233f0dd66", []string{"commit " + rev + " of 2026-12-05T08:57:05Z\n"}},
		{"clone, modified", debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: setting("vcs.revision", rev, "vcs.modified", "true")},
			"devel+646233f0dd66-modified", []string{"commit " + rev + ", with uncommitted changes"}},
		{"no stamping", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: setting("-buildmode", "exe")},
			"devel", []string{"no version or commit recorded", "-buildvcs=false"}},
	} {
		b := buildOf(&tc.info)
		if got := b.Short(); got != tc.short {
			t.Errorf("%s: Short() = %q, want %q", tc.name, got, tc.short)
		}
		for _, w := range tc.long {
			if got := b.Long(); !strings.Contains(got, w) {
				t.Errorf("%s: Long() = %q, lacks %q", tc.name, got, w)
			}
		}
	}
	// A version set at link time wins over the module's.
	version = "v9.9.9"
	defer func() { version = "" }()
	if got := buildOf(&debug.BuildInfo{Main: debug.Module{Version: "v0.3.0"}}).Short(); got != "v9.9.9" {
		t.Errorf("link-time version: %q", got)
	}
}
