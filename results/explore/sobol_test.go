package explore

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/parley-sim/parley/sim/sweep"
)

// saltelli evaluates f on Saltelli's design of n rows over k inputs in
// [0,1) drawn from a scrambled Sobol sequence of 2k dimensions: A is the
// first k coordinates of each point, B the next k.
func saltelli(n, k int, seed uint64, f func(x []float64) float64) (fA, fB []float64, fAB [][]float64) {
	seq := sweep.NewSobolSequence(2*k, rand.NewPCG(seed, 1))
	p := make([]float64, 2*k)
	x := make([]float64, k)
	fAB = make([][]float64, k)
	for range n {
		seq.Next(p)
		a, b := p[:k], p[k:]
		fA, fB = append(fA, f(a)), append(fB, f(b))
		for i := range k {
			copy(x, a)
			x[i] = b[i]
			fAB[i] = append(fAB[i], f(x))
		}
	}
	return fA, fB, fAB
}

// checkIndices checks that every published index lies in its estimate's
// bootstrap interval.
func checkIndices(t *testing.T, name string, got []Index, s1, st []float64) {
	t.Helper()
	for i, g := range got {
		t.Logf("%s x%d: S1 %.4f [%.4f, %.4f] (exact %.4f), ST %.4f [%.4f, %.4f] (exact %.4f)", name, i+1, g.S1, g.S1Low, g.S1High, s1[i], g.ST, g.STLow, g.STHigh, st[i])
		if s1[i] < g.S1Low || s1[i] > g.S1High || st[i] < g.STLow || st[i] > g.STHigh {
			t.Errorf("%s x%d: S1 [%.4f, %.4f] and ST [%.4f, %.4f] should hold %.4f and %.4f", name, i+1, g.S1Low, g.S1High, g.STLow, g.STHigh, s1[i], st[i])
		}
		if !(g.S1Low <= g.S1 && g.S1 <= g.S1High && g.STLow <= g.ST && g.ST <= g.STHigh) {
			t.Errorf("%s x%d: an interval does not hold its estimate: %+v", name, i+1, g)
		}
	}
}

// The Ishigami function (Ishigami and Homma 1990), a = 7, b = 0.1, inputs
// uniform on [−π, π]: S1 = 0.3139, 0.4424, 0 and ST = 0.5576, 0.4424,
// 0.2437 (Saltelli et al. 2008, Global Sensitivity Analysis: The Primer,
// §4.6), each within its bootstrap interval at N = 2^13.
func TestSobolIshigami(t *testing.T) {
	const a, b = 7.0, 0.1
	f := func(u []float64) float64 {
		x1, x2, x3 := math.Pi*(2*u[0]-1), math.Pi*(2*u[1]-1), math.Pi*(2*u[2]-1)
		return math.Sin(x1) + a*math.Sin(x2)*math.Sin(x2) + b*math.Pow(x3, 4)*math.Sin(x1)
	}
	// The exact indices from the function's variance decomposition.
	v1 := 0.5 * math.Pow(1+b*math.Pow(math.Pi, 4)/5, 2)
	v2 := a * a / 8
	v13 := b * b * math.Pow(math.Pi, 8) * (1.0/18 - 1.0/50)
	v := v1 + v2 + v13
	s1 := []float64{v1 / v, v2 / v, 0}
	st := []float64{(v1 + v13) / v, v2 / v, v13 / v}
	for i, want := range []float64{0.3139, 0.4424, 0, 0.5576, 0.4424, 0.2437} {
		if got := append(s1, st...)[i]; math.Abs(got-want) > 5e-5 {
			t.Fatalf("exact index %d: %.5f, published %.4f", i, got, want)
		}
	}
	fA, fB, fAB := saltelli(1<<13, 3, 7, f)
	got, err := Sobol(fA, fB, fAB, 500, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	checkIndices(t, "Ishigami", got, s1, st)
}

// Sobol's G function (Saltelli and Sobol' 1995) with a = 0, 1, 4.5, 9, 99,
// 99, 99, 99: V_i = 1/(3(1 + a_i)²), S1_i = V_i/V and ST_i = V_i·Π_{j≠i}(1
// + V_j)/V with V = Π(1 + V_i) − 1, each within its bootstrap interval at
// N = 2^12.
func TestSobolGFunction(t *testing.T) {
	as := []float64{0, 1, 4.5, 9, 99, 99, 99, 99}
	f := func(u []float64) float64 {
		y := 1.0
		for i, x := range u {
			y *= (math.Abs(4*x-2) + as[i]) / (1 + as[i])
		}
		return y
	}
	vi := make([]float64, len(as))
	prod := 1.0
	for i, a := range as {
		vi[i] = 1 / (3 * (1 + a) * (1 + a))
		prod *= 1 + vi[i]
	}
	v := prod - 1
	s1, st := make([]float64, len(as)), make([]float64, len(as))
	for i := range as {
		s1[i] = vi[i] / v
		st[i] = vi[i] * prod / (1 + vi[i]) / v
	}
	fA, fB, fAB := saltelli(1<<12, len(as), 3, f)
	got, err := Sobol(fA, fB, fAB, 500, rand.New(rand.NewPCG(2, 2)))
	if err != nil {
		t.Fatal(err)
	}
	checkIndices(t, "G", got, s1, st)
}

// An output that does not vary has every index, and every interval, 0;
// rows that do not match are an error.
func TestSobolDegenerate(t *testing.T) {
	c := []float64{1, 1, 1, 1}
	got, err := Sobol(c, c, [][]float64{c}, 50, rand.New(rand.NewPCG(1, 1)))
	if err != nil || got[0] != (Index{}) {
		t.Errorf("a constant output: %+v, %v", got, err)
	}
	if _, err := Sobol(c, c[:3], nil, 10, nil); err == nil {
		t.Error("4 rows of A and 3 of B gave no error")
	}
	if _, err := Sobol(c, c, [][]float64{c[:2]}, 10, nil); err == nil {
		t.Error("2 rows of AB_1 against 4 gave no error")
	}
}
