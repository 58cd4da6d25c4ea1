//go:build unix

package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The documentation's code blocks, as TestDocCommands reads them:
//
//   - ```sh blocks are commands: they must succeed.
//   - ```console blocks are transcripts: each line "$ CMD" (continued by a
//     trailing backslash) is a command, the lines up to the next "$ " its
//     standard output, which must be what the command prints now. A line "…"
//     stands for any number of lines, a line ending in " …" for any line
//     that starts with what comes before it.
//   - A block whose first line is "# needs: WHAT" is not run; WHAT is one of
//     docNeeds.
//   - Any other block (output of benchmarks, JSON, Go) is text.
//
// Each page runs top to bottom as one bash script (so a server started in
// one block serves the next) in a fresh copy of the repository's files,
// with a hallu built from this tree first on PATH.

// docNeeds are the things a block may need that the test does not have.
var docNeeds = map[string]bool{
	"endpoint":  true, // a hosted or remote model endpoint
	"data":      true, // public datasets downloaded first (docs/data.md)
	"cluster":   true, // a Flink or Spark cluster, Dataflow, Docker
	"network":   true, // a download from the internet
	"toolchain": true, // builds and tests with the go command (.ci/run runs them)
}

// docUpdate, when set in the environment, makes TestDocCommands rewrite
// each transcript's output with what the command prints now (those with an
// elision are only checked): HALLU_DOC_UPDATE=1 go test ./cmd/hallu -run TestDocCommands
const docUpdate = "HALLU_DOC_UPDATE"

type docCommand struct {
	cmd        string   // the shell command, continuation lines joined
	want       []string // the transcript's output lines
	line       int      // 1-based line of "$ " in the page
	outFrom    int      // 0-based line range [outFrom, outTo) of want in the page
	outTo      int
	transcript bool // compare the output with want
}

type docBlock struct {
	lang     string
	line     int // 1-based line of the opening fence
	needs    string
	body     []string
	commands []docCommand
}

var docNeedsRE = regexp.MustCompile(`^# needs: ([a-z-]+)`)

// docBlocks returns the runnable blocks of a page.
func docBlocks(page string, lines []string) ([]docBlock, error) {
	var blocks []docBlock
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if !strings.HasPrefix(l, "```") {
			continue
		}
		b := docBlock{lang: strings.TrimSpace(strings.TrimPrefix(l, "```")), line: i + 1}
		j := i + 1
		for ; j < len(lines) && lines[j] != "```"; j++ {
			b.body = append(b.body, lines[j])
		}
		if j == len(lines) {
			return nil, fmt.Errorf("%s:%d: code block never closed", page, b.line)
		}
		start := i + 1
		i = j
		if b.lang != "sh" && b.lang != "console" {
			continue
		}
		if len(b.body) > 0 {
			if m := docNeedsRE.FindStringSubmatch(b.body[0]); m != nil {
				if !docNeeds[m[1]] {
					return nil, fmt.Errorf("%s:%d: unknown need %q", page, b.line+1, m[1])
				}
				b.needs = m[1]
			}
		}
		if b.lang == "sh" {
			b.commands = []docCommand{{cmd: strings.Join(b.body, "\n"), line: b.line + 1}}
		} else {
			cmds, err := docTranscript(page, start, b.body)
			if err != nil {
				return nil, err
			}
			b.commands = cmds
		}
		blocks = append(blocks, b)
	}
	return blocks, nil
}

// docTranscript splits a console block (whose first line is page line
// start+1) into commands and their expected output.
func docTranscript(page string, start int, body []string) ([]docCommand, error) {
	var cmds []docCommand
	for k := 0; k < len(body); {
		if !strings.HasPrefix(body[k], "$ ") {
			if strings.HasPrefix(body[k], "# needs:") && k == 0 {
				k++
				continue
			}
			return nil, fmt.Errorf("%s:%d: transcript output before any \"$ \" command", page, start+k+1)
		}
		c := docCommand{line: start + k + 1, transcript: true}
		cmd := strings.TrimPrefix(body[k], "$ ")
		k++
		for strings.HasSuffix(cmd, "\\") && k < len(body) {
			cmd += "\n" + body[k]
			k++
		}
		c.cmd = cmd
		c.outFrom = start + k
		for k < len(body) && !strings.HasPrefix(body[k], "$ ") {
			c.want = append(c.want, body[k])
			k++
		}
		c.outTo = start + k
		cmds = append(cmds, c)
	}
	return cmds, nil
}

// docMarker separates the commands' outputs in the script's standard output.
const docMarker = "\x1ehallu-doc-command-"

// docScript is the page as one bash script: stop at the first failure,
// and print a marker before each command.
func docScript(blocks []docBlock) (string, []*docCommand) {
	var sb strings.Builder
	sb.WriteString("set -e\n")
	var order []*docCommand
	for bi := range blocks {
		b := &blocks[bi]
		if b.needs != "" {
			continue
		}
		for ci := range b.commands {
			c := &b.commands[ci]
			fmt.Fprintf(&sb, "printf '\\n%s%d\\n'\n", docMarker, len(order))
			fmt.Fprintf(&sb, "printf 'line %d\\n' >&2\n", c.line)
			sb.WriteString(c.cmd)
			sb.WriteString("\n")
			order = append(order, c)
		}
	}
	fmt.Fprintf(&sb, "printf '\\n%s%d\\n'\n", docMarker, len(order))
	return sb.String(), order
}

// docMatch reports whether got is what want shows: equal lines, where a
// line "…" in want stands for any number of lines.
func docMatch(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if want[0] == "…" {
		for i := 0; i <= len(got); i++ {
			if docMatch(want[1:], got[i:]) {
				return true
			}
		}
		return false
	}
	if len(got) == 0 {
		return false
	}
	if prefix, ok := strings.CutSuffix(want[0], " …"); ok {
		return strings.HasPrefix(got[0], prefix) && docMatch(want[1:], got[1:])
	}
	return got[0] == want[0] && docMatch(want[1:], got[1:])
}

// docElided reports whether want elides anything, so that it cannot be
// rewritten from one run's output.
func docElided(want []string) bool {
	for _, l := range want {
		if l == "…" || strings.HasSuffix(l, " …") {
			return true
		}
	}
	return false
}

func trimLines(s string) []string {
	s = strings.Trim(s, "\n")
	if s == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return lines
}

// TestDocCommands runs the commands of README.md and docs/*.md as a new
// user would on a fresh clone, and checks each transcript's output.
func TestDocCommands(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not found")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	pages, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	sort.Strings(pages)
	pages = append([]string{filepath.Join(root, "README.md")}, pages...)

	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	build := exec.Command(goCommand(), "build", "-o", filepath.Join(bin, "hallu"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	files := repoFiles(t, root)

	for _, page := range pages {
		rel, _ := filepath.Rel(root, page)
		t.Run(rel, func(t *testing.T) {
			src, err := os.ReadFile(page)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(src), "\n")
			for i, l := range lines {
				// Users cite the paper as published, not the team's notes on it.
				if strings.Contains(l, "paper.md") || strings.Contains(l, "§") {
					t.Errorf("%s:%d: cite arXiv:2509.04664's sections, theorems and equations, not paper.md: %s", rel, i+1, l)
				}
			}
			blocks, err := docBlocks(rel, lines)
			if err != nil {
				t.Fatal(err)
			}
			script, order := docScript(blocks)
			if len(order) == 0 {
				return
			}
			if strings.Contains(script, "curl ") {
				if _, err := exec.LookPath("curl"); err != nil {
					t.Skip("the page's commands use curl, which is not installed")
				}
			}
			if strings.Contains(script, "hallu serve") {
				// The page's server must be the one that answers.
				ln, err := net.Listen("tcp", "127.0.0.1:8080")
				if err != nil {
					t.Fatalf("the page starts hallu serve on 127.0.0.1:8080, which is taken: %v", err)
				}
				ln.Close()
			}
			dir := filepath.Join(t.TempDir(), "hallu")
			copyFiles(t, root, dir, files)
			stdout, stderr := runDocScript(t, bash, dir, bin, script)

			parts := strings.Split(stdout, docMarker)
			update := os.Getenv(docUpdate) != ""
			type edit struct {
				c   *docCommand
				got []string
			}
			var edits []edit
			if len(parts) < len(order)+2 { // the command after the last marker failed
				c := order[len(parts)-2]
				t.Fatalf("%s:%d: %s\nfailed; stderr:\n%s", rel, c.line, c.cmd, tail(stderr, 40))
			}
			for i, c := range order {
				_, out, _ := strings.Cut(parts[i+1], "\n")
				got := trimLines(out)
				if !c.transcript || docMatch(c.want, got) {
					continue
				}
				if update && !docElided(c.want) {
					edits = append(edits, edit{c, got})
					continue
				}
				t.Errorf("%s:%d: $ %s\nprints:\n%s\nthe page shows:\n%s", rel, c.line, c.cmd, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			if len(edits) == 0 {
				return
			}
			for i := len(edits) - 1; i >= 0; i-- { // from the end, so earlier ranges stay valid
				e := edits[i]
				lines = append(lines[:e.c.outFrom], append(e.got, lines[e.c.outTo:]...)...)
			}
			if err := os.WriteFile(page, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d transcripts updated", rel, len(edits))
		})
	}
}

// runDocScript runs script with bash in dir, hallu's directory first on
// PATH and caches in a temporary directory, and returns its output. The
// script's process group is killed when it ends, so that a server a page
// started in the background stops with it.
func runDocScript(t *testing.T, bash, dir, bin, script string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	outF, err := os.CreateTemp(t.TempDir(), "stdout")
	if err != nil {
		t.Fatal(err)
	}
	errF, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, bash, "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"XDG_CACHE_HOME="+filepath.Join(t.TempDir(), "cache"),
		"GOCACHE="+goBuildCache(t), // hallu's caches start empty; Go's build cache need not
		"NO_COLOR=1")
	cmd.Stdout, cmd.Stderr = outF, errF
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	runErr := cmd.Run()
	stopGroup(t, cmd.Process.Pid)
	if ctx.Err() != nil {
		t.Errorf("the page's commands took over 5 minutes")
	}
	_ = runErr // a failure shows as a missing marker, which names the command
	stdout, _ := os.ReadFile(outF.Name())
	stderr, _ := os.ReadFile(errF.Name())
	outF.Close()
	errF.Close()
	return string(stdout), string(stderr)
}

// goBuildCache is the Go build cache the test itself uses, so that the
// pages' `go test` and `go build` commands do not rebuild every package
// under the fresh XDG_CACHE_HOME that hallu's caches get.
func goBuildCache(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		t.Fatalf("go env GOCACHE: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// stopGroup ends what is left of process group pgid (a server a page
// started) and waits until it is gone, so that the next page finds its
// port free.
func stopGroup(t *testing.T, pgid int) {
	t.Helper()
	sig := syscall.SIGTERM
	for deadline := time.Now().Add(10 * time.Second); ; {
		if err := syscall.Kill(-pgid, sig); err != nil {
			return // ESRCH: no process left
		}
		if time.Now().After(deadline) {
			if sig == syscall.SIGKILL {
				t.Errorf("process group %d survives SIGKILL", pgid)
				return
			}
			sig, deadline = syscall.SIGKILL, time.Now().Add(5*time.Second)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// goCommand is the go command on PATH, else the one in the go env's GOROOT.
func goCommand() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(os.Getenv("GOROOT"), "bin", "go")
}

// repoFiles lists the files of a fresh clone: git's tracked files when root
// is a git work tree, else every regular file outside .git.
func repoFiles(t *testing.T, root string) []string {
	t.Helper()
	if out, err := exec.Command("git", "-C", root, "ls-files", "-z").Output(); err == nil && len(out) > 0 {
		var files []string
		for _, f := range bytes.Split(bytes.TrimRight(out, "\x00"), []byte{0}) {
			files = append(files, string(f))
		}
		return files
	}
	var files []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(root, p)
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func copyFiles(t *testing.T, from, to string, files []string) {
	t.Helper()
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(from, f))
		if os.IsNotExist(err) {
			continue // deleted in the work tree, not yet in git
		}
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(to, f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
