package sim

import (
	"math"
	"slices"

	"github.com/parley-sim/parley/actors"
)

// table holds every package's raw utility for every actor under one set of
// preferences, and the Pareto frontier of the packages over all actors.
// Raw utilities are normalised per run (the scale depends on the drawn
// conflict payoffs), but dominance and the frontier do not change under a
// positive affine map of each actor's utility, so a table can be shared.
type table struct {
	actors   int
	raw      []float64 // raw[p*actors+i]
	rawMin   []float64
	rawMax   []float64
	frontier []int32   // packages on the frontier, ascending
	rawF     []float64 // rawF[k*actors+i] = raw of frontier[k]
}

// buildTable computes the raw utility table and frontier for prefs. It
// reuses t's buffers when t is not nil.
func buildTable(sp actors.Space, prefs []actors.Prefs, t *table) *table {
	n := len(prefs)
	if t == nil {
		t = &table{}
	}
	t.actors = n
	t.raw = resize(t.raw, sp.Size*n)
	t.rawMin = resize(t.rawMin, n)
	t.rawMax = resize(t.rawMax, n)
	for i := range n {
		t.rawMin[i], t.rawMax[i] = math.Inf(1), math.Inf(-1)
	}
	pkg := make([]int, len(sp.Levels))
	for p := range sp.Size {
		sp.Decode(p, pkg)
		for i := range prefs {
			r := prefs[i].Raw(pkg)
			t.raw[p*n+i] = r
			t.rawMin[i] = min(t.rawMin[i], r)
			t.rawMax[i] = max(t.rawMax[i], r)
		}
	}
	t.frontier = paretoFrontier(t.raw, n, sp.Size, t.frontier[:0])
	t.rawF = resize(t.rawF, len(t.frontier)*n)
	for k, p := range t.frontier {
		copy(t.rawF[k*n:(k+1)*n], t.raw[int(p)*n:(int(p)+1)*n])
	}
	return t
}

func resize(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	return b[:n]
}

// dominates reports whether a Pareto-dominates b: at least as good for
// every actor and better for one.
func dominates(a, b []float64) bool {
	better := false
	for i := range a {
		if a[i] < b[i] {
			return false
		}
		if a[i] > b[i] {
			better = true
		}
	}
	return better
}

// paretoFrontier appends to out the packages no other package dominates, in
// ascending order. Candidates are visited by decreasing sum of utilities: a
// dominator always has the larger sum, so each candidate need only be tested
// against the frontier found so far.
func paretoFrontier(raw []float64, n, size int, out []int32) []int32 {
	order := make([]int32, size)
	sums := make([]float64, size)
	for p := range size {
		order[p] = int32(p)
		for i := range n {
			sums[p] += raw[p*n+i]
		}
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		switch {
		case sums[a] > sums[b]:
			return -1
		case sums[a] < sums[b]:
			return 1
		}
		return 0
	})
	for _, p := range order {
		u := raw[int(p)*n : (int(p)+1)*n]
		dominated := false
		for _, q := range out {
			if dominates(raw[int(q)*n:(int(q)+1)*n], u) {
				dominated = true
				break
			}
		}
		if !dominated {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// paretoFrontierExhaustive is the test oracle for paretoFrontier: it checks
// every pair of packages.
func paretoFrontierExhaustive(raw []float64, n, size int) []int32 {
	var out []int32
	for p := range size {
		dominated := false
		for q := range size {
			if dominates(raw[q*n:(q+1)*n], raw[p*n:(p+1)*n]) {
				dominated = true
				break
			}
		}
		if !dominated {
			out = append(out, int32(p))
		}
	}
	return out
}
