package pipeline

// tallyFn reads the merged count of one prompt key and emits what it adds
// to its group's GroupCounts (see tallyKey), and, if its answers
// conflicted and conflict examples are wanted, its key.
type tallyFn struct {
	ShowConflicts int
}

func (f *tallyFn) ProcessElement(key, value []byte, emit func(string, int64), emitConflict func([]byte)) {
	_, group := splitKey(key)
	p := decodeCount(value)
	emit(tallyKey(p.Answered, group), 1)
	if p.Conflict {
		emit(tallyKey(conflictClass, group), 1)
		if f.ShowConflicts > 0 {
			emitConflict(key)
		}
	}
}

// lessKey orders prompt keys by their hashes, as audit picks the
// conflicting prompts it shows (audit.Hash128.Compare).
func lessKey(a, b []byte) bool {
	ha, _ := splitKey(a)
	hb, _ := splitKey(b)
	return ha.Compare(hb) < 0
}
