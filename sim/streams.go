package sim

// Random streams (docs/model.md §1). Every purpose a run draws for has a
// PCG stream of its own, seeded from the batch's seed, the run and the
// purpose's name: each number of the scenario drawn from a distribution
// (by its key path), each actor's belief errors, each event, each
// signatory's reopenings and each believer's hypotheses about each
// signatory. A variant that adds an event, turns a constant into a
// distribution or changes how a distribution draws moves no other draw, so
// run k of two variants played with the same seed share every random
// number they have in common: the common random numbers a paired
// comparison rests on (Law 2015, Simulation Modeling and Analysis, §11.2).

import "math/rand/v2"

// streamKey names a stream: FNV-1a, 64 bits, of the purpose and the name
// of what draws (a key path, an actor or event id), separated by a zero
// byte. The key depends on names, not on positions, so adding or removing
// an actor, an event or a number leaves every other stream where it was.
func streamKey(purpose, name string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i := 0; i < len(purpose); i++ {
		h = (h ^ uint64(purpose[i])) * prime
	}
	h *= prime // the zero byte between the two
	for i := 0; i < len(name); i++ {
		h = (h ^ uint64(name[i])) * prime
	}
	return h
}

// mix64 is splitmix64's finaliser (Steele, Lea and Flood 2014): a
// bijection of 64-bit words that spreads every input bit over the output.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// SeedStream seeds p as the stream named purpose and name (an input's key
// path, say) of run of a batch with seed, as the engine seeds its own:
// other models run by parley (the forecast) draw their numbers this way,
// so that a run's draws depend on nothing but the seed, the run and the
// number.
func SeedStream(p *rand.PCG, seed uint64, run int, purpose, name string) {
	seedStream(p, seed, run, streamKey(purpose, name))
}

// seedStream seeds p as stream key of run of a batch with seed: PCG's two
// words are the seed mixed with the key, and the run.
func seedStream(p *rand.PCG, seed uint64, run int, key uint64) {
	p.Seed(mix64(seed^key), uint64(run))
}

// stream is a generator of its own: a PCG and the rand.Rand that reads
// it, made once per worker.
type stream struct {
	pcg rand.PCG
	rng *rand.Rand
}

// newStreams returns n streams.
func newStreams(n int) []stream {
	s := make([]stream, n)
	for i := range s {
		s[i].rng = rand.New(&s[i].pcg)
	}
	return s
}
