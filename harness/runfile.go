package harness

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hallu-dev/hallu/evallog"
	"github.com/hallu-dev/hallu/internal/atomicfile"
	"github.com/hallu-dev/hallu/score"
)

// A RunFile is the JSONL file a run streams its graded samples to, one
// score.Sample per line in the format evallog.ReadRun reads (what `hallu
// score` reads). Records are appended in batches, each batch fsynced
// before the run counts it done, so a run stopped at any point — Ctrl-C,
// SIGKILL, power loss — leaves every record it counted, and at worst a
// partial last line, which the next OpenRunFile removes.
//
// A record is final: a question is asked again only if the file has no
// record for its (model, id, target). A request that failed leaves no
// record. One process at a time may append to a run file; a lock file in
// the user's cache directory (lockPath) enforces that.
type RunFile struct {
	path string
	f    *os.File
	lock *os.File
	w    *evallog.RunWriter
	done map[jobKey]bool

	// What opening found: records already in the file, bytes of an
	// incomplete last line removed, and invalid records removed to be
	// asked again (OpenRunFile's retryInvalid, and records of failed
	// requests that earlier versions wrote).
	Records, TornBytes, Dropped int
}

// jobKey names one question asked of one model under one target.
type jobKey struct {
	model, id string
	target    float64
	hasTarget bool
}

func keyOf(s *score.Sample) jobKey {
	k := jobKey{model: s.Model, id: s.ID}
	if s.Target != nil {
		k.target, k.hasTarget = *s.Target, true
	}
	return k
}

// OpenRunFile opens the run file at path for appending, creating it if
// needed, and reads the records it holds. With retryInvalid, invalid
// records are removed (the file is rewritten atomically) so that their
// questions are asked again.
func OpenRunFile(path string, retryInvalid bool) (_ *RunFile, err error) {
	lock, err := os.OpenFile(lockPath(path), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			lock.Close()
		}
	}()
	if err := lockFile(lock); err != nil {
		return nil, fmt.Errorf("run file %s: %w", path, err)
	}
	rf := &RunFile{path: path, lock: lock, done: map[jobKey]bool{}}
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	data, rewrite, err := rf.load(data, retryInvalid)
	if err != nil {
		return nil, err
	}
	if rewrite {
		if err := atomicfile.Write(path, func(f *os.File) error { _, err := f.Write(data); return err }); err != nil {
			return nil, err
		}
	}
	rf.f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := rf.f.Truncate(int64(len(data))); err != nil { // only ever cuts a torn last line
		rf.f.Close()
		return nil, err
	}
	if _, err := rf.f.Seek(0, io.SeekEnd); err != nil {
		rf.f.Close()
		return nil, err
	}
	rf.w = evallog.NewRunWriter(rf.f)
	return rf, nil
}

// load reads the records of data and returns the content the file should
// have: without a torn last line, and without invalid records when they
// are to be retried. rewrite is true when records were removed.
func (rf *RunFile) load(data []byte, retryInvalid bool) (_ []byte, rewrite bool, _ error) {
	cut := bytes.LastIndexByte(data, '\n') + 1
	if tail := bytes.TrimSpace(data[cut:]); len(tail) > 0 {
		complete := false
		_, err := evallog.ReadRun(bytes.NewReader(tail), rf.path, func(s *score.Sample) error {
			complete = s.ID != "" && s.Outcome != score.Ungraded
			return nil
		})
		if err == nil && complete {
			data = append(data[:len(data):len(data)], '\n') // complete but for its newline: keep it
			cut = len(data)
		}
	}
	rf.TornBytes = len(data) - cut
	data = data[:cut]
	drop := map[int]bool{}
	_, err := evallog.ReadRun(bytes.NewReader(data), rf.path, func(s *score.Sample) error {
		if s.Outcome == score.Invalid && (retryInvalid || failedRequest(s)) {
			drop[s.Source.Line] = true
			return nil
		}
		k := keyOf(s)
		if rf.done[k] {
			return fmt.Errorf("%s: a second record for question %q of model %q at target %v", s.Source, s.ID, s.Model, k.target)
		}
		rf.done[k] = true
		rf.Records++
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	if len(drop) == 0 {
		return data, false, nil
	}
	var kept []byte
	for line, rest := 1, data; len(rest) > 0; line++ {
		i := bytes.IndexByte(rest, '\n') + 1
		if !drop[line] {
			kept = append(kept, rest[:i]...)
		}
		rest = rest[i:]
	}
	rf.Dropped = len(drop)
	return kept, true, nil
}

// failedRequest reports whether s records a request that got no answer:
// one the endpoint rejected (Run), or, from earlier versions of hallu, one
// that failed (an unreachable endpoint, a 401, an unknown model). It holds
// no answer, so the pair is asked again.
func failedRequest(s *score.Sample) bool {
	return strings.HasPrefix(s.Reason, rejectedReason) || strings.HasPrefix(s.Reason, "grader failed: judge: ")
}

// Done reports whether the file had, when opened, a record for question
// id asked of model under target t.
func (rf *RunFile) Done(model, id string, t float64) bool {
	return rf.done[jobKey{model: model, id: id, target: t, hasTarget: true}]
}

// Append writes samples as one batch and syncs the file: when Append
// returns nil they are on disk.
func (rf *RunFile) Append(samples []*score.Sample) error {
	for _, s := range samples {
		if err := rf.w.Write(s); err != nil {
			return fmt.Errorf("run file %s: %w", rf.path, err)
		}
	}
	if err := rf.w.Flush(); err != nil {
		return fmt.Errorf("run file %s: %w", rf.path, err)
	}
	if err := rf.f.Sync(); err != nil {
		return fmt.Errorf("run file %s: %w", rf.path, err)
	}
	return nil
}

// Close closes the file and releases its lock.
func (rf *RunFile) Close() error {
	return errors.Join(rf.f.Close(), rf.lock.Close())
}
