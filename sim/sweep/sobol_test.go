package sweep

import (
	"math/rand/v2"
	"testing"
)

// The unscrambled sequence is Joe and Kuo's: its first 16 points in 6
// dimensions, and points 1,000 to 32,767 in dimensions 1, 3, 10, 100 and
// 501 (whose direction numbers come from the recurrence, past the
// initial ones), equal scipy.stats.qmc.Sobol(scramble=False)'s (scipy
// 1.10.1, new-joe-kuo-6.21201), as 30-bit integers.
func TestSobolJoeKuo(t *testing.T) {
	first := [16][6]uint32{
		{0, 0, 0, 0, 0, 0},
		{536870912, 536870912, 536870912, 536870912, 536870912, 536870912},
		{805306368, 268435456, 268435456, 268435456, 805306368, 805306368},
		{268435456, 805306368, 805306368, 805306368, 268435456, 268435456},
		{402653184, 402653184, 671088640, 939524096, 402653184, 134217728},
		{939524096, 939524096, 134217728, 402653184, 939524096, 671088640},
		{671088640, 134217728, 939524096, 671088640, 671088640, 939524096},
		{134217728, 671088640, 402653184, 134217728, 134217728, 402653184},
		{201326592, 335544320, 1006632960, 469762048, 603979776, 335544320},
		{738197504, 872415232, 469762048, 1006632960, 67108864, 872415232},
		{1006632960, 67108864, 738197504, 201326592, 335544320, 603979776},
		{469762048, 603979776, 201326592, 738197504, 872415232, 67108864},
		{335544320, 201326592, 335544320, 603979776, 1006632960, 469762048},
		{872415232, 738197504, 872415232, 67108864, 469762048, 1006632960},
		{603979776, 469762048, 67108864, 872415232, 201326592, 738197504},
		{67108864, 1006632960, 603979776, 335544320, 738197504, 201326592},
	}
	s := NewSobolSequence(6, nil)
	p := make([]float64, 6)
	for i, want := range first {
		s.Next(p)
		for j, w := range want {
			if got := uint32(p[j] * (1 << sobolBits)); got != w {
				t.Fatalf("point %d, dimension %d: %d, want %d", i, j+1, got, w)
			}
		}
	}
	later := map[int][5]uint32{
		1000:  {235929600, 556793856, 74448896, 200278016, 779091968},
		5000:  {211156992, 231604224, 1062862848, 70385664, 72482816},
		20000: {52789248, 173572096, 1031700480, 331644928, 504135680},
		32767: {32768, 406552576, 350322688, 882475008, 1005682688},
	}
	dims := [5]int{0, 2, 9, 99, 500}
	s = NewSobolSequence(501, nil)
	p = make([]float64, 501)
	for i := 0; i <= 32767; i++ {
		s.Next(p)
		if want, ok := later[i]; ok {
			for k, j := range dims {
				if got := uint32(p[j] * (1 << sobolBits)); got != want[k] {
					t.Fatalf("point %d, dimension %d: %d, want %d", i, j+1, got, want[k])
				}
			}
		}
	}
}

// Scrambled, the first 2^m points still stratify every dimension into
// 2^m equal bins, one point in each, and the first two dimensions into
// 2^(m/2) × 2^(m/2) boxes, one point in each (a (0, m, 2)-net); the same
// seed gives the same points, and they are not the unscrambled ones.
func TestSobolScrambledStratified(t *testing.T) {
	const m, d = 8, 12
	n := 1 << m
	draw := func(src rand.Source) [][]float64 {
		s := NewSobolSequence(d, src)
		pts := make([][]float64, n)
		for i := range pts {
			pts[i] = make([]float64, d)
			s.Next(pts[i])
		}
		return pts
	}
	a, b, plain := draw(rand.NewPCG(1, 2)), draw(rand.NewPCG(1, 2)), draw(nil)
	for j := range d {
		seen := make([]bool, n)
		for i, p := range a {
			bin := int(p[j] * float64(n))
			if seen[bin] {
				t.Fatalf("dimension %d: two of the first %d points in bin %d (point %d)", j+1, n, bin, i)
			}
			seen[bin] = true
		}
	}
	side := 1 << (m / 2)
	box := make(map[[2]int]bool)
	for _, p := range a {
		k := [2]int{int(p[0] * float64(side)), int(p[1] * float64(side))}
		if box[k] {
			t.Fatalf("two points in the box %v of the first two dimensions", k)
		}
		box[k] = true
	}
	same, differ := true, false
	for i := range a {
		for j := range a[i] {
			same = same && a[i][j] == b[i][j]
			differ = differ || a[i][j] != plain[i][j]
		}
	}
	if !same || !differ {
		t.Errorf("the same seed gave the same points: %v; scrambling changed them: %v", same, differ)
	}
}
