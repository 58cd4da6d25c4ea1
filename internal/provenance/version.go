package provenance

import (
	"runtime/debug"
	"strings"
)

// version is set at link time with -ldflags "-X github.com/hallu-dev/hallu/internal/provenance.version=v1.2.3".
var version string

// Build is what a hallu binary records of its own build.
type Build struct {
	// Version is the version set at link time, else the module version
	// (set by go install …@version), else "" (a build from a checkout).
	Version string
	// Revision, Time and Modified are the VCS revision, its commit time
	// and whether the work tree had uncommitted changes, as the go command
	// stamps them when it builds from a git checkout ("" and false when it
	// did not: -buildvcs=false, or no checkout).
	Revision, Time string
	Modified       bool
	// Go is the Go release that built the binary.
	Go string
}

// ReadBuild reads the running binary's Build.
func ReadBuild() Build {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return Build{Version: version}
	}
	return buildOf(info)
}

// buildOf extracts a Build from the go command's build information.
func buildOf(info *debug.BuildInfo) Build {
	b := Build{Version: version, Go: info.GoVersion}
	if v := info.Main.Version; b.Version == "" && v != "" && v != "(devel)" {
		b.Version = v
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

// Version returns hallu's version in one word, as reports and JSON carry
// it: the release version, else "devel+" and the first 12 hex digits of the
// commit (with "-modified" if the work tree had changes), else "devel" when
// the binary records neither.
func Version() string { return ReadBuild().Short() }

// Short is b in one word; see Version.
func (b Build) Short() string {
	switch {
	case b.Version != "":
		return b.Version
	case b.Revision != "":
		s := "devel+" + b.Revision[:min(12, len(b.Revision))]
		if b.Modified {
			s += "-modified"
		}
		return s
	}
	return "devel"
}

// Long describes b in a sentence or two, saying what the binary does not
// record and why.
func (b Build) Long() string {
	var s strings.Builder
	s.WriteString(b.Short())
	if b.Revision != "" {
		s.WriteString("\ncommit " + b.Revision)
		if b.Time != "" {
			s.WriteString(" of " + b.Time)
		}
		if b.Modified {
			s.WriteString(", with uncommitted changes")
		}
	} else if b.Version == "" {
		s.WriteString("\nno version or commit recorded: built from source without VCS stamping " +
			"(outside a git checkout, or with -buildvcs=false); `go build ./cmd/hallu` in a git clone records the commit")
	}
	if b.Go != "" {
		s.WriteString("\nbuilt with " + b.Go)
	}
	return s.String()
}
