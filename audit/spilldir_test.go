package audit

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestSpillChild is not a test: it is the process that TestStaleSpillDirs
// kills while it holds a spill directory.
func TestSpillChild(t *testing.T) {
	parent := os.Getenv("HALLU_SPILL_CHILD")
	if parent == "" {
		t.Skip("run by TestStaleSpillDirs")
	}
	dir, _, err := makeSpillDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "shard-00"), make([]byte, 1<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("DIR " + dir + "\n")
	time.Sleep(time.Minute) // until killed
}

func TestStaleSpillDirs(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("flock(2) locking is tested on Linux and macOS")
	}
	parent := t.TempDir()

	// A run killed with SIGKILL while spilling.
	cmd := exec.Command(os.Args[0], "-test.run=^TestSpillChild$", "-test.v")
	cmd.Env = append(os.Environ(), "HALLU_SPILL_CHILD="+parent)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var killed string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if d, ok := strings.CutPrefix(sc.Text(), "DIR "); ok {
			killed = d
			break
		}
	}
	if killed == "" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("the child made no spill directory")
	}
	// While the child lives, its directory is not stale.
	if n, err := removeStaleSpills(parent); err != nil || n != 0 {
		t.Fatalf("with the owner alive: removed %d (%v), want 0", n, err)
	}
	cmd.Process.Kill() // SIGKILL: no deferred clean-up runs
	cmd.Wait()
	if _, err := os.Stat(filepath.Join(killed, "shard-00")); err != nil {
		t.Fatalf("the killed child's spill file should be left behind: %v", err)
	}

	// A live spill directory of this process, and one of another program.
	live, lock, err := makeSpillDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	foreign := filepath.Join(parent, "hallu-audit-foreign")
	os.Mkdir(foreign, 0o755)

	// A later run removes the killed one's directory, and only it.
	cfg := Config{Prompt: []string{"1"}, MemBytes: MinMem(1) + 1<<20, Workers: 1, TempDir: parent}
	res, err := Run(context.Background(), cfg, []Source{bytesSource("in.tsv", []byte("a\tb\n"))})
	if err != nil {
		t.Fatal(err)
	}
	if res.Run.StaleSpillsRemoved != 1 {
		t.Errorf("StaleSpillsRemoved = %d, want 1", res.Run.StaleSpillsRemoved)
	}
	if _, err := os.Stat(killed); !os.IsNotExist(err) {
		t.Errorf("the killed run's directory %s is still there (%v)", killed, err)
	}
	for _, d := range []string{live, foreign} {
		if _, err := os.Stat(d); err != nil {
			t.Errorf("%s was removed: %v", d, err)
		}
	}
}
