package report

import "runtime/debug"

// version is set at link time with -ldflags "-X github.com/hallu-dev/hallu/report.version=v1.2.3".
var version string

// Version returns hallu's version: the one set at link time, else the module
// version recorded in the binary, else "devel" with the VCS revision if known.
func Version() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "devel-" + s.Value[:12]
		}
	}
	return "devel"
}
