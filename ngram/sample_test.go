package ngram

import (
	"math"
	"slices"
	"testing"
)

func draws(m *Model, h []WordID, opt SampleOptions, n int) []float64 {
	freq := make([]float64, m.VocabSize())
	for i := range n {
		opt.Stream = uint64(i)
		w, _ := m.NewSampler(h, opt).Next()
		freq[w]++
	}
	for i := range freq {
		freq[i] /= float64(n)
	}
	return freq
}

// TestSampleFrequencies: the frequencies of many seeded draws match the
// tempered distribution p^(1/T)/Z within five standard errors.
func TestSampleFrequencies(t *testing.T) {
	m := train(t, 2, "a b a c. b a b! c c a? a a b.")
	h := []WordID{m.ID("a")}
	p := m.Dist(h, nil)
	const n = 20000
	for _, temp := range []float64{1, 0.5, 2} {
		want := make([]float64, len(p))
		var z float64
		for i, x := range p {
			want[i] = math.Pow(x, 1/temp)
			z += want[i]
		}
		got := draws(m, h, SampleOptions{Temperature: temp, Seed: 7}, n)
		for i := range want {
			want[i] /= z
			se := math.Sqrt(want[i] * (1 - want[i]) / n)
			if math.Abs(got[i]-want[i]) > 5*se+1e-9 {
				t.Errorf("T=%v: word %s drawn %.4f of the time, want %.4f ± %.4f", temp, m.Word(WordID(i)), got[i], want[i], 5*se)
			}
		}
	}
}

func TestSampleGreedyAndNucleus(t *testing.T) {
	m := train(t, 3, "the cat sat. the cat ran. the dog sat. the cat sat.")
	h := append(Start(), m.ID("the"))
	best := TopK(m.Dist(h, nil), 1)[0]
	if m.Word(best) != "cat" {
		t.Fatalf("most probable word after 'the' is %q, want cat", m.Word(best))
	}
	for _, opt := range []SampleOptions{{Temperature: 0}, {Temperature: 1, TopP: 1e-9}} {
		if got := draws(m, h, opt, 50); got[best] != 1 {
			t.Errorf("%+v: drew the most probable word %.2f of the time, want always", opt, got[best])
		}
	}
	// TopP 0.99 keeps most words but never the least probable ones.
	got := draws(m, h, SampleOptions{Temperature: 1, TopP: 0.5, Seed: 1}, 2000)
	p := m.Dist(h, nil)
	for i := range got {
		if got[i] > 0 && p[i] < 0.01 {
			t.Errorf("TopP 0.5 drew %s, whose probability is only %.4f", m.Word(WordID(i)), p[i])
		}
	}
}

func TestSamplerDeterministic(t *testing.T) {
	m := train(t, 3, "the cat sat on the mat. the dog sat on the log. a cat saw a dog.")
	run := func(seed, stream uint64) []WordID {
		s := m.NewSampler(Start(), SampleOptions{Temperature: 1, Seed: seed, Stream: stream})
		var out []WordID
		for range 40 {
			w, lp := s.Next()
			if lp != m.LogProb(s.hist[:len(s.hist)-1], w) {
				t.Fatalf("Next reported ln p %v, LogProb says %v", lp, m.LogProb(s.hist[:len(s.hist)-1], w))
			}
			out = append(out, w)
		}
		return out
	}
	if !slices.Equal(run(1, 2), run(1, 2)) {
		t.Error("the same seed drew different words")
	}
	if slices.Equal(run(1, 2), run(1, 3)) && slices.Equal(run(1, 2), run(2, 2)) {
		t.Error("different seeds drew the same 40 words")
	}
}

func TestTopK(t *testing.T) {
	dist := []float64{0.1, 0.3, 0.05, 0.3, 0.25}
	for _, c := range []struct {
		k    int
		want []WordID
	}{{0, nil}, {1, []WordID{1}}, {3, []WordID{1, 3, 4}}, {9, []WordID{1, 3, 4, 0, 2}}} {
		if got := TopK(dist, c.k); !slices.Equal(got, c.want) {
			t.Errorf("TopK(%d) = %v, want %v", c.k, got, c.want)
		}
	}
}

func TestSampleOptionsValidate(t *testing.T) {
	for _, o := range []SampleOptions{{Temperature: -1}, {Temperature: math.NaN()}, {Temperature: math.Inf(1)}, {TopP: 1.5}, {TopP: -0.1}} {
		if o.Validate() == nil {
			t.Errorf("%+v accepted", o)
		}
	}
	if err := (SampleOptions{Temperature: 2, TopP: 0.9}).Validate(); err != nil {
		t.Error(err)
	}
}
