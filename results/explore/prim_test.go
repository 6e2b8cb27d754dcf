package explore

import (
	"math"
	"math/rand/v2"
	"testing"
)

// PRIM's peel on a hand-worked example: x = 1 … 10, cases at 6, 7, 8 and
// 9; alpha 0.2, minimum mass 0.3. Each peel removes ⌊alpha·m⌋ (at least
// one) of the box's m points from the end that leaves the highest density,
// the lower end on a tie:
//
//	box        mass  density  coverage
//	all        1.0   0.40     1
//	[3, ∞)     0.8   0.50     1      (upper peel to ≤ 8: 0.375)
//	[4, ∞)     0.7   4/7      1      (tie with ≤ 9)
//	[5, ∞)     0.6   2/3      1      (tie)
//	[6, ∞)     0.5   0.80     1      (tie)
//	[6, 9]     0.4   1.00     1      (lower peel to ≥ 7: 0.75)
//	[7, 9]     0.3   1.00     0.75   (tie; the next peel would leave 0.2)
//
// The densest box covering most is [6, 9]; pasting 5 or 10 back lowers its
// density, so it stays. Its quasi-p: 4 cases in 4 points where the base
// rate is 0.4, 0.4⁴ = 0.0256.
func TestPRIMHandWorked(t *testing.T) {
	var x [][]float64
	var y []float64
	for v := 1; v <= 10; v++ {
		x = append(x, []float64{float64(v)})
		c := 0.0
		if v >= 6 && v <= 9 {
			c = 1
		}
		y = append(y, c)
	}
	res, err := PRIM([]string{"x"}, x, y, PRIMOptions{Alpha: 0.2, MinMass: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	inf := math.Inf(1)
	want := []struct {
		lo, hi, mass, density, coverage float64
	}{
		{-inf, inf, 1, 0.4, 1}, {3, inf, 0.8, 0.5, 1}, {4, inf, 0.7, 4.0 / 7, 1}, {5, inf, 0.6, 2.0 / 3, 1},
		{6, inf, 0.5, 0.8, 1}, {6, 9, 0.4, 1, 1}, {7, 9, 0.3, 1, 0.75},
	}
	if len(res.Trajectory) != len(want) {
		t.Fatalf("%d steps, want %d: %+v", len(res.Trajectory), len(want), res.Trajectory)
	}
	near := func(a, b float64) bool { return a == b || math.Abs(a-b) < 1e-12 }
	for i, w := range want {
		s := res.Trajectory[i]
		if l := s.limits[0]; !near(l.Min, w.lo) || !near(l.Max, w.hi) || !near(s.Mass, w.mass) || !near(s.Density, w.density) || !near(s.Coverage, w.coverage) {
			t.Errorf("step %d: box [%v, %v], mass %v, density %v, coverage %v; want %+v", i, l.Min, l.Max, s.Mass, s.Density, s.Coverage, w)
		}
	}
	if res.Chosen != 5 || res.Box.limits[0] != (Limit{6, 9}) || res.Box.Density != 1 {
		t.Errorf("chose step %d, box %+v", res.Chosen, res.Box)
	}
	if math.Abs(res.QuasiP[0]-0.0256) > 1e-12 {
		t.Errorf("quasi-p %v, want 0.4^4 = 0.0256", res.QuasiP[0])
	}
	if s := res.Sentence("a case"); s != "a case is 2.5× as likely when x is between 6 and 9 (coverage 100%, density 100%)" {
		t.Errorf("sentence %q", s)
	}
}

// PRIM recovers a box planted on two of four inputs: 4,000 uniform points,
// cases where x1 > 0.6 and x2 < 0.3 (and 2% of the others, noise); the
// chosen box's limits lie within 0.05 of the planted ones, the other
// inputs stay unrestricted, and resamples restrict x1 and x2 almost
// always, x3 and x4 seldom.
func TestPRIMPlantedBox(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	var x [][]float64
	var y []float64
	for range 4000 {
		p := []float64{r.Float64(), r.Float64(), r.Float64(), r.Float64()}
		c := 0.0
		if p[0] > 0.6 && p[1] < 0.3 || r.Float64() < 0.02 {
			c = 1
		}
		x, y = append(x, p), append(y, c)
	}
	names := []string{"x1", "x2", "x3", "x4"}
	res, err := PRIM(names, x, y, PRIMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lim := res.Limits()
	t.Logf("%s; limits %v", res.Sentence("case"), lim)
	if l, ok := lim["x1"]; !ok || math.Abs(l.Min-0.6) > 0.05 || l.Max < 0.95 {
		t.Errorf("x1: %+v, want from 0.6", l)
	}
	if l, ok := lim["x2"]; !ok || math.Abs(l.Max-0.3) > 0.05 || l.Min > 0.05 {
		t.Errorf("x2: %+v, want up to 0.3", l)
	}
	for _, k := range []string{"x3", "x4"} {
		if l, ok := lim[k]; ok && (l.Min > 0.05 || l.Max < 0.95) {
			t.Errorf("%s restricted to %+v", k, l)
		}
	}
	for j, p := range res.QuasiP {
		if _, ok := lim[names[j]]; ok != !math.IsNaN(p) || ok && p > 1e-6 {
			t.Errorf("%s: quasi-p %v", names[j], p)
		}
	}
	freq, err := Restricted(names, x, y, PRIMOptions{}, 20, rand.New(rand.NewPCG(6, 6)))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("restricted in resamples: %v", freq)
	if freq[0] < 0.9 || freq[1] < 0.9 || freq[2] > 0.5 || freq[3] > 0.5 {
		t.Errorf("resampling: x1 %v, x2 %v, x3 %v, x4 %v", freq[0], freq[1], freq[2], freq[3])
	}
}
