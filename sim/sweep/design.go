package sweep

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
	"gonum.org/v1/gonum/stat/samplemv"

	"github.com/parley-sim/parley/scenarios"
)

// LHSStream, SobolStream and MorrisStream are the streams of the PCG
// generators, seeded with (seed, stream), that draw a sweep's Latin
// hypercube, scramble its Sobol sequence and lay out its Morris
// trajectories.
const (
	LHSStream    = 0x6c6873       // "lhs"
	SobolStream  = 0x736f626f6c   // "sobol"
	MorrisStream = 0x6d6f72726973 // "morris"
)

// design counts the points and, for LHS, draws the hypercube.
func (b *builder) design(s *Sweep) {
	s.radix = make([]int, len(s.Vary))
	total := 1
	for i := range s.Vary {
		v := &s.Vary[i]
		if v.Numeric() {
			s.numeric = append(s.numeric, i)
			continue
		}
		s.radix[i] = len(v.Values)
		if total > MaxPoints/len(v.Values) {
			b.errorf(v.Line, "vary", "more than %d points: the design is too large", MaxPoints)
			return
		}
		total *= len(v.Values)
	}
	if s.Design == Grid {
		s.points = total
		return
	}
	if s.Design == Sobol || s.Design == Morris || s.Design == OAT {
		b.sensitivityDesign(s)
		return
	}
	if len(s.numeric) == 0 {
		b.errorf(b.lines.top["design"], "vary", `a design = "%s" sweep needs at least one key with min and max`, s.Design)
		return
	}
	if total > MaxPoints/s.Samples {
		b.errorf(b.lines.top["points"], "points", "%d points crossed with %d combinations of listed values: more than %d points", s.Samples, total, MaxPoints)
		return
	}
	if len(s.numeric) > MaxHypercube/s.Samples {
		b.errorf(b.lines.top["points"], "points", "%d points of %d keys with min and max: a hypercube of more than %d numbers; use fewer points or keys", s.Samples, len(s.numeric), MaxHypercube)
		return
	}
	s.points = total * s.Samples
	s.unit = latinHypercube(s.Samples, len(s.numeric), rand.NewPCG(s.Seed, LHSStream))
}

// sensitivityDesign lays out a Sobol, Morris or one-at-a-time design,
// whose keys must all have min and max.
func (b *builder) sensitivityDesign(s *Sweep) {
	if len(s.numeric) < len(s.Vary) {
		for i := range s.Vary {
			if !s.Vary[i].Numeric() {
				b.errorf(s.Vary[i].Line, varyPath(s.Vary[i].entry, "values"), `a design = "%s" sweep varies keys by min and max only, not by a list of values`, s.Design)
			}
		}
		return
	}
	k := len(s.numeric)
	n := s.Samples
	if s.Design == OAT {
		// The base at the middle, then each key at its min and its max.
		s.points = 1 + 2*k
		s.unit = make([]float64, 0, s.points*k)
		for p := range s.points {
			for i := range k {
				u := 0.5
				if p > 0 && (p-1)/2 == i {
					u = float64((p - 1) % 2) // 0: min, 1: max
				}
				s.unit = append(s.unit, u)
			}
		}
		return
	}
	if s.Design == Sobol {
		// A, B and AB_1 … AB_k, AB_dummy for each base sample; the Sobol
		// sequence has 2(k+1) dimensions, the dummy's among them.
		if 2*(k+1) > MaxSobolDims {
			b.errorf(b.lines.top["design"], "vary", "%d keys: a Sobol design takes at most %d", k, MaxSobolDims/2-1)
			return
		}
		if n > MaxPoints/(k+3) {
			b.errorf(b.lines.top["points"], "points", "%d base samples of %d keys make %d points each: more than %d points", n, k, k+3, MaxPoints)
			return
		}
		if n > MaxHypercube/(2*(k+1)) {
			b.errorf(b.lines.top["points"], "points", "%d base samples of %d keys: a design of more than %d numbers; use fewer samples or keys", n, k, MaxHypercube)
			return
		}
		s.points = n * (k + 3)
		seq := NewSobolSequence(2*(k+1), rand.NewPCG(s.Seed, SobolStream))
		s.unit = make([]float64, n*2*(k+1))
		for j := range n {
			seq.Next(s.unit[j*2*(k+1) : (j+1)*2*(k+1)])
		}
		return
	}
	if n > MaxPoints/(k+1) {
		b.errorf(b.lines.top["trajectories"], "trajectories", "%d trajectories of %d keys make %d points each: more than %d points", n, k, k+1, MaxPoints)
		return
	}
	if n > MaxHypercube/((k+1)*k) {
		b.errorf(b.lines.top["trajectories"], "trajectories", "%d trajectories of %d keys: a design of more than %d numbers; use fewer trajectories or keys", n, k, MaxHypercube)
		return
	}
	s.points = n * (k + 1)
	s.unit = morrisTrajectories(n, k, s.Levels, rand.New(rand.NewPCG(s.Seed, MorrisStream)))
}

// morrisTrajectories lays out r trajectories of k inputs on a grid of p
// levels (0, 1/(p−1), …, 1) with the step Δ = p/(2(p−1)) (Morris 1991):
// each starts at a random point of the grid from which every input can
// move by Δ in a random direction, and moves one input at a time, in a
// random order, by Δ that way. It returns the r(k+1) points row by row.
func morrisTrajectories(r, k, p int, rng *rand.Rand) []float64 {
	delta := float64(p) / float64(2*(p-1))
	half := p / 2 // grid levels 0 … p/2 − 1 can move up by Δ
	out := make([]float64, 0, r*(k+1)*k)
	x, dir := make([]float64, k), make([]float64, k)
	for range r {
		for i := range k {
			lo := float64(rng.IntN(half)) / float64(p-1)
			if rng.IntN(2) == 0 {
				x[i], dir[i] = lo, 1
			} else {
				x[i], dir[i] = lo+delta, -1
			}
		}
		out = append(out, x...)
		for _, i := range rng.Perm(k) {
			x[i] += dir[i] * delta
			out = append(out, x...)
		}
	}
	return out
}

// latinHypercube draws n points of the d-dimensional unit hypercube, one in
// each of the n strata of every dimension, with gonum's LatinHypercube. It
// returns them row by row.
func latinHypercube(n, d int, src rand.Source) []float64 {
	batch := mat.NewDense(n, d, nil)
	samplemv.LatinHypercube{Q: distmv.NewUnitUniform(d, src), Src: src}.Sample(batch)
	return batch.RawMatrix().Data
}

// Point is one point of a sweep.
type Point struct {
	// N numbers the point, from 1.
	N int
	// Values holds the value of each varied key, in the order of Sweep.Vary.
	Values []Value
	// Seed seeds the point's runs: PointSeed(sweep seed, N).
	Seed uint64
}

// Point returns point n (1..Len). In a grid the last [[vary]] key varies
// fastest. In an LHS sweep the hypercube sample is the outer loop and the
// keys with listed values are crossed inside it, the last fastest. In a
// Sobol sweep points come k+3 to a base sample j: A_j, B_j, then AB_j,i
// for each key i (A_j with key i's coordinate from B_j), then AB_j,dummy
// (A_j's values: the dummy input moves nothing but the point's seed). In a
// Morris sweep points come k+1 to a trajectory, in its order. A numeric
// key takes Min + u·(Max−Min) for its coordinate u in [0,1], and an
// integer key ⌊Min + u·(Max−Min+1)⌋ (at most Max). Point panics if n is
// out of range.
func (s *Sweep) Point(n int) Point {
	if n < 1 || n > s.points {
		panic(fmt.Sprintf("sweep: point %d outside 1..%d", n, s.points))
	}
	p := Point{N: n, Values: make([]Value, len(s.Vary)), Seed: PointSeed(s.Seed, n)}
	idx := n - 1
	for i := len(s.Vary) - 1; i >= 0; i-- {
		if r := s.radix[i]; r > 0 {
			p.Values[i] = s.Vary[i].Values[idx%r]
			idx /= r
		}
	}
	k := len(s.numeric)
	coord := func(d int) float64 { return s.unit[idx*k+d] }
	switch s.Design {
	case Sobol:
		j, blk := idx/(k+3), idx%(k+3)
		row := s.unit[j*2*(k+1) : (j+1)*2*(k+1)]
		a, b := row[:k+1], row[k+1:]
		coord = func(d int) float64 {
			if blk == 1 || blk-2 == d {
				return b[d] // B, or AB_d
			}
			return a[d]
		}
	}
	for d, i := range s.numeric {
		v := &s.Vary[i]
		u := coord(d)
		if v.Integer {
			x := math.Floor(v.Min + u*(v.Max-v.Min+1))
			p.Values[i] = Value{int64(min(x, v.Max))}
		} else {
			p.Values[i] = Value{v.Min + u*(v.Max-v.Min)}
		}
	}
	return p
}

// Overrides returns the point's values as --set overrides of the scenario.
func (s *Sweep) Overrides(p Point) []scenarios.Override {
	o := make([]scenarios.Override, len(s.Vary))
	for i, v := range s.Vary {
		o[i] = scenarios.Override{Path: v.Key, Value: p.Values[i].TOML()}
	}
	return o
}

// ScenarioAt returns the sweep's scenario with the point's values set. The
// point's runs are those of `parley run SCENARIO --runs Runs --seed
// p.Seed` with the overrides of [Sweep.Overrides].
//
// The scenario is read once (scenarios.Prepare); each point only applies
// its values and validates, as scenarios.Parse of the file with the
// overrides would.
func (s *Sweep) ScenarioAt(p Point) (*scenarios.Scenario, error) {
	sc, err := s.prep.Parse(s.Overrides(p))
	if err != nil {
		return nil, fmt.Errorf("sweep: point %d: %w", p.N, err)
	}
	return sc, nil
}

// PointSeed returns the seed of point n of a sweep with the given seed: the
// SplitMix64 finaliser of seed + n·0x9E3779B97F4A7C15. It depends on
// nothing else, so a point is the same whichever shard computes it.
func PointSeed(seed uint64, n int) uint64 {
	z := seed + uint64(n)*0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// Shard is shard K of N: the points K, K+N, K+2N, ... (round robin, so that
// shards get similar work whatever key drives the run time). The zero
// Shard is the whole sweep (1 of 1).
type Shard struct{ K, N int }

// ParseShard parses "K/N" with 1 ≤ K ≤ N.
func ParseShard(s string) (Shard, error) {
	ks, ns, ok := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(strings.TrimSpace(ks))
	n, err2 := strconv.Atoi(strings.TrimSpace(ns))
	switch {
	case !ok || err1 != nil || err2 != nil:
		return Shard{}, fmt.Errorf("sweep: shard %q: want K/N, as in 2/8", s)
	case n < 1:
		return Shard{}, fmt.Errorf("sweep: shard %q: want at least 1 shard", s)
	case k == 0:
		return Shard{}, fmt.Errorf("sweep: shard %q: K counts from 1 (a Slurm or Kubernetes index counting from 0 needs one added)", s)
	case k < 1 || k > n:
		return Shard{}, fmt.Errorf("sweep: shard %q: want K from 1 to %d", s, n)
	}
	return Shard{k, n}, nil
}

func (sh Shard) norm() Shard {
	if sh.N == 0 {
		return Shard{1, 1}
	}
	return sh
}

// String returns "K/N".
func (sh Shard) String() string {
	sh = sh.norm()
	return fmt.Sprintf("%d/%d", sh.K, sh.N)
}

// Count returns how many of points points the shard holds.
func (sh Shard) Count(points int) int {
	sh = sh.norm()
	if points < sh.K {
		return 0
	}
	return (points-sh.K)/sh.N + 1
}

// Point returns the shard's j-th point (j from 0).
func (sh Shard) Point(j int) int {
	sh = sh.norm()
	return sh.K + j*sh.N
}

// Of returns the number (1..N) of the shard that holds point n.
func (sh Shard) Of(n int) int {
	sh = sh.norm()
	return (n-1)%sh.N + 1
}

var errShard = errors.New("sweep: invalid shard")

func (sh Shard) check() error {
	if sh.N == 0 && sh.K == 0 {
		return nil
	}
	if sh.N < 1 || sh.K < 1 || sh.K > sh.N {
		return fmt.Errorf("%w %d/%d", errShard, sh.K, sh.N)
	}
	return nil
}
