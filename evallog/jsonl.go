package evallog

import (
	"bytes"
	"io"
	"runtime"
	"sync"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/hallu-dev/hallu/score"
)

// readJSONL reads one JSON object per line, mapping keys by opt.Map. It is
// the hot path of `hallu score` on large run files: lines are parsed in
// batches by one worker per CPU (the flat common case without reflection,
// see fastLine) and handed to fn in file order.
func readJSONL(r io.Reader, name string, opt Options, st *Stats, fn func(*score.Sample) error) error {
	names := opt.Map.orDefault().names()
	var keys [nFields][]byte
	for i, k := range names {
		if k != "" {
			keys[i], _ = jsontext.AppendQuote(nil, k)
		}
	}
	work := make(chan *lineBatch, 4)
	ordered := make(chan *lineBatch, 8)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := newLineParser(opt, &keys)
			for b := range work {
				p.parse(b, name)
				close(b.done)
			}
		}()
	}
	var readErr error
	go func() { // the reader: cuts the input into batches of lines
		defer close(ordered)
		defer close(work)
		sc := opt.Limits.newScanner(r)
		b := newLineBatch()
		line := 0
		send := func() bool {
			select {
			case work <- b:
			case <-stop:
				return false
			}
			select {
			case ordered <- b:
			case <-stop:
				return false
			}
			b = newLineBatch()
			return true
		}
		for sc.Scan() {
			line++
			raw := bytes.TrimSpace(sc.Bytes())
			if len(raw) == 0 {
				continue
			}
			b.buf = append(b.buf, raw...)
			b.ends = append(b.ends, len(b.buf))
			b.lines = append(b.lines, line)
			if len(b.ends) == batchLines || len(b.buf) >= batchBytes {
				if !send() {
					return
				}
			}
		}
		if err := sc.Err(); err != nil {
			readErr = opt.Limits.scanError(name, line+1, err)
		}
		if len(b.ends) > 0 {
			send()
		}
	}()
	err := func() error {
		for b := range ordered {
			<-b.done
			for i := range b.ends {
				if e := b.errs[i]; e != nil {
					if err := st.bad(opt.SkipBad, e); err != nil {
						return err
					}
					continue
				}
				st.Samples++
				if err := fn(&b.samples[i]); err != nil {
					return err
				}
			}
		}
		return nil
	}()
	if err != nil {
		close(stop)
		for range ordered { // let the reader finish
		}
	}
	wg.Wait()
	if err != nil {
		return err
	}
	return readErr // read after the reader closed ordered
}

const (
	batchLines = 4096
	batchBytes = 4 << 20
)

// lineBatch is a run of input lines and, once done is closed, their
// samples or errors.
type lineBatch struct {
	buf     []byte
	ends    []int // end offset in buf of each line
	lines   []int // line number of each line
	samples []score.Sample
	errs    []*Error
	floats  []float64 // storage for the samples' confidences and targets
	golds   []string  // storage for the samples' golds
	done    chan struct{}
}

func newLineBatch() *lineBatch { return &lineBatch{done: make(chan struct{})} }

// lineParser is one worker's decoding state.
type lineParser struct {
	b     sampleBuilder
	keys  *[nFields][]byte
	names [nFields]string
	rd    bytes.Reader
	dec   *jsontext.Decoder
	unq   []byte
}

func newLineParser(opt Options, keys *[nFields][]byte) *lineParser {
	p := &lineParser{b: sampleBuilder{opt: opt}, keys: keys, names: opt.Map.orDefault().names()}
	p.dec = jsontext.NewDecoder(&p.rd, lenient)
	return p
}

func (p *lineParser) str(v jsontext.Value) (string, bool) {
	if v.Kind() != '"' {
		return "", false
	}
	var err error
	p.unq, err = jsontext.AppendUnquote(p.unq[:0], v)
	return string(p.unq), err == nil
}

// parse decodes every line of b.
func (p *lineParser) parse(b *lineBatch, name string) {
	n := len(b.ends)
	b.samples = make([]score.Sample, n)
	b.errs = make([]*Error, n)
	b.floats = make([]float64, 2*n)
	start := 0
	for i, end := range b.ends {
		raw := b.buf[start:end]
		start = end
		p.b.reset()
		if !p.b.fastLine(raw, p.keys) {
			p.b.reset()
			if field, err := p.b.jsonLine(p.dec, &p.rd, raw, p.keys, p.str); err != nil {
				e := &Error{File: name, Line: b.lines[i], Err: err}
				if field >= 0 {
					e.Field = p.names[field]
				}
				b.errs[i] = e
				continue
			}
		}
		s := p.b.finish(score.Source{File: name, Line: b.lines[i]})
		// Copy out of the reused builder into storage owned by the batch.
		b.samples[i] = *s
		g := len(b.golds)
		b.golds = append(b.golds, s.Golds...)
		b.samples[i].Golds = b.golds[g:len(b.golds):len(b.golds)]
		if s.Confidence != nil {
			b.floats[2*i] = *s.Confidence
			b.samples[i].Confidence = &b.floats[2*i]
		}
		if s.Target != nil {
			b.floats[2*i+1] = *s.Target
			b.samples[i].Target = &b.floats[2*i+1]
		}
	}
	b.buf = nil // the lines are no longer needed
}
