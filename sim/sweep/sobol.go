package sweep

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
)

// A Sobol sequence (Sobol' 1967) from Joe and Kuo's direction numbers
// (new-joe-kuo-6.21201, Joe and Kuo 2008; sobol_directions.go), drawn in
// Gray-code order (Antonov and Saleev 1979) with 30-bit integers, as
// Bratley and Fox's algorithm 659 and scipy.stats.qmc.Sobol do: without
// scrambling, its points are scipy's exactly (TestSobolJoeKuo). gonum has
// Halton and Latin hypercube samplers but no Sobol sequence, hence this
// file.
//
// Scrambled, each dimension's direction numbers are multiplied by a
// random lower-triangular binary matrix with a unit diagonal and every
// point is XORed with a random digital shift (Matoušek 1998's linear
// matrix scrambling, as scipy scrambles): the points keep the sequence's
// stratification (every elementary interval of a (t, m, s)-net still holds
// its share of points) and become an unbiased randomised QMC sample.

// sobolBits is the precision of the points: 2^30 of them at most.
const sobolBits = 30

// MaxSobolDims is the number of dimensions the direction numbers cover.
const MaxSobolDims = len(joeKuo)

// SobolSequence draws points of a Sobol sequence (NewSobolSequence).
type SobolSequence struct {
	v     [][sobolBits]uint32 // direction numbers, scaled to sobolBits bits
	x     []uint32            // the current point
	shift []uint32            // the digital shift (zero unscrambled)
	n     uint32              // points drawn
}

// NewSobolSequence returns the d-dimensional Sobol sequence, scrambled with
// randomness from src unless src is nil. It panics if d is out of
// 1..MaxSobolDims.
func NewSobolSequence(d int, src rand.Source) *SobolSequence {
	if d < 1 || d > MaxSobolDims {
		panic(fmt.Sprintf("sweep: a Sobol sequence of %d dimensions (1 to %d)", d, MaxSobolDims))
	}
	s := &SobolSequence{v: make([][sobolBits]uint32, d), x: make([]uint32, d), shift: make([]uint32, d)}
	for j := range d {
		v := &s.v[j]
		if j == 0 {
			for i := range v {
				v[i] = 1
			}
		} else {
			p := joeKuo[j].poly
			deg := bits.Len32(p) - 1
			copy(v[:deg], joeKuo[j].m)
			// m_i = 2^deg m_(i−deg) ⊕ m_(i−deg) ⊕ ⊕_k 2^k a_k m_(i−k), the
			// a_k the polynomial's middle coefficients.
			for i := deg; i < sobolBits; i++ {
				m := v[i-deg]
				for k := 1; k <= deg; k++ {
					if p>>(deg-k)&1 == 1 {
						m ^= v[i-k] << k
					}
				}
				v[i] = m
			}
		}
		for i := range v {
			v[i] <<= sobolBits - 1 - i
		}
	}
	if src != nil {
		r := rand.New(src)
		for j := range d {
			s.scramble(j, r)
			s.shift[j] = uint32(r.Uint64()) & (1<<sobolBits - 1)
		}
		copy(s.x, s.shift)
	}
	return s
}

// scramble multiplies dimension j's direction numbers by a random
// lower-triangular binary matrix L with a unit diagonal, bits counted from
// the most significant: bit r of the result is the parity of row r of L
// and the number's bits 0..r.
func (s *SobolSequence) scramble(j int, r *rand.Rand) {
	var rows [sobolBits]uint32 // rows[r]: the mask of row r, in number bits
	for row := range rows {
		top := uint32(1) << (sobolBits - 1 - row) // the diagonal
		below := uint32(r.Uint64()) & ^(top<<1 - 1) & (1<<sobolBits - 1)
		rows[row] = top | below // bits more significant than the diagonal
	}
	for i, v := range s.v[j] {
		var out uint32
		for row, mask := range rows {
			out |= uint32(bits.OnesCount32(mask&v)&1) << (sobolBits - 1 - row)
		}
		s.v[j][i] = out
	}
}

// Next writes the sequence's next point into p, coordinates in [0, 1).
// It panics after 2^30 points.
func (s *SobolSequence) Next(p []float64) {
	for j, x := range s.x {
		p[j] = float64(x) / (1 << sobolBits)
	}
	c := bits.TrailingZeros32(^s.n) // the lowest zero bit of n
	if c >= sobolBits {
		panic("sweep: more than 2^30 points of a Sobol sequence")
	}
	for j := range s.x {
		s.x[j] ^= s.v[j][c]
	}
	s.n++
}
