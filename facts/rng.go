package facts

import "math/rand/v2"

// Random streams. Every random quantity of a simulation is drawn from a PCG
// stream whose seed is derived from the user's seed and labels naming what
// the stream is for (the world, a run, a chunk of a run's examples, a
// prompt's correct answer), so that each number depends only on the seed and
// its position, never on how work is scheduled over goroutines.
const (
	streamWorld  = 1
	streamRun    = 2
	streamChunk  = 3
	streamAnswer = 4
)

// splitmix64 is the finaliser of SplitMix64 (Steele, Lea, Flood 2014), a
// bijective mixer of 64-bit words.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// derive mixes seed with labels into a new 64-bit seed.
func derive(seed uint64, labels ...uint64) uint64 {
	h := splitmix64(seed)
	for _, l := range labels {
		h = splitmix64(h ^ splitmix64(l+0x632be59bd9b4e019))
	}
	return h
}

// newPCG returns a PCG source seeded from seed and labels.
func newPCG(seed uint64, labels ...uint64) *rand.PCG {
	s := derive(seed, labels...)
	return rand.NewPCG(s, splitmix64(s^0xda942042e4dd58b5))
}

// newRand returns a generator over newPCG(seed, labels...).
func newRand(seed uint64, labels ...uint64) *rand.Rand {
	return rand.New(newPCG(seed, labels...))
}
