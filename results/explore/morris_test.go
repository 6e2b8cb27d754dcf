package explore

import (
	"math"
	"math/rand/v2"
	"testing"
)

// On a linear function f = Σ c_i x_i every elementary effect of x_i is
// c_i, whatever the trajectory: μ* ranks the inputs by |c_i| and equals
// it, μ equals c_i, and σ is 0 (Morris 1991), with zero-width intervals.
func TestMorrisLinear(t *testing.T) {
	c := []float64{0.5, -3, 0, 1.25, 2}
	r := rand.New(rand.NewPCG(4, 4))
	const traj, delta = 20, 2.0 / 3 // four levels
	ee := make([][]float64, traj)
	for tr := range ee {
		ee[tr] = make([]float64, len(c))
		x := make([]float64, len(c))
		for i := range x {
			x[i] = float64(r.IntN(2)) / 3
		}
		f := func() float64 {
			y := 0.0
			for i, ci := range c {
				y += ci * x[i]
			}
			return y
		}
		for _, i := range r.Perm(len(c)) {
			before := f()
			step := delta
			if r.IntN(2) == 0 && x[i] >= delta {
				step = -delta
			}
			x[i] += step
			ee[tr][i] = (f() - before) / step
		}
	}
	got, err := Morris(ee, 200, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range got {
		if math.Abs(e.MuStar-math.Abs(c[i])) > 1e-9 || math.Abs(e.Mu-c[i]) > 1e-9 || e.Sigma > 1e-9 || e.MuStarHigh-e.MuStarLow > 1e-9 {
			t.Errorf("x%d (c = %v): μ* %v [%v, %v], μ %v, σ %v", i+1, c[i], e.MuStar, e.MuStarLow, e.MuStarHigh, e.Mu, e.Sigma)
		}
	}
	// The ranking by μ*: x2 (3), x5 (2), x4 (1.25), x1 (0.5), x3 (0).
	order := []int{1, 4, 3, 0, 2}
	for k := 1; k < len(order); k++ {
		if got[order[k-1]].MuStar <= got[order[k]].MuStar {
			t.Errorf("μ* of x%d (%v) not above x%d's (%v)", order[k-1]+1, got[order[k-1]].MuStar, order[k]+1, got[order[k]].MuStar)
		}
	}
	if _, err := Morris(ee[:1], 10, nil); err == nil {
		t.Error("one trajectory gave no error")
	}
}

// A non-linear input has effects that vary from trajectory to trajectory:
// σ > 0, with an interval holding its estimate.
func TestMorrisNonlinear(t *testing.T) {
	ee := [][]float64{{1, 0.2}, {3, 0.2}, {-1, 0.2}, {2, 0.2}}
	got, err := Morris(ee, 300, rand.New(rand.NewPCG(2, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if g := got[0]; !(g.Sigma > 1 && g.SigmaLow <= g.Sigma && g.Sigma <= g.SigmaHigh && g.MuStar == 1.75 && g.Mu == 1.25) {
		t.Errorf("x1: %+v", g)
	}
	if g := got[1]; g.Sigma != 0 || g.MuStar != 0.2 {
		t.Errorf("x2: %+v", g)
	}
}
