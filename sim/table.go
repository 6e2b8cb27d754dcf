package sim

import (
	"cmp"
	"math"
	"slices"

	"github.com/parley-sim/parley/actors"
)

// table holds every package's raw utility for every actor under one set of
// preferences, and each actor's order of the packages. Raw utilities are
// normalised per run (the scale depends on the drawn conflict payoffs), but
// a positive affine map of each actor's utility keeps every order, so a
// table can be shared between runs.
type table struct {
	actors int
	raw    []float64 // raw[p*actors+i]
	rawMin []float64
	rawMax []float64
	// byU[i] lists every package by decreasing raw utility to actor i (the
	// lower index first among equals): the order the engine's searches
	// visit packages in, so that they can stop early.
	byU [][]int32
}

// buildTable computes the raw utility table for prefs and each actor's
// order of the packages. It reuses t's buffers when t is not nil.
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
	if len(t.byU) != n {
		t.byU = make([][]int32, n)
	}
	for i := range n {
		o := t.byU[i][:0]
		for p := range sp.Size {
			o = append(o, int32(p))
		}
		slices.SortStableFunc(o, func(a, b int32) int {
			return cmp.Compare(t.raw[int(b)*n+i], t.raw[int(a)*n+i])
		})
		t.byU[i] = o
	}
	return t
}

func resize(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	return b[:n]
}

// dominates reports whether package row a Pareto-dominates row b for the
// actors in set: at least as good for each, and better for one by more than
// rounding. Two packages whose utilities differ only by rounding (the same
// value summed in another order) both stay on the frontier: normalising
// could make them equal, and the searches would then break the tie by
// package index, which only a frontier holding both can do.
func dominates(a, b []float64, set []int) bool {
	better := false
	for _, i := range set {
		if a[i] < b[i] {
			return false
		}
		if a[i] > b[i]+dominanceMargin {
			better = true
		}
	}
	return better
}

// dominanceMargin is the least raw-utility difference dominance counts.
const dominanceMargin = 1e-9

// paretoFrontier appends to out the packages that no other package
// dominates for the actors in set, in ascending order. Candidates are
// visited by decreasing sum of those actors' utilities: a dominator always
// has the larger sum, so each candidate need only be tested against the
// frontier found so far.
func paretoFrontier(raw []float64, n, size int, set []int, out []int32) []int32 {
	order := make([]int32, size)
	sums := make([]float64, size)
	for p := range size {
		order[p] = int32(p)
		for _, i := range set {
			sums[p] += raw[p*n+i]
		}
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		return cmp.Compare(sums[b], sums[a])
	})
	for _, p := range order {
		u := raw[int(p)*n : (int(p)+1)*n]
		dominated := false
		for _, q := range out {
			if dominates(raw[int(q)*n:(int(q)+1)*n], u, set) {
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
func paretoFrontierExhaustive(raw []float64, n, size int, set []int) []int32 {
	var out []int32
	for p := range size {
		dominated := false
		for q := range size {
			if dominates(raw[q*n:(q+1)*n], raw[p*n:(p+1)*n], set) {
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
